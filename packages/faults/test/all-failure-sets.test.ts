import fc from 'fast-check';
import { allFailureSets, binomial, subsetsOfSize } from '../src/index';

describe('failure sets', () => {
  it('lists C(n,k) distinct sorted subsets of size k', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n }))),
        ([n, k]) => {
          const sets = [...subsetsOfSize(n, k)];
          expect(sets).toHaveLength(binomial(n, k));
          expect(new Set(sets.map((s) => s.join(','))).size).toBe(sets.length);
          for (const s of sets) {
            expect(s).toHaveLength(k);
            s.forEach((v, i) => {
              expect(v).toBeGreaterThanOrEqual(0);
              expect(v).toBeLessThan(n);
              if (i > 0) expect(v).toBeGreaterThan(s[i - 1]);
            });
          }
        },
      ),
    );
  });

  it('covers all 256 failure sets of 8 devices, 70 of them with 4 failed', () => {
    const sets = allFailureSets(8);
    expect(sets.map((s) => s.length)).toEqual([1, 8, 28, 56, 70, 56, 28, 8, 1]);
  });

  it('refuses more failure sets than the limit, naming the option', () => {
    expect(() => allFailureSets(20)).toThrow(/devices/);
  });
});
