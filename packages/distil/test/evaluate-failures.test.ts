import fc from 'fast-check';
import { initRuntime } from '@wearnet/runtime';
import { DistilTask, evaluateFailures, expectedAccuracy, meanVectors, type DistilTaskSpec } from '../src/index';
import { syntheticImages } from '../../train/test/synthetic';

function tableOf(K: number, acc: (failed: number[]) => number): { devices: number; perSet: Record<string, number> } {
  const perSet: Record<string, number> = {};
  for (let mask = 0; mask < 2 ** K; mask++) {
    const failed = Array.from({ length: K }, (_, k) => k).filter((k) => (mask >> k) & 1);
    perSet[failed.join(',')] = acc(failed);
  }
  return { devices: K, perSet };
}

describe('expectedAccuracy', () => {
  it('weights every failure set by p^(K-f) (1-p)^f', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.double({ min: 0, max: 1, noNaN: true }), (K, p) => {
        // Accuracy 1 only when nothing failed: the expectation is the probability that all K are up.
        expect(
          expectedAccuracy(
            tableOf(K, (f) => (f.length === 0 ? 1 : 0)),
            p,
          ),
        ).toBeCloseTo(p ** K, 12);
        // Accuracy = fraction of devices up: the expectation is p.
        expect(
          expectedAccuracy(
            tableOf(K, (f) => (K - f.length) / K),
            p,
          ),
        ).toBeCloseTo(p, 12);
      }),
    );
  });

  it('refuses a table without every failure set and a p outside [0, 1]', () => {
    const t = tableOf(3, () => 0.5);
    delete t.perSet['0,1'];
    expect(() => expectedAccuracy(t, 0.9)).toThrow(/2\^3/);
    expect(() =>
      expectedAccuracy(
        tableOf(2, () => 1),
        1.5,
      ),
    ).toThrow(RangeError);
  });
});

describe('evaluateFailures with mean-fill', () => {
  const spec = (fusion: 'concat' | 'part-average'): DistilTaskSpec => ({
    kind: 'distil',
    teacherDir: '/nonexistent',
    parts: [
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ],
    layout: fusion === 'concat' ? { fusion, devicePart: [0, 1], partWidths: [4, 4] } : { fusion, devicePart: [0, 1, 0, 1], partWidths: [4, 4] },
    student: { arch: 'plain', widths: [4, 4, 4] },
    loss: { alpha: 0.9, temperature: 4, beta: 1000 },
    failureDropout: 0,
    classes: 100,
    seed: 3,
  });
  const test = syntheticImages(40, 8, 9);
  const train = syntheticImages(60, 8, 10);
  beforeAll(async () => {
    await initRuntime();
  });

  it.each(['concat', 'part-average'] as const)('equals zero-fill wherever a part has a survivor, and everywhere with zero mean vectors (%s)', (fusion) => {
    const task = DistilTask.forInference(spec(fusion));
    const means = meanVectors(task, train);
    const zero = evaluateFailures(task, test, { fill: 'zero' });
    const mean = evaluateFailures(task, test, { fill: 'mean', means });
    const layout = task.spec.layout;
    for (const key of Object.keys(zero.perSet)) {
      const failed = key === '' ? [] : key.split(',').map(Number);
      const orphaned = [0, 1].some((p) => layout.devicePart.every((q, k) => q !== p || failed.includes(k)));
      if (!orphaned) expect(mean.perSet[key]).toBe(zero.perSet[key]);
    }
    // With zero mean vectors mean-fill is zero-fill everywhere.
    const zeros = means.map((m) => new Float32Array(m.length));
    expect(evaluateFailures(task, test, { fill: 'mean', means: zeros }).perSet).toEqual(zero.perSet);
    expect(means.every((m) => m.some((v) => v > 0))).toBe(true);
  });

  it('refuses mean-fill without a finite mean vector per device', () => {
    const task = DistilTask.forInference(spec('concat'));
    expect(() => evaluateFailures(task, test, { fill: 'mean' })).toThrow(/means/);
    expect(() => evaluateFailures(task, test, { fill: 'mean', means: [new Float32Array(4), Float32Array.of(0, 0, 0, NaN)] })).toThrow(/means/);
  });
});
