import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { initRuntime } from '@wearnet/runtime';
import { checkLayout, fuse, type FusionLayout } from '../src/index';

const layoutArb = fc
  .record({ parts: fc.integer({ min: 1, max: 4 }), extra: fc.integer({ min: 0, max: 4 }), average: fc.boolean(), widthSeed: fc.integer({ min: 0, max: 1000 }) })
  .map(({ parts, extra, average, widthSeed }) => {
    const devices = average ? parts + extra : parts;
    const layout: FusionLayout = {
      fusion: average ? 'part-average' : 'concat',
      devicePart: Array.from({ length: devices }, (_, k) => k % parts),
      partWidths: Array.from({ length: parts }, (_, j) => 1 + ((widthSeed + j * 7) % 4)),
    };
    return layout;
  });

/** Fusion in plain JS, the reference the tensor version must match. */
function fuseReference(vectors: number[][][], alive: boolean[][], layout: FusionLayout): number[][] {
  const n = vectors[0].length;
  return Array.from({ length: n }, (_, i) =>
    layout.partWidths.flatMap((w, j) => {
      const members = layout.devicePart.flatMap((p, k) => (p === j && alive[k][i] ? [k] : []));
      return Array.from({ length: w }, (_, c) => (members.length === 0 ? 0 : members.reduce((s, k) => s + vectors[k][i][c], 0) / members.length));
    }),
  );
}

describe('fuse', () => {
  beforeAll(() => initRuntime({ backend: 'wasm' }));

  it('equals the per-part mean over alive devices (zero when none), for any layout and failure pattern', () => {
    fc.assert(
      fc.property(layoutArb, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 1 << 30 }), (layout, n, seed) => {
        let s = seed;
        const rand = (): number => {
          s = (s * 1103515245 + 12345) >>> 0;
          return s / 4294967296;
        };
        const vectors = layout.devicePart.map((p) => Array.from({ length: n }, () => Array.from({ length: layout.partWidths[p] }, () => rand() * 2 - 1)));
        const alive = layout.devicePart.map(() => Array.from({ length: n }, () => rand() < 0.6));
        const actual = tf.tidy(() => {
          const fused = fuse(
            vectors.map((v) => tf.tensor2d(v)),
            alive.map((a) => tf.tensor2d(a.map((x) => [x ? 1 : 0]))),
            layout,
          );
          return fused.arraySync();
        });
        const expected = fuseReference(vectors, alive, layout);
        expect(actual.length).toBe(expected.length);
        actual.forEach((row, i) => row.forEach((v, c) => expect(v).toBeCloseTo(expected[i][c], 5)));
      }),
      { numRuns: 60, seed: 3 },
    );
  });

  it('rejects a concat layout with two devices on one part and a part without a device', () => {
    expect(() => checkLayout({ fusion: 'concat', devicePart: [0, 0], partWidths: [2] })).toThrow(/one device per part/);
    expect(() => checkLayout({ fusion: 'part-average', devicePart: [0, 0], partWidths: [2, 3] })).toThrow(/part 1 has no device/);
    expect(() => checkLayout({ fusion: 'part-average', devicePart: [0, 2], partWidths: [2, 3] })).toThrow(/devicePart\[1\]/);
  });
});
