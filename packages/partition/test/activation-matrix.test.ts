import { normaliseActivations, toActivationMatrix } from '@wearnet/partition';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

describe('toActivationMatrix', () => {
  it('accepts rows of numbers and returns them images-major', () => {
    const m = toActivationMatrix([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(m.images).toBe(2);
    expect(m.filters).toBe(3);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('accepts a flat matrix without copying it', () => {
    const data = new Float32Array([1, 2, 3, 4]);
    expect(toActivationMatrix({ images: 2, filters: 2, data }).data).toBe(data);
  });

  it('rejects NaN and Infinity with E_NON_FINITE naming the image and filter', () => {
    expect(codeOf(() => toActivationMatrix([[1, NaN]]))).toBe('E_NON_FINITE');
    expect(() => toActivationMatrix({ images: 2, filters: 2, data: new Float64Array([0, 0, 0, -Infinity]) })).toThrow(/image 1, filter 1/);
  });

  it('rejects ragged rows and a flat matrix of the wrong length with E_RAGGED', () => {
    expect(codeOf(() => toActivationMatrix([[1, 2], [3]]))).toBe('E_RAGGED');
    expect(codeOf(() => toActivationMatrix({ images: 2, filters: 2, data: new Float32Array(3) }))).toBe('E_RAGGED');
  });

  it('rejects no image or no filter with E_EMPTY', () => {
    expect(codeOf(() => toActivationMatrix([]))).toBe('E_EMPTY');
    expect(codeOf(() => toActivationMatrix([[], []]))).toBe('E_EMPTY');
    expect(codeOf(() => toActivationMatrix({ images: 0, filters: 4, data: new Float32Array(0) }))).toBe('E_EMPTY');
  });

  it('rejects values that are not numbers and malformed matrices with E_ACTIVATIONS_INVALID', () => {
    expect(codeOf(() => toActivationMatrix([[1, '2' as unknown as number]]))).toBe('E_ACTIVATIONS_INVALID');
    expect(codeOf(() => toActivationMatrix({ images: 1, filters: 1, data: [1] as unknown as Float32Array }))).toBe('E_ACTIVATIONS_INVALID');
    expect(codeOf(() => toActivationMatrix(null as unknown as number[][]))).toBe('E_ACTIVATIONS_INVALID');
  });
});

describe('normaliseActivations', () => {
  it('clips negatives, divides each image by its largest value and returns filters-major', () => {
    const a = normaliseActivations(
      toActivationMatrix([
        [2, -1, 1],
        [-3, -2, -1],
        [0, 4, 1],
      ]),
    );
    // filter 0 over images, then filter 1, then filter 2; image 1 (all negative) stays zero.
    expect(Array.from(a)).toEqual([1, 0, 0, 0, 0, 1, 0.5, 0, 0.25]);
  });
});
