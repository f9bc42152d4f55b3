/**
 * Two-sample Kolmogorov-Smirnov distance: the largest gap between the empirical CDFs of `a` and
 * `b` (0 = same distribution, 1 = disjoint). Ties are handled exactly, so it is also right for
 * discrete samples such as burst lengths in frames. 0 when either sample is empty.
 */
export function ksDistance(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i], y[j]);
    while (i < x.length && x[i] === v) i += 1;
    while (j < y.length && y[j] === v) j += 1;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

/** One-sample KS distance of `sample` against the CDF `cdf`. 0 for an empty sample. */
export function ksDistanceToCdf(sample: readonly number[], cdf: (x: number) => number): number {
  const x = Float64Array.from(sample).sort();
  let d = 0;
  for (let i = 0; i < x.length; i += 1) {
    const f = cdf(x[i]);
    d = Math.max(d, Math.abs(f - i / x.length), Math.abs((i + 1) / x.length - f));
  }
  return d;
}

/**
 * Critical two-sample KS distance at significance `alpha` (asymptotic:
 * c(alpha) * sqrt((n + m) / (n m)), c = sqrt(-ln(alpha / 2) / 2)): a larger distance rejects
 * "same distribution". Infinity when a sample is empty.
 */
export function ksCritical(n: number, m: number, alpha = 0.05): number {
  if (n === 0 || m === 0) return Infinity;
  return Math.sqrt(-Math.log(alpha / 2) / 2) * Math.sqrt((n + m) / (n * m));
}
