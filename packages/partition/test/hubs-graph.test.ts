import fc from 'fast-check';
import { buildHubsGraph, percentileOf } from '@wearnet/partition';

const weight = (g: { filters: number; weights: Float64Array }, i: number, j: number) => g.weights[i * g.filters + j] as number;

describe('buildHubsGraph', () => {
  // Rows normalise to [1, .5, 0] and [1, .5, .25]: pair sums 0.25 + 0.25 = 0.5 for (0, 1),
  // 1 * .25 * .75 = 0.1875 for (0, 2) and .5 * .25 * .25 = 0.03125 for (1, 2).
  const rows = [
    [2, 1, -3],
    [4, 2, 1],
  ];

  it('adds a_i * a_j * |a_i - a_j| over images and divides by the largest weight', () => {
    const g = buildHubsGraph(rows, { topK: 3, percentile: 0 });
    expect(weight(g, 0, 1)).toBeCloseTo(1, 12);
    expect(weight(g, 0, 2)).toBeCloseTo(0.1875 / 0.5, 12);
    expect(weight(g, 1, 2)).toBeCloseTo(0.03125 / 0.5, 12);
    expect(weight(g, 2, 1)).toBe(weight(g, 1, 2));
    expect(weight(g, 0, 0)).toBe(0);
  });

  it('drops edges below the percentile of the non-zero weights', () => {
    const g = buildHubsGraph(rows, { topK: 3, percentile: 50 });
    expect(weight(g, 0, 1)).toBeCloseTo(1, 12);
    expect(weight(g, 0, 2)).toBeCloseTo(0.375, 12); // the median itself is kept
    expect(weight(g, 1, 2)).toBe(0);
  });

  it('keeps only the topK strongest filters of each image', () => {
    const g = buildHubsGraph(rows, { topK: 2, percentile: 0 });
    expect(weight(g, 0, 1)).toBeCloseTo(1, 12);
    expect(weight(g, 0, 2)).toBe(0);
    expect(weight(g, 1, 2)).toBe(0);
  });

  it('breaks ties at the topK boundary by the lower filter index', () => {
    // Normalised row [1, .5, .5, .5]: with topK 2 only filters 0 and 1 are kept.
    const g = buildHubsGraph([[2, 1, 1, 1]], { topK: 2, percentile: 0 });
    expect(weight(g, 0, 1)).toBeCloseTo(1, 12);
    expect(weight(g, 0, 2) + weight(g, 0, 3) + weight(g, 1, 2)).toBe(0);
  });

  it('has no edge when every image activates every filter equally', () => {
    const g = buildHubsGraph([
      [1, 1, 1],
      [3, 3, 3],
    ]);
    expect(g.weights.every((w) => w === 0)).toBe(true);
  });

  it('is symmetric with a zero diagonal and weights in [0, 1] whose maximum is 1', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 12 })
          .chain((filters) =>
            fc.array(fc.array(fc.double({ min: -1, max: 10, noNaN: true }), { minLength: filters, maxLength: filters }), { minLength: 1, maxLength: 20 }),
          ),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 0, max: 100 }),
        (rows, topK, percentile) => {
          const g = buildHubsGraph(rows, { topK, percentile });
          const n = g.filters;
          let max = 0;
          for (let i = 0; i < n; i++) {
            expect(weight(g, i, i)).toBe(0);
            for (let j = 0; j < n; j++) {
              expect(weight(g, i, j)).toBe(weight(g, j, i));
              expect(weight(g, i, j)).toBeGreaterThanOrEqual(0);
              max = Math.max(max, weight(g, i, j));
            }
          }
          expect(max === 0 || Math.abs(max - 1) < 1e-12).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('rejects a topK below 2 or a percentile outside [0, 100] with E_OPTION_INVALID', () => {
    expect(() => buildHubsGraph(rows, { topK: 1 })).toThrow(expect.objectContaining({ code: 'E_OPTION_INVALID' }));
    expect(() => buildHubsGraph(rows, { percentile: 101 })).toThrow(
      expect.objectContaining({ code: 'E_OPTION_INVALID', message: expect.stringContaining("'percentile'") }),
    );
  });
});

describe('percentileOf', () => {
  it('interpolates linearly like numpy.percentile', () => {
    expect(percentileOf([1, 2, 3, 4], 50)).toBeCloseTo(2.5, 12);
    expect(percentileOf([1, 2, 3, 4], 99)).toBeCloseTo(3.97, 12);
    expect(percentileOf([1, 2, 3, 4], 0)).toBe(1);
    expect(percentileOf([1, 2, 3, 4], 100)).toBe(4);
  });
});
