import fc from 'fast-check';
import { buildPearsonGraph, buildProductGraph, pearsonCorrelations } from '@wearnet/partition';

// Values at float32-like scales: magnitudes below 1e-6 become 0 (denormal-scale inputs would only test rounding).
const value = fc.double({ min: -2, max: 5, noNaN: true }).map((v) => (Math.abs(v) < 1e-6 ? 0 : v));
const activations = fc
  .integer({ min: 1, max: 9 })
  .chain((filters) => fc.array(fc.array(value, { minLength: filters, maxLength: filters }), { minLength: 2, maxLength: 30 }));

/** NoNN normalisation written out plainly: clip at 0, divide by the row's maximum. */
function normalise(rows: number[][]): number[][] {
  return rows.map((row) => {
    const max = Math.max(0, ...row);
    return row.map((v) => (max > 0 ? Math.max(0, v) / max : 0));
  });
}

function naivePearson(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += ((x[i] as number) - mx) * ((y[i] as number) - my);
    sxx += ((x[i] as number) - mx) ** 2;
    syy += ((y[i] as number) - my) ** 2;
  }
  const constant = (v: number[]) => v.every((e) => e === v[0]);
  return constant(x) || constant(y) ? 0 : sxy / (Math.sqrt(sxx) * Math.sqrt(syy));
}

describe('pearsonCorrelations', () => {
  it('matches the textbook formula on the normalised activations', () => {
    fc.assert(
      fc.property(activations, (rows) => {
        const a = normalise(rows);
        const f = rows[0]!.length;
        const r = pearsonCorrelations(rows);
        for (let i = 0; i < f; i++) {
          for (let j = 0; j < f; j++) {
            const expected = naivePearson(
              a.map((row) => row[i] as number),
              a.map((row) => row[j] as number),
            );
            expect(r[i * f + j]).toBeCloseTo(expected, 6);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('gives a constant filter correlation 0 with every filter, itself included', () => {
    const r = pearsonCorrelations([
      [1, 0.5, 0.2],
      [1, 0.5, 0.9],
      [1, 0.5, 0.1],
    ]);
    expect(Array.from(r.slice(3, 6))).toEqual([0, 0, 0]);
    expect(r[8]).toBeCloseTo(1, 12);
  });
});

describe('buildPearsonGraph', () => {
  it('keeps positive correlations as weights and drops negative ones and the diagonal', () => {
    fc.assert(
      fc.property(activations, (rows) => {
        const f = rows[0]!.length;
        const r = pearsonCorrelations(rows);
        const g = buildPearsonGraph(rows);
        for (let k = 0; k < f * f; k++) {
          const diagonal = Math.floor(k / f) === k % f;
          expect(g.weights[k]).toBe(diagonal ? 0 : Math.max(0, r[k] as number));
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe('buildProductGraph', () => {
  it('weighs each pair by the mean product of its normalised activations', () => {
    fc.assert(
      fc.property(activations, (rows) => {
        const a = normalise(rows);
        const f = rows[0]!.length;
        const g = buildProductGraph(rows);
        for (let i = 0; i < f; i++) {
          for (let j = 0; j < f; j++) {
            const expected = i === j ? 0 : a.reduce((s, row) => s + (row[i] as number) * (row[j] as number), 0) / a.length;
            expect(g.weights[i * f + j]).toBeCloseTo(expected, 10);
          }
        }
      }),
      { numRuns: 50 },
    );
  });
});
