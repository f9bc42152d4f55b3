import fc from 'fast-check';
import { PartitionError, balancedEigenPartition, createRng, filterGraphFromWeights, modularity, partsFromAssignment } from '@wearnet/partition';
import { canonical, nonnOrSkip, plantedGraph } from './planted';

function randomGraph(n: number, density: number, seed: number) {
  const rng = createRng(seed);
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = rng.float() < density ? rng.float() : 0;
      w[i * n + j] = v;
      w[j * n + i] = v;
    }
  }
  w[1] = w[n] = 1; // at least one edge
  return filterGraphFromWeights('pearson', n, w);
}

describe('balancedEigenPartition', () => {
  it('assigns every filter exactly once into parts whose sizes differ by at most 1, for any number of parts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }), fc.integer({ min: 0, max: 1000 }), fc.nat(), fc.boolean(), (n, seed, partsSeed, refine) => {
        const parts = 1 + (partsSeed % n);
        const graph = randomGraph(n, 0.3, seed);
        const { assignment } = balancedEigenPartition(graph, { parts, seed, refine });
        const lists = partsFromAssignment(assignment, parts);
        expect(lists.unused).toEqual([]);
        expect(lists.parts.flat().sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
        const sizes = lists.parts.map((p) => p.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        expect(Math.min(...sizes)).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 80 },
    );
  });

  it('gives the same partition for the same seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 40 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 2, max: 4 }), (n, seed, parts) => {
        const graph = randomGraph(n, 0.5, seed);
        const a = balancedEigenPartition(graph, { parts, seed });
        const b = balancedEigenPartition(graph, { parts, seed });
        expect(Array.from(a.assignment)).toEqual(Array.from(b.assignment));
      }),
      { numRuns: 30 },
    );
  });

  it('recovers planted equal blocks exactly, with modularity at least that of the NoNN partitions', () => {
    let compared = 0;
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 7 }), fc.integer({ min: 3, max: 10 }), fc.integer({ min: 0, max: 1 << 20 }), (blocks, size, seed) => {
        const { graph, blocks: truth } = plantedGraph(blocks, size, seed);
        const { assignment } = balancedEigenPartition(graph, { parts: blocks, seed });
        expect(canonical(partsFromAssignment(assignment, blocks).parts)).toEqual(canonical(truth));
        const q = modularity(graph, assignment);
        // NoNN drops its largest bucket, so it can feed at most blocks - 1 students here.
        for (const nonn of [nonnOrSkip(graph, blocks, seed, true), nonnOrSkip(graph, blocks - 1, seed, false)]) {
          if (nonn === undefined) continue;
          expect(q).toBeGreaterThanOrEqual(modularity(graph, nonn) - 1e-9);
          compared++;
        }
      }),
      { numRuns: 60 },
    );
    expect(compared).toBeGreaterThan(60);
  });

  it('recovers two planted blocks from the eigenvector cut alone, without refinement', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 15 }), fc.integer({ min: 0, max: 1 << 20 }), (size, seed) => {
        const { graph, blocks: truth } = plantedGraph(2, size, seed);
        const { assignment, swaps } = balancedEigenPartition(graph, { parts: 2, seed, refine: false });
        expect(swaps).toBe(0);
        expect(canonical(partsFromAssignment(assignment, 2).parts)).toEqual(canonical(truth));
      }),
      { numRuns: 40 },
    );
  });

  it('never has lower modularity with refinement than without', () => {
    fc.assert(
      fc.property(fc.integer({ min: 6, max: 40 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 2, max: 5 }), (n, seed, parts) => {
        const graph = randomGraph(n, 0.3, seed);
        const raw = balancedEigenPartition(graph, { parts, seed, refine: false });
        const refined = balancedEigenPartition(graph, { parts, seed, refine: true });
        expect(modularity(graph, refined.assignment)).toBeGreaterThanOrEqual(modularity(graph, raw.assignment) - 1e-12);
      }),
      { numRuns: 40 },
    );
  });

  it('rejects more parts than filters with E_TOO_MANY_PARTS', () => {
    const graph = randomGraph(5, 1, 1);
    expect(() => balancedEigenPartition(graph, { parts: 6 })).toThrow(expect.objectContaining({ code: 'E_TOO_MANY_PARTS' }));
  });

  it('rejects a graph without edges with E_EMPTY_GRAPH', () => {
    const graph = filterGraphFromWeights('pearson', 4, new Float64Array(16));
    let error: unknown;
    try {
      balancedEigenPartition(graph, { parts: 2 });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PartitionError);
    expect((error as PartitionError).code).toBe('E_EMPTY_GRAPH');
  });
});
