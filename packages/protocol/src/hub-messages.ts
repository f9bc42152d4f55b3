import type { PROTOCOL_VERSION } from './messages';

/** Link-layer accounting of one message's transfer over the medium. */
export interface TransferStats {
  /** Payload bytes of the message (what the PHY frames carried). */
  payloadBytes: number;
  /** Number of PHY frames the message was cut into. */
  frames: number;
  /** Transmission attempts, first tries plus retries. */
  attempts: number;
  /** Retries (attempts beyond the first per frame). */
  retries: number;
  /** Attempts whose frame was lost on the body. */
  lostFrames: number;
  /** Bits of data frames put on the air by the sender, every attempt, headers included. */
  dataBits: number;
  /** Bits of ACK frames put on the air by the receiver. */
  ackBits: number;
  /** Airtime used, including failed attempts, ACKs and inter-frame spaces; modelled ms. */
  airtimeMs: number;
  /** Time the message waited for the shared medium before its first frame; modelled ms. */
  queuedMs: number;
  /** Modelled time the message was ready to send, ms. */
  readyAtMs: number;
  /** Modelled time the last attempt ended, ms. */
  endAtMs: number;
}

/** The stats of a message that never reached the air (refused before its first frame), ready and ended at modelled `atMs`. */
export function emptyTransferStats(payloadBytes: number, atMs: number): TransferStats {
  return {
    payloadBytes,
    frames: 0,
    attempts: 0,
    retries: 0,
    lostFrames: 0,
    dataBits: 0,
    ackBits: 0,
    airtimeMs: 0,
    queuedMs: 0,
    readyAtMs: atMs,
    endAtMs: atMs,
  };
}

/** Medium -> hub: a device attached to the medium (its radio link exists). */
export interface LinkOpenMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'link-open';
  deviceId: string;
  atMs: number;
}

/** Medium -> hub: a device's connection to the medium ended. */
export interface LinkCloseMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'link-close';
  deviceId: string;
  atMs: number;
  reason: string;
}

/** Medium -> hub: a device message crossed the body and arrived at the hub at modelled time `atMs`. */
export interface UplinkMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'uplink';
  deviceId: string;
  atMs: number;
  /** The encoded device message, opaque to the medium. */
  payload: Uint8Array;
  stats: TransferStats;
}

/**
 * Medium -> hub: a device message was lost on the body (a frame exhausted its retries). The hub's
 * radio saw the failed frames but not the content; `payload` (the lost message, opaque to the
 * medium) is instrumentation, so the hub can attribute the loss in the run's records.
 */
export interface UplinkDroppedMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'uplink-dropped';
  deviceId: string;
  atMs: number;
  stats: TransferStats;
  /** The encoded device message that was lost. */
  payload: Uint8Array;
}

/** Hub -> medium: send `payload` to a device, ready at modelled time `readyAtMs`. */
export interface DownlinkMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'downlink';
  deviceId: string;
  /** Hub-chosen sequence number, echoed in the report. */
  seq: number;
  readyAtMs: number;
  payload: Uint8Array;
}

/** Medium -> hub: outcome of a downlink (delivered, or dropped when a frame exhausted its retries or the device is gone). */
export interface DownlinkReportMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'downlink-report';
  deviceId: string;
  seq: number;
  delivered: boolean;
  /** Modelled time of delivery or of the drop, ms. */
  atMs: number;
  stats: TransferStats;
}

/**
 * Medium -> hub: a device-to-device message (MoDNN halo rows) crossed the body from `deviceId` to
 * `to`, or was lost. The hub owns the MAC of the shared medium, so it learns every transmission;
 * `payload` (opaque to the medium) is instrumentation, so the hub can attribute bytes per layer.
 */
export interface PeerReportMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'peer-report';
  /** The sender. */
  deviceId: string;
  /** The receiver. */
  to: string;
  delivered: boolean;
  /** Modelled time of delivery or of the drop, ms. */
  atMs: number;
  stats: TransferStats;
  payload: Uint8Array;
}

/**
 * The medium <-> hub protocol. The hub (aggregator) sits on the body and owns the MAC of the
 * shared medium, so it learns the link-layer outcome of every message it sends or receives.
 */
export type HubMessage =
  LinkOpenMessage | LinkCloseMessage | UplinkMessage | UplinkDroppedMessage | DownlinkMessage | DownlinkReportMessage | PeerReportMessage;

/** The `type` tag of every {@link HubMessage}. */
export type HubMessageType = HubMessage['type'];

/** Every {@link HubMessageType}. */
export const HUB_MESSAGE_TYPES: readonly HubMessageType[] = [
  'link-open',
  'link-close',
  'uplink',
  'uplink-dropped',
  'downlink',
  'downlink-report',
  'peer-report',
];
