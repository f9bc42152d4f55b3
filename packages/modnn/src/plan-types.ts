import type { RowBand } from './bands';
import type { SpatialGraph } from './graph';

/** Endpoint index of the aggregator (the hub) in messages; devices are `0..K-1`. */
export const HUB = -1;

/** What a message carries. */
export type MessageKind = 'request' | 'input' | 'halo' | 'partial' | 'pooled' | 'logits';

/**
 * One message of an inference. All of them together are the traffic of one inference.
 * - `request`: hub -> device, starts the device's inference (request id, sample index); `local` input mode.
 * - `input`: hub -> device, the request in `broadcast` input mode: the image rows the device needs
 *   (own rows and the stem's halo), raw bytes (1 per element); only in `broadcast` input mode.
 * - `halo`: device -> device, rows of a feature map the receiver's next convolution reads but another device computed.
 * - `partial`: device -> hub, the per-channel sum of the device's rows of the final feature map.
 * - `pooled`: hub -> device, the pooled vector (sum of partials / (height * width)), the input of the device's slice of the dense layer.
 * - `logits`: device -> hub, the device's output neurons of the dense layer (the final gather).
 */
export interface PlannedMessage {
  /** Index in {@link ModnnPlan.messages}. */
  id: number;
  kind: MessageKind;
  /** Node whose output the message carries. */
  tensor: string;
  /** Sender: device index or {@link HUB}. */
  from: number;
  /** Receiver: device index or {@link HUB}. */
  to: number;
  /** `input`/`halo`: the rows carried (ascending runs); absent for vectors. */
  rows?: RowBand[];
  /** `logits`: the output neurons carried. */
  units?: RowBand;
  /** Number of tensor elements carried. */
  elements: number;
  /** Payload bytes: elements x bytes per element (1 for `input`, {@link ModnnPlan.bytesPerElement} otherwise). */
  payloadBytes: number;
}

/** One step of a participant's program. Programs are what phase 2 device processes run. */
export type ProgramStep = { op: 'recv'; messages: number[] } | { op: 'compute'; node: string; macs: number } | { op: 'send'; messages: number[] };

/** A spatial node's row split: which rows each device computes. */
export interface TensorBands {
  node: string;
  /** `[height, width, channels]`. */
  shape: number[];
  /** Row band of each device (contiguous, in device order, covering the height once). */
  bands: RowBand[];
}

/** Everything an inference does, per device and per message; pure data (JSON-serialisable). */
export interface ModnnPlan {
  graph: SpatialGraph;
  /** Number of devices K. */
  devices: number;
  /** Relative speed of each device (MAC/s of its class): the weights of the biased partition. */
  speeds: number[];
  /** Bytes per feature-map / vector element on the wire (4: float32). */
  bytesPerElement: number;
  /** `local`: each device reads its image rows itself (no input traffic); `broadcast`: the hub sends them. */
  inputMode: 'local' | 'broadcast';
  /** Payload of a `request` message, bytes. */
  requestBytes: number;
  /** Row split of every spatial node, by name. */
  tensors: Record<string, TensorBands>;
  /** Image rows each device reads (own rows and the stem's halo), ascending. */
  inputRows: number[][];
  /** Output neurons of the dense layer per device (split by speed). */
  denseUnits: RowBand[];
  /** Every message of one inference, in program order. */
  messages: PlannedMessage[];
  /** Program of each device. */
  programs: ProgramStep[][];
  /** Program of the hub (aggregator). */
  hubProgram: ProgramStep[];
}
