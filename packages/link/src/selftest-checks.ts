import type { SelftestReport } from './selftest';

/** Limits of {@link selftestChecks}; every field has a default. */
export interface SelftestTolerances {
  /** Largest relative error of the mean frame loss; default 0.02. */
  lossRelative?: number;
  /** Largest two-sample KS distance of burst and gap lengths; default 0.05. */
  ks?: number;
  /** Largest relative error of goodput against the analytic rate; default 0.02. */
  goodputRelative?: number;
  /** Slack around the analytic band of the latency p50 and p99, ms; default 0.1. */
  latencyMs?: number;
}

/** One configured-against-measured check. */
export interface SelftestCheck {
  name: string;
  configured: number;
  measured: number;
  /** The measured value's allowed distance (relative, absolute or KS, see `name`). */
  limit: string;
  pass: boolean;
}

/** Checks a self-test report against tolerances (the targets by default). */
export function selftestChecks(report: SelftestReport, tolerances: SelftestTolerances = {}): SelftestCheck[] {
  const lossTol = tolerances.lossRelative ?? 0.02;
  const ksTol = tolerances.ks ?? 0.05;
  const goodputTol = tolerances.goodputRelative ?? 0.02;
  const latencyTol = tolerances.latencyMs ?? 0.1;
  const { loss, bursts, gaps, goodput, latency } = report;
  const within = (value: number, [lo, hi]: [number, number]): boolean => value >= lo - latencyTol - 1e-9 && value <= hi + latencyTol + 1e-9;
  return [
    {
      name: 'mean frame loss',
      configured: loss.configured,
      measured: loss.measured,
      limit: `relative ${lossTol}`,
      pass: Math.abs(loss.relativeError) <= lossTol || (loss.configured === 0 && loss.measured === 0),
    },
    {
      name: 'burst lengths (KS)',
      configured: bursts.meanConfigured,
      measured: bursts.meanMeasured,
      limit: `KS ${bursts.ks.toFixed(4)} <= ${ksTol}`,
      pass: bursts.ks <= ksTol,
    },
    {
      name: 'gap lengths (KS)',
      configured: gaps.meanConfigured,
      measured: gaps.meanMeasured,
      limit: `KS ${gaps.ks.toFixed(4)} <= ${ksTol}`,
      pass: gaps.ks <= ksTol,
    },
    {
      name: 'goodput bit/s',
      configured: goodput.analyticBps,
      measured: goodput.measuredBps,
      limit: `relative ${goodputTol}`,
      pass: Math.abs(goodput.relativeError) <= goodputTol,
    },
    {
      name: 'latency p50 ms',
      configured: latency.expectedP50Ms,
      measured: latency.p50Ms,
      limit: `in [${latency.p50BandMs.map((v) => v.toFixed(3)).join(', ')}] +- ${latencyTol}`,
      pass: within(latency.p50Ms, latency.p50BandMs),
    },
    {
      name: 'latency p99 ms',
      configured: latency.expectedP99Ms,
      measured: latency.p99Ms,
      limit: `in [${latency.p99BandMs.map((v) => v.toFixed(3)).join(', ')}] +- ${latencyTol}`,
      pass: within(latency.p99Ms, latency.p99BandMs),
    },
  ];
}
