import fc from 'fast-check';
import { binomial, failureSetOrder, grayRank } from '../src/index';

const maskOf = (set: number[]): number => set.reduce((m, d) => m | (1 << d), 0);
const bitsBetween = (a: number[], b: number[]): number => {
  let x = maskOf(a) ^ maskOf(b);
  let n = 0;
  for (; x !== 0; x &= x - 1) n += 1;
  return n;
};

describe('failureSetOrder', () => {
  it('visits every failure set of K devices exactly once, one device changing between consecutive sets', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), (K) => {
        const { sets, levels } = failureSetOrder({ devices: K });
        expect(sets).toHaveLength(2 ** K);
        expect(new Set(sets.map(maskOf)).size).toBe(2 ** K);
        expect(sets[0]).toEqual([]);
        for (let i = 1; i < sets.length; i += 1) expect(bitsBetween(sets[i - 1], sets[i])).toBe(1);
        expect(levels.map((l) => l.chosen)).toEqual(levels.map((l) => binomial(K, l.failed)));
      }),
    );
  });

  it('restores a device 127 times and crashes one 128 times over the 256 sets of K = 8', () => {
    const { sets } = failureSetOrder({ devices: 8 });
    let restores = 0;
    for (let i = 1; i < sets.length; i += 1) if (sets[i].length < sets[i - 1].length) restores += 1;
    expect(restores).toBe(127);
  });

  it('samples at most samplePerLevel distinct sets per level, deterministically for a seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 16 }), fc.integer({ min: 1, max: 20 }), fc.integer(), (K, sample, seed) => {
        const order = failureSetOrder({ devices: K, samplePerLevel: sample, seed });
        expect(failureSetOrder({ devices: K, samplePerLevel: sample, seed })).toEqual(order);
        for (const level of order.levels) {
          const atLevel = order.sets.filter((s) => s.length === level.failed);
          expect(atLevel).toHaveLength(Math.min(sample, binomial(K, level.failed)));
          expect(new Set(atLevel.map(maskOf)).size).toBe(atLevel.length);
          expect(level.sampled).toBe(sample < binomial(K, level.failed));
        }
        const ranks = order.sets.map((s) => grayRank(maskOf(s)));
        expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
      }),
      { numRuns: 60 },
    );
  });

  it('stops at maxFailed and refuses an order beyond maxSets with E_TOO_MANY_SETS', () => {
    const order = failureSetOrder({ devices: 6, maxFailed: 2 });
    expect(order.sets).toHaveLength(1 + 6 + 15);
    expect(Math.max(...order.sets.map((s) => s.length))).toBe(2);
    expect(() => failureSetOrder({ devices: 20 })).toThrow(expect.objectContaining({ code: 'E_TOO_MANY_SETS' }));
    expect(() => failureSetOrder({ devices: 0 })).toThrow(RangeError);
  });
});
