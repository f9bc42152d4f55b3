import type { RunSummary } from '@wearnet/aggregator';
import type { Thresholds } from './topology';

/**
 * One broken threshold, or (`threshold: 'allowDegradedStart'`, with `device`, `code` and `message`)
 * a device left out of a degraded start because it could not load its bundle.
 */
export interface Violation {
  threshold: keyof Thresholds | 'allowDegradedStart';
  limit: number;
  actual: number;
  device?: string;
  code?: string;
  message?: string;
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
