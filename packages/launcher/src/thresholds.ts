import type { RunSummary } from '@wearnet/aggregator';
import type { Thresholds } from './topology';

/** One broken threshold. */
export interface Violation {
  threshold: keyof Thresholds;
  limit: number;
  actual: number;
}

/** Checks a run summary against the topology's thresholds. */
export function checkThresholds(summary: RunSummary, thresholds: Thresholds): Violation[] {
  const out: Violation[] = [];
  const check = (threshold: keyof Thresholds, actual: number, broken: (limit: number) => boolean): void => {
    const limit = thresholds[threshold];
    if (limit !== undefined && (Number.isNaN(actual) || broken(limit))) out.push({ threshold, limit, actual });
  };
  check('minAccuracy', summary.requests.accuracy, (limit) => summary.requests.accuracy < limit);
  check('maxP50LatencyMs', summary.latencyMs.p50, (limit) => summary.latencyMs.p50 > limit);
  check('maxP95LatencyMs', summary.latencyMs.p95, (limit) => summary.latencyMs.p95 > limit);
  check('maxP99LatencyMs', summary.latencyMs.p99, (limit) => summary.latencyMs.p99 > limit);
  check('maxDeadlineMissRate', summary.requests.deadlineMissRate, (limit) => summary.requests.deadlineMissRate > limit);
  check('maxBytesPerInference', summary.bytesPerInference.total, (limit) => summary.bytesPerInference.total > limit);
  return out;
}
