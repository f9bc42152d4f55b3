/** Options of {@link ModelClock}. */
export interface ModelClockOptions {
  /** Host wall-clock time (ms since the Unix epoch, sub-ms precision) at which modelled time is 0. */
  epochMs: number;
  /** Modelled seconds per real second; 1 = real time, 10 = ten times faster. Default 1. */
  timeScale?: number;
  /** Host wall clock in ms since the Unix epoch; default `performance.timeOrigin + performance.now()`. */
  hostNowMs?: () => number;
}

/** The host wall clock with sub-millisecond precision, ms since the Unix epoch. */
export function hostNowMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Modelled time shared by every process of a run: `(host - epochMs) * timeScale`. All latencies,
 * deadlines and link timings are in modelled ms; only waiting uses real time (`realDelayMs`).
 */
export class ModelClock {
  readonly epochMs: number;
  readonly timeScale: number;
  private readonly source: () => number;

  constructor(options: ModelClockOptions) {
    const timeScale = options.timeScale ?? 1;
    if (!Number.isFinite(options.epochMs)) throw new RangeError(`epochMs must be a finite number, got ${String(options.epochMs)}`);
    if (!Number.isFinite(timeScale) || timeScale <= 0) throw new RangeError(`timeScale must be a positive number, got ${String(timeScale)}`);
    this.epochMs = options.epochMs;
    this.timeScale = timeScale;
    this.source = options.hostNowMs ?? hostNowMs;
  }

  /** Current modelled time, ms. */
  nowMs(): number {
    return (this.source() - this.epochMs) * this.timeScale;
  }

  /** Real ms to wait until modelled time `atMs` (0 when it has passed). */
  realDelayUntilMs(atMs: number): number {
    return Math.max(0, (atMs - this.nowMs()) / this.timeScale);
  }

  /** Real ms corresponding to a modelled duration. */
  toRealMs(modelMs: number): number {
    return modelMs / this.timeScale;
  }
}
