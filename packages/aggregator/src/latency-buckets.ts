/** Options of {@link latencyBucketsSeconds}. */
export interface LatencyBucketOptions {
  /** Analytic lossless round of one request, modelled ms (`roundBound`); must be positive. */
  boundMs: number;
  /** The workload's deadline, modelled ms; must be positive. */
  deadlineMs: number;
  /** Relative width of the fine buckets around the bound; default 0.02 (2 %). */
  fineStep?: number;
  /** Relative width of the buckets between the fine band and the deadline; default 0.1. */
  coarseStep?: number;
}

/** The fine band: from this fraction of the bound ... */
const FINE_FROM = 0.8;
/** ... to this multiple of it. */
const FINE_TO = 3;
/** Below the fine band, buckets at these fractions of the bound. */
const BELOW = [0.1, 0.25, 0.5];
/** Beyond the deadline, buckets at these multiples of it (late and cut requests). */
const BEYOND = [1.5, 2, 5];

/**
 * Upper bounds (seconds, ascending, distinct) of the request-latency histogram, derived from the
 * analytic bound and the deadline: geometric with `fineStep` from 0.8x to 3x the bound (where a
 * lossless run's latencies lie, so `histogram_quantile` reads p50/p99 within a bucket's width),
 * geometric with `coarseStep` from there to the deadline, the deadline itself, and a few coarse
 * ones below the bound and beyond the deadline. About 80 buckets with the defaults.
 * @throws RangeError when an option is not a positive finite number (or a step not in (0, 1]).
 */
export function latencyBucketsSeconds(options: LatencyBucketOptions): number[] {
  const { boundMs, deadlineMs } = options;
  const fineStep = options.fineStep ?? 0.02;
  const coarseStep = options.coarseStep ?? 0.1;
  for (const [name, v] of [
    ['boundMs', boundMs],
    ['deadlineMs', deadlineMs],
  ] as const)
    if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`${name} must be a positive number, got ${v}`);
  for (const [name, v] of [
    ['fineStep', fineStep],
    ['coarseStep', coarseStep],
  ] as const)
    if (!(v > 0 && v <= 1)) throw new RangeError(`${name} must be in (0, 1], got ${v}`);
  const ms: number[] = BELOW.map((f) => f * boundMs);
  for (let b = FINE_FROM * boundMs; b < FINE_TO * boundMs; b *= 1 + fineStep) ms.push(b);
  for (let b = FINE_TO * boundMs; b < deadlineMs; b *= 1 + coarseStep) ms.push(b);
  ms.push(deadlineMs, ...BEYOND.map((f) => f * deadlineMs));
  // Seconds with 6 significant digits (a readable exposition), sorted and distinct.
  const seconds = ms.map((m) => Number((m / 1000).toPrecision(6))).sort((a, b) => a - b);
  return seconds.filter((s, i) => i === 0 || s > seconds[i - 1]);
}

/**
 * The q-quantile (q in [0, 1]) of a cumulative histogram the way Prometheus' `histogram_quantile`
 * reads it: the bucket holding rank q * count, interpolated linearly inside it (from 0 for the
 * first bucket); the largest finite bound when the rank falls in the `+Inf` bucket; NaN when empty.
 * @param buckets ascending upper bounds with their cumulative counts (without `+Inf`).
 */
export function histogramQuantile(q: number, buckets: readonly { le: number; count: number }[], total: number): number {
  if (total === 0 || buckets.length === 0) return NaN;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const { le, count } of buckets) {
    if (count >= rank && count > below) return lower + ((le - lower) * (rank - below)) / (count - below);
    lower = le;
    below = count;
  }
  return buckets[buckets.length - 1].le;
}
