import type { Direction } from '@wearnet/link';
import type { Outcome } from './relay';

/** A message whose modelled timing the host disturbed (see `Outcome.disturbed`). */
export interface DisturbedMessage {
  linkId: string;
  direction: Direction;
  /** Hub sequence number of a downlink; 0 for uplinks. */
  seq: number;
  /** Its stamp, modelled ms. */
  readyAtMs: number;
  /** When it was delivered (or dropped), modelled ms. */
  atMs: number;
  /** Modelled ms it waited for the medium (part of it behind later-stamped traffic). */
  queuedMs: number;
}

/** The medium's account of host disturbance, in its report. */
export interface DisturbanceReport {
  /** Messages committed out of stamp order behind later-stamped traffic. */
  count: number;
  /** The first `maxListed` of them. */
  messages: DisturbedMessage[];
  /** The adaptive reorder window at the end (modelled ms) and the host lag quantile it followed; null when off. */
  reorderWindow: { windowMs: number; lagQuantileMs: number; observed: number } | null;
}

/** Keeps the disturbed messages of a run (the first `maxListed`, default 10 000) and their count. */
export class DisturbanceLog {
  private count = 0;
  private readonly messages: DisturbedMessage[] = [];

  constructor(private readonly maxListed = 10000) {}

  /** Records an outcome if it was disturbed; returns whether it was. */
  record({ offer, result, disturbed }: Outcome): boolean {
    if (!disturbed) return false;
    this.count += 1;
    if (this.messages.length < this.maxListed) {
      this.messages.push({
        linkId: offer.linkId,
        direction: offer.direction,
        seq: offer.seq,
        readyAtMs: offer.readyAtMs,
        atMs: result.atMs,
        queuedMs: result.stats.queuedMs,
      });
    }
    return true;
  }

  report(reorderWindow: DisturbanceReport['reorderWindow']): DisturbanceReport {
    return { count: this.count, messages: [...this.messages], reorderWindow };
  }
}
