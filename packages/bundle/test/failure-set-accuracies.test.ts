import fc from 'fast-check';
import { classify, failureSetAccuracies, fuseVectors, type AggregatorManifest, type Head } from '../src/index';

function manifest(fusion: 'concat' | 'part-average', devicePart: number[], partWidths: number[], classes: number): AggregatorManifest {
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
    classes,
    head: { file: 'head.bin', inputs, outputs: classes },
    sha256: {},
  };
}

const layout = fc.oneof(
  fc.constant({ fusion: 'concat' as const, devicePart: [0, 1, 2], partWidths: [3, 2, 4] }),
  fc.constant({ fusion: 'part-average' as const, devicePart: [0, 1, 0, 1], partWidths: [3, 2] }),
  fc.constant({ fusion: 'part-average' as const, devicePart: [0, 0, 0], partWidths: [5] }),
);

describe('failureSetAccuracies', () => {
  it('agrees with fuseVectors + classify on every image of every failure set, with zero- and mean-fill', () => {
    fc.assert(
      fc.property(layout, fc.integer({ min: 1, max: 12 }), fc.integer(), fc.boolean(), ({ fusion, devicePart, partWidths }, count, seed, meanFill) => {
        const classes = 5;
        let s = seed >>> 0;
        const random = (): number => {
          s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
          return s / 2 ** 32 - 0.5;
        };
        // With mean-fill, a part with no survivor is the mean of its devices' mean vectors on both paths.
        const m: AggregatorManifest = {
          ...manifest(fusion, devicePart, partWidths, classes),
          ...(meanFill ? { missingFill: 'mean' as const, meanVectors: devicePart.map((p) => Array.from({ length: partWidths[p] }, random)) } : {}),
        };
        const head: Head = {
          inputs: m.head.inputs,
          outputs: classes,
          weights: Float32Array.from({ length: m.head.inputs * classes }, random),
          bias: Float32Array.from({ length: classes }, random),
        };
        const vectors = devicePart.map((p) => Float32Array.from({ length: count * partWidths[p] }, random));
        const labels = Uint8Array.from({ length: count }, (_, i) => i % classes);
        const sets = [[], [0], [1], [0, 1], devicePart.map((_, d) => d)];
        const fast = failureSetAccuracies({ manifest: m, head, vectors, labels, count, sets });
        const slow = sets.map((set) => {
          // Every device failed: nothing fused, no prediction, as the aggregator records it.
          if (devicePart.every((_, d) => set.includes(d))) return 0;
          let correct = 0;
          for (let i = 0; i < count; i += 1) {
            const per = devicePart.map((p, d) => (set.includes(d) ? undefined : vectors[d].subarray(i * partWidths[p], (i + 1) * partWidths[p])));
            if (classify(head, fuseVectors(m, per)).prediction === labels[i]) correct += 1;
          }
          return correct / count;
        });
        expect(fast).toEqual(slow);
      }),
      { numRuns: 100 },
    );
  });

  it('rejects vectors that do not fit the manifest with a RangeError', () => {
    const m = manifest('concat', [0, 1], [2, 2], 2);
    const head: Head = { inputs: 4, outputs: 2, weights: new Float32Array(8), bias: new Float32Array(2) };
    expect(() => failureSetAccuracies({ manifest: m, head, vectors: [new Float32Array(2)], labels: [0], count: 1, sets: [[]] })).toThrow(RangeError);
    expect(() => failureSetAccuracies({ manifest: m, head, vectors: [new Float32Array(2), new Float32Array(3)], labels: [0], count: 1, sets: [[]] })).toThrow(
      /vectors\[1\]/,
    );
  });
});
