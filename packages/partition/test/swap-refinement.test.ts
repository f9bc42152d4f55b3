import fc from 'fast-check';
import { balancedSizes, createRng, filterGraphFromWeights, modularity, refineBySwaps } from '@wearnet/partition';

const instance = fc
  .record({ n: fc.integer({ min: 3, max: 22 }), parts: fc.integer({ min: 2, max: 4 }), seed: fc.integer() })
  .filter(({ n, parts }) => parts <= n)
  .map(({ n, parts, seed }) => {
    const rng = createRng(seed);
    const w = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const v = rng.float() < 0.4 ? rng.float() : 0;
        w[i * n + j] = v;
        w[j * n + i] = v;
      }
    }
    w[1] = w[n] = 1;
    const labels: number[] = [];
    balancedSizes(n, parts).forEach((size, p) => labels.push(...new Array<number>(size).fill(p)));
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [labels[i], labels[j]] = [labels[j] as number, labels[i] as number];
    }
    return { graph: filterGraphFromWeights('pearson', n, w), parts, labels };
  });

function sizes(labels: ArrayLike<number>, parts: number): number[] {
  const s = new Array<number>(parts).fill(0);
  for (let i = 0; i < labels.length; i++) s[labels[i] as number]++;
  return s;
}

describe('refineBySwaps', () => {
  it('keeps part sizes and raises modularity by exactly the gain it reports', () => {
    fc.assert(
      fc.property(instance, ({ graph, parts, labels }) => {
        const before = modularity(graph, labels);
        const result = refineBySwaps(graph, labels, { parts });
        expect(sizes(result.assignment, parts)).toEqual(sizes(labels, parts));
        const after = modularity(graph, result.assignment);
        expect(after).toBeGreaterThanOrEqual(before - 1e-12);
        expect(after - before).toBeCloseTo(result.gain, 9);
      }),
      { numRuns: 100 },
    );
  });

  it('stops only when no single swap raises modularity', () => {
    fc.assert(
      fc.property(instance, ({ graph, parts, labels }) => {
        const { assignment, converged } = refineBySwaps(graph, labels, { parts });
        expect(converged).toBe(true);
        const q = modularity(graph, assignment);
        for (let i = 0; i < graph.filters; i++) {
          for (let j = i + 1; j < graph.filters; j++) {
            if (assignment[i] === assignment[j]) continue;
            const swapped = Int32Array.from(assignment);
            swapped[i] = assignment[j] as number;
            swapped[j] = assignment[i] as number;
            expect(modularity(graph, swapped)).toBeLessThanOrEqual(q + 1e-9);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('makes at most maxSwaps swaps and does not modify its input', () => {
    fc.assert(
      fc.property(instance, fc.integer({ min: 0, max: 2 }), ({ graph, parts, labels }, maxSwaps) => {
        const copy = labels.slice();
        const result = refineBySwaps(graph, labels, { parts, maxSwaps });
        expect(result.swaps).toBeLessThanOrEqual(maxSwaps);
        expect(labels).toEqual(copy);
      }),
      { numRuns: 50 },
    );
  });
});
