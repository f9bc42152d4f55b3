import type { Direction, LinkTransferStats } from '@wearnet/link';

/** Accumulated link-layer counts of one direction of one link. */
export interface DirectionCounters {
  messages: number;
  delivered: number;
  dropped: number;
  payloadBytes: number;
  deliveredPayloadBytes: number;
  frames: number;
  attempts: number;
  retries: number;
  lostFrames: number;
  dataBits: number;
  ackBits: number;
  airtimeMs: number;
  queuedMs: number;
}

/** Counts of both directions of one link. */
export type LinkCounters = Record<Direction, DirectionCounters>;

/** Fresh zero counters. */
export function emptyDirectionCounters(): DirectionCounters {
  return {
    messages: 0,
    delivered: 0,
    dropped: 0,
    payloadBytes: 0,
    deliveredPayloadBytes: 0,
    frames: 0,
    attempts: 0,
    retries: 0,
    lostFrames: 0,
    dataBits: 0,
    ackBits: 0,
    airtimeMs: 0,
    queuedMs: 0,
  };
}

/** Adds one transfer to the counters. */
export function countTransfer(counters: DirectionCounters, delivered: boolean, stats: LinkTransferStats): void {
  counters.messages += 1;
  if (delivered) {
    counters.delivered += 1;
    counters.deliveredPayloadBytes += stats.payloadBytes;
  } else {
    counters.dropped += 1;
  }
  counters.payloadBytes += stats.payloadBytes;
  counters.frames += stats.frames;
  counters.attempts += stats.attempts;
  counters.retries += stats.retries;
  counters.lostFrames += stats.lostFrames;
  counters.dataBits += stats.dataBits;
  counters.ackBits += stats.ackBits;
  counters.airtimeMs += stats.airtimeMs;
  counters.queuedMs += stats.queuedMs;
}
