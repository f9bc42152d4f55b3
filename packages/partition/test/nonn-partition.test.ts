import fc from 'fast-check';
import { createRng, filterGraphFromWeights, nonnPartition, partsFromAssignment } from '@wearnet/partition';

/** Disjoint cliques of the given sizes (weights 1) on shuffled-free consecutive indices, then `isolated` isolated filters. */
function cliques(sizes: number[], isolated: number) {
  const n = sizes.reduce((a, b) => a + b, 0) + isolated;
  const w = new Float64Array(n * n);
  let at = 0;
  for (const size of sizes) {
    for (let i = at; i < at + size; i++) for (let j = at; j < at + size; j++) if (i !== j) w[i * n + j] = 1;
    at += size;
  }
  return filterGraphFromWeights('hubs', n, w);
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('nonnPartition', () => {
  it('leaves the largest bucket unused and hands further buckets to the student with the fewest filters', () => {
    // Cliques 0-4, 5-8, 9-11, 12-13 and six isolated filters 14-19 (the largest bucket).
    const { assignment } = nonnPartition(cliques([5, 4, 3, 2], 6), { parts: 2, seed: 1 });
    const { parts, unused } = partsFromAssignment(assignment, 2);
    expect(unused).toEqual(range(14, 20));
    // 5 -> student 0, 4 -> student 1, 3 -> student 1 (4 < 5), 2 -> student 0 (5 < 7).
    expect(parts[0]).toEqual([...range(0, 5), 12, 13]);
    expect(parts[1]).toEqual(range(5, 12));
  });

  it('drops the largest community when it outnumbers the isolated filters', () => {
    const { assignment } = nonnPartition(cliques([6, 3, 3], 2), { parts: 2, seed: 1 });
    const { parts, unused } = partsFromAssignment(assignment, 2);
    expect(unused).toEqual(range(0, 6));
    // Buckets 6-8 and 9-11 seed the students; the isolated bucket {12, 13} goes to student 0 (tie, 3 = 3).
    expect(parts).toEqual([[...range(6, 9), 12, 13], range(9, 12)]);
  });

  it('with assignAll assigns every filter, isolated ones one by one', () => {
    const { assignment } = nonnPartition(cliques([5, 4, 3, 2], 6), { parts: 2, seed: 1, assignAll: true });
    const { parts, unused } = partsFromAssignment(assignment, 2);
    expect(unused).toEqual([]);
    expect(parts.map((p) => p.length)).toEqual([10, 10]);
  });

  it('uses each filter at most once (exactly once with assignAll) and gives the same result for the same seed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 4, max: 40 }),
        fc.integer({ min: 0, max: 1 << 20 }),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        (n, seed, parts, assignAll) => {
          const rng = createRng(seed);
          const w = new Float64Array(n * n);
          for (let i = 0; i < n; i++) {
            for (let j = i + 1; j < n; j++) {
              const v = rng.float() < 0.15 ? rng.float() : 0;
              w[i * n + j] = w[j * n + i] = v;
            }
          }
          w[1] = w[n] = 1;
          const graph = filterGraphFromWeights('hubs', n, w);
          let result;
          try {
            result = nonnPartition(graph, { parts, seed, assignAll });
          } catch (err) {
            expect((err as { code: string }).code).toBe('E_TOO_FEW_COMMUNITIES');
            return;
          }
          const lists = partsFromAssignment(result.assignment, parts);
          const seen = [...lists.parts.flat(), ...lists.unused].sort((x, y) => x - y);
          expect(seen).toEqual(range(0, n));
          if (assignAll) expect(lists.unused).toEqual([]);
          for (const p of lists.parts) expect(p.length).toBeGreaterThan(0);
          expect(Array.from(nonnPartition(graph, { parts, seed, assignAll }).assignment)).toEqual(Array.from(result.assignment));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('reports E_TOO_FEW_COMMUNITIES when buckets run out before students', () => {
    expect(() => nonnPartition(cliques([4, 4], 0), { parts: 2 })).toThrow(expect.objectContaining({ code: 'E_TOO_FEW_COMMUNITIES' }));
    expect(() => nonnPartition(cliques([8], 0), { parts: 2, assignAll: true })).toThrow(expect.objectContaining({ code: 'E_TOO_FEW_COMMUNITIES' }));
  });

  it('rejects a graph without edges with E_EMPTY_GRAPH and more students than filters with E_TOO_MANY_PARTS', () => {
    expect(() => nonnPartition(cliques([], 5), { parts: 2 })).toThrow(expect.objectContaining({ code: 'E_EMPTY_GRAPH' }));
    expect(() => nonnPartition(cliques([3], 0), { parts: 4 })).toThrow(expect.objectContaining({ code: 'E_TOO_MANY_PARTS' }));
  });
});
