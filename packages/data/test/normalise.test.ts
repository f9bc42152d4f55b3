import fc from 'fast-check';
import { CIFAR100_MEAN, CIFAR100_STD, denormaliseToByte, normalisationTable, normaliseByte } from '@wearnet/data';

describe('normalisation', () => {
  it('exports the CIFAR-100 per-channel mean and std on the 0..1 scale', () => {
    expect(CIFAR100_MEAN).toEqual([0.5071, 0.4865, 0.4409]);
    expect(CIFAR100_STD).toEqual([0.2673, 0.2564, 0.2762]);
    expect(Object.isFrozen(CIFAR100_MEAN)).toBe(true);
  });

  it('maps a byte to (byte / 255 - mean) / std', () => {
    expect(normaliseByte(255, 0)).toBeCloseTo((1 - 0.5071) / 0.2673, 12);
    expect(normaliseByte(0, 2)).toBeCloseTo(-0.4409 / 0.2762, 12);
    expect(normaliseByte(51, 1, { mean: [0, 0, 0], std: [1, 1, 1] })).toBeCloseTo(0.2, 12);
  });

  it('builds a float32 table that agrees with normaliseByte for every byte of every channel', () => {
    const table = normalisationTable();
    for (let c = 0; c < 3; c++) for (let v = 0; v < 256; v++) expect(table[c * 256 + v]).toBeCloseTo(normaliseByte(v, c), 5);
  });

  it('inverts back to the same byte from float32 values', () => {
    const table = normalisationTable();
    fc.assert(fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 2 }), (v, c) => denormaliseToByte(table[c * 256 + v], c) === v));
  });

  it('rejects a std with a zero entry naming std', () => {
    expect(() => normalisationTable({ std: [1, 0, 1] })).toThrow(/^std/);
    expect(() => normalisationTable({ mean: [1, 2] as never })).toThrow(TypeError);
  });
});
