import fc from 'fast-check';
import { GilbertElliott, createStream } from '../src/index';

describe('GilbertElliott', () => {
  it('spends about bad/(good+bad) of the time in the bad state', () => {
    const channel = new GilbertElliott({ goodMeanMs: 900, badMeanMs: 100, lossInGood: 0, lossInBad: 1 }, createStream(5, 'x'));
    let bad = 0;
    const samples = 200000;
    for (let i = 0; i < samples; i += 1) if (channel.stateAt(i * 10) === 'bad') bad += 1;
    expect(bad / samples).toBeGreaterThan(0.08);
    expect(bad / samples).toBeLessThan(0.12);
  });

  it('makes fades last a time, not a number of queries: the state at a time does not depend on how often it was queried', () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(fc.double({ min: 0, max: 10000, noNaN: true }), { minLength: 1, maxLength: 50 }), (seed, times) => {
        const config = { goodMeanMs: 200, badMeanMs: 50, lossInGood: 0, lossInBad: 1 };
        const sparse = new GilbertElliott(config, createStream(seed, 'c'));
        const dense = new GilbertElliott(config, createStream(seed, 'c'));
        const sorted = [...times].sort((a, b) => a - b);
        for (const t of sorted) {
          for (let u = 0; u < t; u += 97) dense.stateAt(u);
          expect(dense.stateAt(t)).toBe(sparse.stateAt(t));
        }
      }),
      { numRuns: 100 },
    );
  });
});
