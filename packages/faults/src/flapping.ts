import { createStream, exponential } from '@wearnet/link';
import { FaultError } from './errors';

/** Options of {@link flapOutages}. */
export interface FlapOptions {
  /** Fault id: with the seed, it names the random stream, so each flap has its own replayable schedule. */
  id: string;
  seed: number;
  /** Length of the flapping window, modelled ms. */
  durationMs: number;
  /** Mean up time between outages, modelled ms (exponential). */
  upMeanMs: number;
  /** Mean outage, modelled ms (exponential). */
  downMeanMs: number;
  /** Most outages one flap may expand to; default 10 000. */
  maxOutages?: number;
}

/** One outage of a flapping link, offsets from the start of the flap, modelled ms. */
export interface Outage {
  startMs: number;
  endMs: number;
}

/**
 * Expands a flapping link into outages: the link goes down at 0, stays down for an exponential
 * time of mean `downMeanMs`, comes up for an exponential time of mean `upMeanMs`, and so on until
 * `durationMs`, where the last outage is cut. Outages are disjoint, ordered, non-empty and lie in
 * [0, durationMs]. Deterministic for a seed and id.
 * @throws FaultError `E_FAULT_INVALID` when more than `maxOutages` outages would be needed.
 */
export function flapOutages(options: FlapOptions): Outage[] {
  const maxOutages = options.maxOutages ?? 10000;
  const stream = createStream(options.seed, `fault/${options.id}/flap`);
  const outages: Outage[] = [];
  let t = 0;
  while (t < options.durationMs) {
    if (outages.length >= maxOutages) {
      throw new FaultError(
        'E_FAULT_INVALID',
        `flap "${options.id}" would need more than ${maxOutages} outages in ${options.durationMs} ms; raise upMeanMs/downMeanMs or shorten it`,
        { path: ['upMeanMs'] },
      );
    }
    const down = Math.max(exponential(stream, options.downMeanMs), Number.EPSILON * options.durationMs);
    const endMs = Math.min(options.durationMs, t + down);
    if (endMs > t) outages.push({ startMs: t, endMs });
    t = endMs + exponential(stream, options.upMeanMs);
  }
  return outages;
}
