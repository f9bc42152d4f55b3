import fc from 'fast-check';
import { bandRows, biasedPartition, receptiveRows, rowRuns, samePadding } from '../src/index';

describe('biasedPartition', () => {
  it('covers every row exactly once, in device order, with shares within one row of proportional', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 64 }),
        fc.array(fc.double({ min: 0.01, max: 100, noNaN: true }), { minLength: 1, maxLength: 12 }),
        (total, speeds) => {
          const bands = biasedPartition(total, speeds);
          expect(bands).toHaveLength(speeds.length);
          let at = 0;
          const sum = speeds.reduce((a, b) => a + b, 0);
          bands.forEach((b, i) => {
            expect(b.start).toBe(at);
            at = b.end;
            expect(Math.abs(bandRows(b) - (total * speeds[i]) / sum)).toBeLessThan(1 + 1e-9);
          });
          expect(at).toBe(total);
        },
      ),
    );
  });

  it('gives a device twice as fast twice the rows', () => {
    expect(biasedPartition(32, [2, 1, 1]).map(bandRows)).toEqual([16, 8, 8]);
  });

  it('rejects a non-positive speed with E_OPTION_INVALID naming speeds', () => {
    expect(() => biasedPartition(8, [1, 0])).toThrow(expect.objectContaining({ code: 'E_OPTION_INVALID', message: expect.stringContaining('speeds') }));
  });
});

describe('samePadding and receptiveRows', () => {
  it('match TensorFlow same padding: 3x3 stride 1 pads one row each side, 3x3 stride 2 on an even map pads only after', () => {
    expect(samePadding(32, 3, 1)).toEqual({ outSize: 32, padBefore: 1, padAfter: 1 });
    expect(samePadding(32, 3, 2)).toEqual({ outSize: 16, padBefore: 0, padAfter: 1 });
    expect(samePadding(7, 3, 2)).toEqual({ outSize: 4, padBefore: 1, padAfter: 1 });
    expect(samePadding(32, 1, 2)).toEqual({ outSize: 16, padBefore: 0, padAfter: 0 });
  });

  it('reads one halo row each side for 3x3 stride 1 and only even rows for a strided 1x1', () => {
    expect(receptiveRows({ start: 4, end: 8 }, { inSize: 32, kernel: 3, stride: 1 })).toEqual([3, 4, 5, 6, 7, 8]);
    expect(receptiveRows({ start: 0, end: 2 }, { inSize: 32, kernel: 3, stride: 1 })).toEqual([0, 1, 2]);
    expect(receptiveRows({ start: 2, end: 4 }, { inSize: 32, kernel: 3, stride: 2 })).toEqual([4, 5, 6, 7, 8]);
    expect(receptiveRows({ start: 2, end: 4 }, { inSize: 32, kernel: 1, stride: 2 })).toEqual([4, 6]);
    expect(rowRuns([4, 6, 7, 9])).toEqual([
      { start: 4, end: 5 },
      { start: 6, end: 8 },
      { start: 9, end: 10 },
    ]);
  });
});
