import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  readAggregatorBundle,
  readBundleSet,
  validateAggregatorManifest,
  validateDeviceManifest,
  validateSetManifest,
  writeAggregatorBundle,
  writeRandomBundleSet,
} from '../src/index';

describe('bundle files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'wearnet-bundle-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips an aggregator bundle and detects a changed head with E_BUNDLE_HASH_MISMATCH', async () => {
    const head = { inputs: 2, outputs: 2, weights: Float32Array.from([1, 2, 3, 4]), bias: Float32Array.from([5, 6]) };
    const written = await writeAggregatorBundle(
      dir,
      {
        format: 'wearnet-aggregator-bundle',
        version: 1,
        method: 'nonn',
        devices: 2,
        parts: 2,
        devicePart: [0, 1],
        partWidths: [1, 1],
        fusion: 'concat',
        classes: 2,
        head: { file: 'head.bin', inputs: 2, outputs: 2 },
      },
      head,
    );
    const read = await readAggregatorBundle(dir);
    expect(read.manifest).toEqual(written);
    expect(Array.from(read.head.weights)).toEqual([1, 2, 3, 4]);
    expect(Array.from(read.head.bias)).toEqual([5, 6]);
    const bytes = readFileSync(path.join(dir, 'head.bin'));
    bytes[0] ^= 1;
    writeFileSync(path.join(dir, 'head.bin'), bytes);
    await expect(readAggregatorBundle(dir)).rejects.toMatchObject({ code: 'E_BUNDLE_HASH_MISMATCH' });
  });

  it('names the offending field of a bad manifest with E_BUNDLE_INVALID', () => {
    expect(() =>
      validateAggregatorManifest({
        format: 'wearnet-aggregator-bundle',
        version: 1,
        method: 'nonn',
        devices: 2,
        parts: 2,
        devicePart: [0, 2],
        partWidths: [1, 1],
        fusion: 'concat',
        classes: 2,
        head: { file: 'h', inputs: 2, outputs: 2 },
      }),
    ).toThrow(/devicePart\[1\] must be an integer in 0\.\.1/);
    const good = {
      format: 'wearnet-aggregator-bundle',
      version: 1,
      method: 'nonn',
      devices: 2,
      parts: 2,
      devicePart: [0, 1],
      partWidths: [1, 2],
      fusion: 'concat',
      classes: 2,
      head: { file: 'h', inputs: 3, outputs: 2 },
    };
    expect(validateAggregatorManifest({ ...good, missingFill: 'mean', meanVectors: [[0.5], [1, 2]] }).meanVectors).toEqual([[0.5], [1, 2]]);
    expect(() => validateAggregatorManifest({ ...good, missingFill: 'mean' })).toThrow(/meanVectors/);
    expect(() => validateAggregatorManifest({ ...good, meanVectors: [[0.5], [1, Number.NaN]] })).toThrow(/meanVectors\[1\] must be 2 finite numbers/);
    expect(() => validateAggregatorManifest({ ...good, meanVectors: [[0.5]] })).toThrow(/meanVectors/);
    expect(() => validateAggregatorManifest({ ...good, missingFill: 'average' })).toThrow(/missingFill/);
    expect(() => validateDeviceManifest({ format: 'wearnet-device-bundle' })).toThrow(expect.objectContaining({ code: 'E_BUNDLE_INVALID' }));
    const set = { format: 'wearnet-bundle-set', version: 1, method: 'nonn', devices: 2, parts: 2, createdAt: '' };
    expect(validateSetManifest({ ...set, source: { run: 'runs/x', testAccuracy: 0.5 } }).source).toEqual({ run: 'runs/x', testAccuracy: 0.5 });
    expect(validateSetManifest(set)).not.toHaveProperty('source');
    expect(() => validateSetManifest({ ...set, source: ['runs/x'] })).toThrow(/source must be an object/);
  });

  it('reports a missing set with E_BUNDLE_MISSING', async () => {
    await expect(readBundleSet(path.join(dir, 'nope'))).rejects.toMatchObject({ code: 'E_BUNDLE_MISSING' });
  });

  it('writes a random set that reads back consistent, with real MAC counts', async () => {
    const result = await writeRandomBundleSet({ dir, devices: 4, parts: 2, fusedWidth: 16, studentWidths: [4, 4, 4], seed: 3 });
    const set = await readBundleSet(dir);
    expect(set.devices.map((d) => d.part)).toEqual([0, 1, 0, 1]);
    expect(set.aggregator.manifest.fusion).toBe('part-average');
    expect(set.devices[0].macs).toBe(result.macs[0]);
    // c1 32*32*27*4 + c2 16*16*36*4 + c3 8*8*36*4 + bridge 8*8*4*8
    expect(result.macs[0]).toBe(32 * 32 * 27 * 4 + 16 * 16 * 36 * 4 + 8 * 8 * 36 * 4 + 8 * 8 * 4 * 8);
  });
});
