import fc from 'fast-check';
import { Registry } from 'prom-client';
import { histogramQuantile, latencyBucketsSeconds } from '../src/latency-buckets';
import { LatencyHistogram, LATENCY_HISTOGRAM } from '../src/latency-histogram';
import { percentile } from '../src/stats';

/** Cumulative buckets of `values` (seconds) over `bounds`. */
function cumulative(bounds: readonly number[], values: readonly number[]): { le: number; count: number }[] {
  return bounds.map((le) => ({ le, count: values.filter((v) => v <= le).length }));
}

describe('latencyBucketsSeconds', () => {
  it('is ascending, holds the deadline, and steps by at most 2 % between 0.8x and 3x the bound', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 2000, noNaN: true }), fc.double({ min: 1.01, max: 100, noNaN: true }), (boundMs, ratio) => {
        const deadlineMs = boundMs * ratio;
        const b = latencyBucketsSeconds({ boundMs, deadlineMs });
        for (let i = 1; i < b.length; i += 1) expect(b[i]).toBeGreaterThan(b[i - 1]);
        expect(b).toContainEqual(Number((deadlineMs / 1000).toPrecision(6)));
        const fine = b.filter((s) => s >= (0.8 * boundMs) / 1000 && s <= (Math.min(3 * boundMs, deadlineMs) * 0.999) / 1000);
        expect(fine.length).toBeGreaterThan(1);
        for (let i = 1; i < fine.length; i += 1) expect(fine[i] / fine[i - 1]).toBeLessThanOrEqual(1.02 + 1e-5);
        expect(b.length).toBeLessThan(120);
      }),
    );
  });

  it('refuses a non-positive bound or deadline and a step outside (0, 1] with a RangeError naming the option', () => {
    expect(() => latencyBucketsSeconds({ boundMs: 0, deadlineMs: 100 })).toThrow(/boundMs/);
    expect(() => latencyBucketsSeconds({ boundMs: 10, deadlineMs: NaN })).toThrow(/deadlineMs/);
    expect(() => latencyBucketsSeconds({ boundMs: 10, deadlineMs: 100, fineStep: 0 })).toThrow(/fineStep/);
    expect(() => latencyBucketsSeconds({ boundMs: 10, deadlineMs: 100, coarseStep: 2 })).toThrow(RangeError);
  });
});

describe('histogramQuantile', () => {
  it('interpolates inside the bucket holding the rank, as Prometheus does', () => {
    const buckets = [
      { le: 1, count: 0 },
      { le: 2, count: 10 },
      { le: 4, count: 20 },
    ];
    expect(histogramQuantile(0.5, buckets, 20)).toBeCloseTo(2, 9);
    expect(histogramQuantile(0.25, buckets, 20)).toBeCloseTo(1.5, 9);
    expect(histogramQuantile(0.75, buckets, 20)).toBeCloseTo(3, 9);
    expect(histogramQuantile(0.5, [], 0)).toBeNaN();
  });

  it('returns the largest finite bound when the rank is in the +Inf bucket', () => {
    expect(histogramQuantile(0.99, [{ le: 1, count: 1 }], 10)).toBe(1);
  });

  it('reads p50 and p99 within 5 % of the exact percentiles for latencies spread around the bound', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 500, noNaN: true }),
        fc.array(fc.double({ min: 1, max: 2, noNaN: true }), { minLength: 200, maxLength: 400 }),
        (boundMs, factors) => {
          const latenciesMs = factors.map((f) => f * boundMs);
          const bounds = latencyBucketsSeconds({ boundMs, deadlineMs: 10 * boundMs });
          const buckets = cumulative(
            bounds,
            latenciesMs.map((ms) => ms / 1000),
          );
          const sorted = [...latenciesMs].sort((a, b) => a - b);
          for (const q of [0.5, 0.99]) {
            const exact = percentile(sorted, q * 100);
            expect(Math.abs(histogramQuantile(q, buckets, sorted.length) * 1000 - exact)).toBeLessThanOrEqual(0.05 * exact);
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('LatencyHistogram', () => {
  it('appears once a bound is known, with every latency observed before it', async () => {
    const registry = new Registry();
    const h = new LatencyHistogram({ registry, deadlineMs: 300 });
    h.observe(12);
    expect(await registry.getSingleMetricAsString(LATENCY_HISTOGRAM).catch(() => 'absent')).toBe('absent');
    expect(h.buckets).toBeUndefined();
    h.observe(11, 10);
    const text = await registry.metrics();
    expect(text).toMatch(new RegExp(`^${LATENCY_HISTOGRAM}_count 2$`, 'm'));
    expect(text).toMatch(new RegExp(`^${LATENCY_HISTOGRAM}_sum 0.023$`, 'm'));
    expect(h.buckets).toEqual(latencyBucketsSeconds({ boundMs: 10, deadlineMs: 300 }));
  });

  it('falls back to a tenth of the deadline as the bound after maxPending latencies without one', () => {
    const h = new LatencyHistogram({ registry: new Registry(), deadlineMs: 300, maxPending: 2 });
    for (let i = 0; i < 3; i += 1) h.observe(300);
    expect(h.buckets).toEqual(latencyBucketsSeconds({ boundMs: 30, deadlineMs: 300 }));
  });
});
