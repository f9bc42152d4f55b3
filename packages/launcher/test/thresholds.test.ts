import type { RunSummary } from '@wearnet/aggregator';
import { checkThresholds } from '../src/thresholds';

const summary = {
  requests: { issued: 10, finalised: 10, correct: 7, accuracy: 0.7, deadlineMisses: 1, deadlineMissRate: 0.1 },
  latencyMs: { count: 10, mean: 50, p50: 40, p95: 90, p99: 99, max: 100 },
  bytesPerInference: { down: 100, up: 200, total: 300 },
} as unknown as RunSummary;

describe('checkThresholds', () => {
  it('passes a run inside every threshold', () => {
    expect(checkThresholds(summary, { minAccuracy: 0.7, maxP95LatencyMs: 90, maxDeadlineMissRate: 0.1, maxBytesPerInference: 300 })).toEqual([]);
  });

  it('lists each broken threshold with its limit and the measured value', () => {
    expect(checkThresholds(summary, { minAccuracy: 0.8, maxP50LatencyMs: 30, maxDeadlineMissRate: 0.05 })).toEqual([
      { threshold: 'minAccuracy', limit: 0.8, actual: 0.7 },
      { threshold: 'maxP50LatencyMs', limit: 30, actual: 40 },
      { threshold: 'maxDeadlineMissRate', limit: 0.05, actual: 0.1 },
    ]);
  });

  it('treats an unmeasured latency (no request finished) as a violation', () => {
    const empty = { ...summary, latencyMs: { ...summary.latencyMs, p95: NaN } } as RunSummary;
    expect(checkThresholds(empty, { maxP95LatencyMs: 100 })).toHaveLength(1);
  });
});
