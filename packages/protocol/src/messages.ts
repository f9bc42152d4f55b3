import type { VectorEncoding, VectorPayload } from './vector';

/** Version carried in every message as `v`. A peer rejects other versions with `E_UNSUPPORTED_VERSION`. */
export const PROTOCOL_VERSION = 1 as const;

/** What a device says about the bundle it loaded, in its hello. */
export interface BundleInfo {
  /** Teacher-filter part the student mimics. */
  part: number;
  /** Length of the student's output vector. */
  outputLength: number;
  /** Multiply-accumulates per image. */
  macs: number;
  /** sha256 of the weights file, hex; empty when unknown. */
  weightsSha256: string;
}

/**
 * Device -> aggregator: first message on a (re)connection, after the medium authenticated the
 * connection (see `handshake`): it carries no secret, only what the device loaded.
 */
export interface HelloMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'hello';
  /** Stable device id, for example `device-3`. */
  deviceId: string;
  /** 0-based index of the device's bundle in the bundle set. */
  deviceIndex: number;
  /** Device class name, for example `cortex-m7-480`. */
  deviceClass: string;
  bundle: BundleInfo;
}

/** Aggregator -> device: the hello was accepted. */
export interface WelcomeMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'welcome';
  deviceId: string;
  /** Heartbeat interval the device must keep, modelled ms. */
  heartbeatMs: number;
  /** Encoding the device must use for result vectors. */
  encoding: VectorEncoding;
}

/** Aggregator -> device: run your student on one input. */
export interface InferMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'infer';
  /** Request id, unique within a run. */
  requestId: number;
  /** Index of the sample in the run's dataset slice. */
  sample: number;
  /** Raw image bytes (CHW record layout) in `broadcast` input mode; absent in `local` mode. */
  image?: Uint8Array;
}

/** Device -> aggregator: the student's output vector for one request. */
export interface ResultMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'result';
  requestId: number;
  vector: VectorPayload;
  /** Modelled compute time on the wearable (device class), ms. */
  computeMs: number;
  /** Host wall time the emulator spent computing, ms (diagnostic). */
  hostMs: number;
}

/** Either direction: liveness probe (`reply: false`) or its answer (`reply: true`). */
export interface HeartbeatMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'heartbeat';
  /** Sequence number, echoed in the reply. */
  seq: number;
  reply: boolean;
}

/** Either direction: something went wrong; `code` is a stable `E_*` string. */
export interface ErrorMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'error';
  code: string;
  message: string;
  /** Request the error belongs to, when there is one. */
  requestId?: number;
}

/** Either direction: orderly goodbye before closing. */
export interface ByeMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'bye';
  reason: string;
}

/**
 * MoDNN, endpoint to endpoint (device to device through the medium, device to hub, hub to device):
 * one planned message of a layer-wise inference (halo rows, partial pool sums, the pooled vector,
 * a logits slice). `data` is float32 little-endian, finite, at most `limits.maxMessageBytes`.
 */
export interface BandMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'band';
  requestId: number;
  /** Id of the message in the MoDNN plan (`PlannedMessage.id`). */
  messageId: number;
  data: Uint8Array;
}

/** The device <-> aggregator protocol: one versioned discriminated union. */
export type Message = HelloMessage | WelcomeMessage | InferMessage | ResultMessage | HeartbeatMessage | ErrorMessage | ByeMessage | BandMessage;

/** The `type` tag of every {@link Message}. */
export type MessageType = Message['type'];

/** Every {@link MessageType}. */
export const MESSAGE_TYPES: readonly MessageType[] = ['hello', 'welcome', 'infer', 'result', 'heartbeat', 'error', 'bye', 'band'];

/**
 * Error codes carried by {@link ErrorMessage} between peers.
 * - `E_AUTH_FAILED`: unknown device id or a bundle that does not fit; the aggregator closes the session.
 * - `E_NOT_AUTHENTICATED`: a message other than hello before the welcome.
 * - `E_DUPLICATE_DEVICE`: a second session for a device id that is already connected (refused by the medium; the live one is untouched).
 * - `E_BAD_MESSAGE`: the peer sent bytes that failed to decode or validate.
 * - `E_INFERENCE_FAILED`: the device could not run its student on the request.
 * - `E_SHUTTING_DOWN`: the sender is stopping.
 */
export type WireErrorCode = 'E_AUTH_FAILED' | 'E_NOT_AUTHENTICATED' | 'E_DUPLICATE_DEVICE' | 'E_BAD_MESSAGE' | 'E_INFERENCE_FAILED' | 'E_SHUTTING_DOWN';
