import fc from 'fast-check';
import { createRng, jacobiEigen, leadingEigenpair } from '@wearnet/partition';

const symmetric = fc.record({ n: fc.integer({ min: 1, max: 30 }), seed: fc.integer() }).map(({ n, seed }) => {
  const rng = createRng(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = rng.float() * 2 - 1;
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  return { n, a };
});

function multiply(a: Float64Array, n: number, x: Float64Array, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += (a[i * n + j] as number) * (x[j] as number);
    out[i] = s;
  }
}

describe('jacobiEigen', () => {
  it('returns orthonormal eigenvectors with A v = lambda v', () => {
    fc.assert(
      fc.property(symmetric, ({ n, a }) => {
        const { values, vectors } = jacobiEigen(a, n);
        for (let c = 0; c < n; c++) {
          const v = Float64Array.from({ length: n }, (_, i) => vectors[i * n + c] as number);
          const av = new Float64Array(n);
          multiply(a, n, v, av);
          for (let i = 0; i < n; i++) expect(av[i]).toBeCloseTo((values[c] as number) * (v[i] as number), 8);
          for (let d = 0; d < n; d++) {
            let dot = 0;
            for (let i = 0; i < n; i++) dot += (v[i] as number) * (vectors[i * n + d] as number);
            expect(dot).toBeCloseTo(c === d ? 1 : 0, 8);
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('leadingEigenpair', () => {
  it('finds the largest algebraic eigenvalue, as the full Jacobi decomposition does', () => {
    fc.assert(
      fc.property(symmetric, fc.integer(), ({ n, a }, seed) => {
        const pair = leadingEigenpair(n, (x, out) => multiply(a, n, x, out), createRng(seed), { krylovSize: Math.max(4, Math.floor(n / 3)) });
        expect(pair.converged).toBe(true);
        const { values } = jacobiEigen(a, n);
        expect(pair.value).toBeCloseTo(Math.max(...values), 6);
        const av = new Float64Array(n);
        multiply(a, n, pair.vector, av);
        let residual = 0;
        for (let i = 0; i < n; i++) residual += ((av[i] as number) - pair.value * (pair.vector[i] as number)) ** 2;
        expect(Math.sqrt(residual)).toBeLessThan(1e-5);
      }),
      { numRuns: 60 },
    );
  });

  it('converges when the two largest eigenvalues are within 0.5 % (a restart from one Ritz vector stalls there)', () => {
    const n = 24;
    // A = H D H with a Householder reflection H = I - 2 u u^T: eigenvalues D, eigenvectors not axis-aligned.
    const d = Float64Array.from({ length: n }, (_, i) => (i === 0 ? 1 : i === 1 ? 0.995 : -1 + (1.8 * i) / n));
    const u = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
    const un = Math.sqrt(u.reduce((s, x) => s + x * x, 0));
    u.forEach((x, i) => (u[i] = x / un));
    const h = (i: number, j: number): number => (i === j ? 1 : 0) - 2 * (u[i] as number) * (u[j] as number);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j] += h(i, k) * (d[k] as number) * h(k, j);
    for (const seed of [1, 2, 3, 4, 5]) {
      const pair = leadingEigenpair(n, (x, out) => multiply(a, n, x, out), createRng(seed), { krylovSize: 4 });
      expect(pair.converged).toBe(true);
      expect(pair.value).toBeCloseTo(1, 6);
    }
  });

  it('returns the same vector for the same seed', () => {
    const n = 20;
    const a = new Float64Array(n * n).map((_, k) => Math.cos(Math.floor(k / n) + (k % n)));
    const run = () => Array.from(leadingEigenpair(n, (x, out) => multiply(a, n, x, out), createRng(5)).vector);
    expect(run()).toEqual(run());
  });
});
