import fc from 'fast-check';
import { classify, fuseVectors, type AggregatorManifest } from '../src/index';

function manifest(fusion: 'concat' | 'part-average', devicePart: number[], partWidths: number[]): AggregatorManifest {
  const inputs = partWidths.reduce((a, b) => a + b, 0);
  return {
    format: 'wearnet-aggregator-bundle',
    version: 1,
    method: 'random',
    devices: devicePart.length,
    parts: partWidths.length,
    devicePart,
    partWidths,
    fusion,
    classes: 3,
    head: { file: 'head.bin', inputs, outputs: 3 },
    sha256: {},
  };
}

describe('fuseVectors', () => {
  it('zero-fills the part of a missing device under concat (NoNN)', () => {
    const m = manifest('concat', [0, 1], [2, 3]);
    const fused = fuseVectors(m, [Float32Array.from([1, 2]), undefined]);
    expect(Array.from(fused)).toEqual([1, 2, 0, 0, 0]);
  });

  it('averages a part over the devices of that part that arrived (averaging)', () => {
    const m = manifest('part-average', [0, 1, 0, 1], [2, 1]);
    const fused = fuseVectors(m, [Float32Array.from([1, 3]), undefined, Float32Array.from([3, 5]), Float32Array.from([7])]);
    expect(Array.from(fused)).toEqual([2, 4, 7]);
  });

  it('fills a part none of whose devices arrived with the mean of their mean vectors under missingFill mean', () => {
    const m: AggregatorManifest = { ...manifest('part-average', [0, 1, 0, 1], [2, 1]), missingFill: 'mean', meanVectors: [[1, 2], [4], [3, 6], [8]] };
    // Part 0 has a survivor (its mean is unchanged); part 1 has none: (4 + 8) / 2.
    expect(Array.from(fuseVectors(m, [Float32Array.from([1, 3]), undefined, undefined, undefined]))).toEqual([1, 3, 6]);
    // Nobody: both parts from the means.
    expect(Array.from(fuseVectors(m, [undefined, undefined, undefined, undefined]))).toEqual([2, 4, 6]);
    // Zero-fill with the same means present: the published rule.
    expect(Array.from(fuseVectors({ ...m, missingFill: 'zero' }, [undefined, undefined, undefined, undefined]))).toEqual([0, 0, 0]);
  });

  it('gives a part the value of any single survivor, whichever device of the part survives', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.float({ noNaN: true, min: -10, max: 10 }).map((x) => x + 0),
          { minLength: 4, maxLength: 4 },
        ),
        fc.boolean(),
        (values, firstSurvives) => {
          const m = manifest('part-average', [0, 0], [4]);
          const v = Float32Array.from(values);
          const fused = fuseVectors(m, firstSurvives ? [v, undefined] : [undefined, v]);
          expect(Array.from(fused)).toEqual(Array.from(v));
        },
      ),
    );
  });

  it('rejects a vector whose length differs from its part width', () => {
    const m = manifest('concat', [0], [2]);
    expect(() => fuseVectors(m, [new Float32Array(3)])).toThrow(RangeError);
  });
});

describe('classify', () => {
  it('computes fused x W + b and takes the arg-max', () => {
    const head = { inputs: 2, outputs: 3, weights: Float32Array.from([1, 0, 0, 0, 0, 2]), bias: Float32Array.from([0, 0.5, 0]) };
    const { logits, prediction } = classify(head, Float32Array.from([1, 1]));
    expect(Array.from(logits)).toEqual([1, 0.5, 2]);
    expect(prediction).toBe(2);
    expect(classify(head, Float32Array.from([0, 0])).prediction).toBe(1);
  });
});
