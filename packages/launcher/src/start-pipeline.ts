import { availableParallelism } from 'node:os';
import { LauncherError } from './errors';

/** Largest `startConcurrency` accepted (also the most devices a topology may have). */
export const MAX_START_CONCURRENCY = 1024;

/**
 * Device processes started at once by default: the host's cores (`os.availableParallelism()`), at
 * least 2 and at most 8. A device's start-up is CPU-bound (loading modules, compiling the wasm
 * backend, loading and warming its student), so more at once only makes each one slower.
 */
export function defaultStartConcurrency(cores: number = availableParallelism()): number {
  return Math.min(8, Math.max(2, Math.floor(cores)));
}

/**
 * `startConcurrency` of a topology or option, resolved: undefined gives {@link defaultStartConcurrency}.
 * @throws LauncherError `E_OPTION_INVALID` unless it is an integer in 1..{@link MAX_START_CONCURRENCY}.
 */
export function resolveStartConcurrency(value: unknown, cores?: number): number {
  if (value === undefined) return defaultStartConcurrency(cores);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_START_CONCURRENCY) {
    throw new LauncherError(
      'E_OPTION_INVALID',
      `startConcurrency must be an integer in 1..${MAX_START_CONCURRENCY}, got ${JSON.stringify(value) ?? String(value)}`,
    );
  }
  return value;
}

/** Options of {@link runStartPipeline}. */
export interface StartPipelineOptions<T> {
  /** What to start, in order. */
  items: readonly T[];
  /** Most items starting at once (resolved, see {@link resolveStartConcurrency}). */
  concurrency: number;
  /**
   * Starts one item; resolves when it no longer counts as starting (a device: loaded, or exited).
   * A rejection stops the pipeline: nothing further starts and the pipeline rejects with it.
   */
  start: (item: T) => Promise<void>;
  /** Checked before each start; false stops the pipeline (the run is being torn down). Default: always true. */
  shouldContinue?: () => boolean;
}

/**
 * Starts `items` with at most `concurrency` of them starting at any time, in order, each as soon as
 * a slot is free. Resolves with the number started once every started item has finished starting.
 */
export async function runStartPipeline<T>(options: StartPipelineOptions<T>): Promise<number> {
  const { items, start } = options;
  const concurrency = resolveStartConcurrency(options.concurrency);
  const shouldContinue = options.shouldContinue ?? (() => true);
  let next = 0;
  let started = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    while (next < items.length && !failed && shouldContinue()) {
      const item = items[next];
      next += 1;
      started += 1;
      try {
        await start(item);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return started;
}
