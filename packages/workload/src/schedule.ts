import { createStream, exponential } from '@wearnet/link';
import { optionError } from './errors';

/** How requests arrive. */
export type Arrival =
  /** Closed loop: keep `concurrency` requests outstanding; a new one starts when one finishes. */
  | { mode: 'closed'; concurrency: number }
  /** Open loop: requests start at `ratePerSecond` (modelled), evenly spaced (`fixed`) or as a Poisson process. */
  | { mode: 'open'; ratePerSecond: number; process: 'fixed' | 'poisson' };

/** Options of {@link sampleOrder}. */
export interface SampleOrderOptions {
  /** Requests to issue. */
  requests: number;
  /** Images in the slice. */
  sliceCount: number;
  /** `sequential` (0, 1, 2, ... wrapping) or `shuffled` (a seeded permutation per pass). */
  order: 'sequential' | 'shuffled';
  seed: number;
}

/** The sample index of each request. */
export function sampleOrder(options: SampleOrderOptions): Uint32Array {
  const { requests, sliceCount } = options;
  if (!Number.isSafeInteger(requests) || requests < 0) throw optionError('requests', `must be a non-negative integer, got ${requests}`);
  if (!Number.isSafeInteger(sliceCount) || sliceCount < 1) throw optionError('sliceCount', `must be a positive integer, got ${sliceCount}`);
  const out = new Uint32Array(requests);
  const stream = createStream(options.seed, 'workload/order');
  let pass: number[] = [];
  for (let i = 0; i < requests; i += 1) {
    const k = i % sliceCount;
    if (k === 0) {
      pass = Array.from({ length: sliceCount }, (_, j) => j);
      if (options.order === 'shuffled') {
        for (let j = sliceCount - 1; j > 0; j -= 1) {
          const r = Math.floor(stream.next() * (j + 1));
          [pass[j], pass[r]] = [pass[r], pass[j]];
        }
      }
    }
    out[i] = pass[k];
  }
  return out;
}

/**
 * Modelled start times (ms, from 0) of `requests` open-loop arrivals; for closed loop, undefined
 * (starts follow completions).
 */
export function openLoopStarts(arrival: Arrival, requests: number, seed: number): Float64Array | undefined {
  if (arrival.mode === 'closed') return undefined;
  if (!(arrival.ratePerSecond > 0)) throw optionError('ratePerSecond', `must be positive, got ${arrival.ratePerSecond}`);
  const meanMs = 1000 / arrival.ratePerSecond;
  const out = new Float64Array(requests);
  const stream = createStream(seed, 'workload/arrivals');
  let t = 0;
  for (let i = 0; i < requests; i += 1) {
    out[i] = t;
    t += arrival.process === 'poisson' ? exponential(stream, meanMs) : meanMs;
  }
  return out;
}
