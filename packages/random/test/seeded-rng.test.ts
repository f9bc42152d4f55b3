import fc from 'fast-check';
import { createSeededRng as createRng } from '../src/index';

describe('createRng', () => {
  it('gives the same stream for the same seed, floats in [0, 1) and ints in range', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const a = createRng(seed);
        const b = createRng(seed);
        for (let i = 0; i < 20; i++) {
          const x = a.float();
          expect(b.float()).toBe(x);
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(1);
          const k = a.int(-3, 3);
          expect(b.int(-3, 3)).toBe(k);
          expect(Math.abs(k)).toBeLessThanOrEqual(3);
        }
      }),
    );
  });
});
