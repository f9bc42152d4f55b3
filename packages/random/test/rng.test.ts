import fc from 'fast-check';
import { createRng, createRngFromState, shuffledIndices } from '../src/index';

function draws(seed: number, n: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.nextInt(1000));
}

describe('createRng', () => {
  it('yields the same sequence for the same seed', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), (seed) => JSON.stringify(draws(seed, 20)) === JSON.stringify(draws(seed, 20))));
  });

  it('yields different sequences for neighbouring seeds', () => {
    for (let seed = 0; seed < 50; seed++) expect(draws(seed, 8)).not.toEqual(draws(seed + 1, 8));
  });

  it('keeps nextInt in [0, maxExclusive) and nextFloat in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: 2 ** 32 }), (seed, max) => {
        const rng = createRng(seed);
        for (let i = 0; i < 20; i++) {
          const v = rng.nextInt(max);
          const f = rng.nextFloat();
          if (!(Number.isInteger(v) && v >= 0 && v < max && f >= 0 && f < 1)) return false;
        }
        return true;
      }),
    );
  });

  it('spreads nextInt(9) roughly evenly (each value within 20 % of its expectation over 9000 draws)', () => {
    const rng = createRng(7);
    const counts = new Array(9).fill(0);
    for (let i = 0; i < 9000; i++) counts[rng.nextInt(9)]++;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(200);
  });

  it('resumes from getState() and clone() at the same position', () => {
    const rng = createRng(42);
    rng.nextInt(10);
    const copy = rng.clone();
    const resumed = createRngFromState(rng.getState());
    const next = [rng.nextInt(1e6), rng.nextInt(1e6)];
    expect([copy.nextInt(1e6), copy.nextInt(1e6)]).toEqual(next);
    expect([resumed.nextInt(1e6), resumed.nextInt(1e6)]).toEqual(next);
  });

  it('rejects a seed that is not an unsigned 32-bit integer with E_OPTION_INVALID naming seed', () => {
    for (const seed of [-1, 1.5, 2 ** 32, Number.NaN]) {
      expect(() => createRng(seed)).toThrow(RangeError);
      expect(() => createRng(seed)).toThrow(/^seed/);
    }
  });

  it('rejects nextInt(0) with a RangeError', () => {
    expect(() => createRng(1).nextInt(0)).toThrow(RangeError);
  });
});

describe('shuffledIndices', () => {
  it('returns a permutation of 0..n-1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 0xffffffff }), (n, seed) => {
        const p = Array.from(shuffledIndices(n, createRng(seed))).sort((a, b) => a - b);
        return p.length === n && p.every((v, i) => v === i);
      }),
    );
  });

  it('is reproducible from the seed and differs between seeds', () => {
    expect(shuffledIndices(100, createRng(3))).toEqual(shuffledIndices(100, createRng(3)));
    expect(shuffledIndices(100, createRng(3))).not.toEqual(shuffledIndices(100, createRng(4)));
  });

  it('puts each index first about equally often', () => {
    const counts = new Array(5).fill(0);
    const rng = createRng(11);
    for (let i = 0; i < 5000; i++) counts[shuffledIndices(5, rng)[0]]++;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });
});
