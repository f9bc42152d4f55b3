import { ksCritical, ksDistance } from './ks';

/** Counts of lengths in power-of-two bins (`1`, `2`, `3-4`, `5-8`, ...). */
export interface LengthHistogram {
  /** Bin labels. */
  bins: string[];
  /** Fraction of the sample in each bin. */
  measured: number[];
  /** Fraction of the reference sample in each bin. */
  configured: number[];
}

/** A measured distribution of run lengths against the configured one. */
export interface RunLengthComparison {
  /** Runs measured. */
  count: number;
  /** Runs in the reference sample. */
  referenceCount: number;
  meanMeasured: number;
  meanConfigured: number;
  /** Two-sample KS distance, measured vs reference. */
  ks: number;
  /** KS distance above which the two differ at the 5 % level (sample noise). */
  ksCritical: number;
  histogram: LengthHistogram;
}

/** Appends the lengths of runs of `true` to `bursts` and of `false` to `gaps`. */
export function runs(flags: readonly boolean[], bursts: number[], gaps: number[]): void {
  let i = 0;
  while (i < flags.length) {
    let j = i;
    while (j < flags.length && flags[j] === flags[i]) j += 1;
    (flags[i] ? bursts : gaps).push(j - i);
    i = j;
  }
}

/** Measured run lengths against a reference sample: means, two-sample KS and its 5 % critical value, histograms. */
export function compareRuns(measured: number[], reference: number[]): RunLengthComparison {
  const edges = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
  const bins = [...edges.map((e, i) => (i === 0 ? '1' : edges[i - 1] + 1 === e ? `${e}` : `${edges[i - 1] + 1}-${e}`)), `>${edges[edges.length - 1]}`];
  const fractions = (sample: number[]): number[] => {
    const counts = new Array<number>(bins.length).fill(0);
    for (const v of sample) {
      const b = edges.findIndex((e) => v <= e);
      counts[b < 0 ? edges.length : b] += 1;
    }
    return counts.map((c) => (sample.length === 0 ? 0 : c / sample.length));
  };
  return {
    count: measured.length,
    referenceCount: reference.length,
    meanMeasured: mean(measured),
    meanConfigured: mean(reference),
    ks: ksDistance(measured, reference),
    ksCritical: ksCritical(measured.length, reference.length),
    histogram: { bins, measured: fractions(measured), configured: fractions(reference) },
  };
}

/** Standard error of the mean of `values`. */
export function standardError(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1) / values.length);
}

/** Mean of `values` (0 when empty). */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((s, v) => s + v, 0) / values.length;
}

/** The `q` quantile of sorted values (0 when empty). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
