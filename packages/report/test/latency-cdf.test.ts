import fc from 'fast-check';
import { cdfPoints, latencyCdfChart } from '../src/index';
import { at, rows } from './spec-at';

describe('cdfPoints', () => {
  it('is a non-decreasing step function of input values that ends at 1 and keeps at most maxPoints points', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { maxLength: 400 }), fc.integer({ min: 2, max: 300 }), (values, maxPoints) => {
        const points = cdfPoints(values, maxPoints);
        expect(points.length).toBe(Math.min(values.length, maxPoints));
        if (values.length === 0) return;
        expect(points[points.length - 1].fraction).toBe(1);
        expect(points[0].latencyMs).toBe(Math.min(...values));
        for (let i = 1; i < points.length; i += 1) {
          expect(points[i].latencyMs).toBeGreaterThanOrEqual(points[i - 1].latencyMs);
          expect(points[i].fraction).toBeGreaterThan(points[i - 1].fraction);
        }
        for (const p of points) expect(values).toContain(p.latencyMs);
      }),
    );
  });

  it('gives the fraction of values at or below each distinct value', () => {
    expect(cdfPoints([30, 10, 20, 40])).toEqual([
      { latencyMs: 10, fraction: 0.25 },
      { latencyMs: 20, fraction: 0.5 },
      { latencyMs: 30, fraction: 0.75 },
      { latencyMs: 40, fraction: 1 },
    ]);
  });
});

describe('latencyCdfChart', () => {
  it('draws one curve per method and a rule at each known bound', () => {
    const spec = latencyCdfChart({
      methods: [
        { name: 'a', latenciesMs: [1, 2], boundMs: 1.5 },
        { name: 'b', latenciesMs: [3], boundMs: NaN },
        { name: 'c', latenciesMs: [] },
      ],
    });
    expect(rows(spec, 'layer', 0).map((r) => r.method)).toEqual(['a', 'a', 'b']);
    expect(rows(spec, 'layer', 1)).toEqual([{ method: 'a', boundMs: 1.5 }]);
    expect(at(spec, 'layer', 0, 'mark', 'interpolate')).toBe('step-after');
  });

  it('rejects a negative latency and a bad maxPoints with errors naming the field', () => {
    expect(() => latencyCdfChart({ methods: [{ name: 'a', latenciesMs: [1, -2] }] })).toThrow(new RangeError('methods[0].latenciesMs[1] must be >= 0, got -2'));
    expect(() => latencyCdfChart({ methods: [], maxPoints: 0 })).toThrow(/maxPoints must be a positive integer/);
    expect(() => latencyCdfChart({ methods: [{ name: 'a', latenciesMs: [1], boundMs: Infinity }] })).toThrow(/methods\[0\]\.boundMs must be a finite number/);
  });
});
