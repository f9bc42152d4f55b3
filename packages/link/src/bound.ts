import { idleTransfer } from './airtime';
import type { LinkConfig } from './config';

/** Input of {@link roundBound}: one request round of K devices on an otherwise idle, lossless medium. */
export interface RoundBoundOptions {
  link: LinkConfig;
  /** Payload bytes of the request to each device, in the order the hub sends them. */
  downlinkBytes: readonly number[];
  /** Modelled compute time of each device, ms. */
  computeMs: readonly number[];
  /** Payload bytes of each device's reply. */
  uplinkBytes: readonly number[];
}

/** Outcome of {@link roundBound}. */
export interface RoundBound {
  /** When each device's reply reaches the hub, ms after the round starts. */
  arrivalMs: number[];
  /** When the last reply reaches the hub, ms: the lower bound of the request's latency. */
  roundMs: number;
  /** Medium occupancy of the round, ms. */
  busyMs: number;
}

/**
 * The analytic latency of one request round with no loss and no backoff, on the model's single
 * FIFO schedule: all K requests leave back to back (they are all ready at 0), each device
 * computes after its request arrives, and replies take the medium in the order they are ready.
 * This is the bound the emulator's unloaded latency is checked against.
 */
export function roundBound(options: RoundBoundOptions): RoundBound {
  const k = options.downlinkBytes.length;
  if (options.computeMs.length !== k || options.uplinkBytes.length !== k) {
    throw new RangeError('downlinkBytes, computeMs and uplinkBytes must have the same length');
  }
  let free = 0;
  const ready: { device: number; at: number }[] = [];
  for (let i = 0; i < k; i += 1) {
    const transfer = idleTransfer(options.link, options.downlinkBytes[i]);
    ready.push({ device: i, at: free + transfer.deliveryMs + options.computeMs[i] });
    free += transfer.occupancyMs;
  }
  ready.sort((a, b) => a.at - b.at || a.device - b.device);
  const arrivalMs = new Array<number>(k).fill(0);
  for (const { device, at } of ready) {
    const start = Math.max(at, free);
    const transfer = idleTransfer(options.link, options.uplinkBytes[device]);
    arrivalMs[device] = start + transfer.deliveryMs;
    free = start + transfer.occupancyMs;
  }
  return { arrivalMs, roundMs: k === 0 ? 0 : Math.max(...arrivalMs), busyMs: free };
}
