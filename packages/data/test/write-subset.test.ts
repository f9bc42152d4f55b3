import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCifar100Sync, writeSubset } from '@wearnet/data';
import { RECORD, tempDir, writeDataset } from './fixtures';

describe('writeSubset', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('copies the first count records byte for byte with the label files and a manifest of hashes', async () => {
    const files = writeDataset(dir, 2, 7);
    const out = path.join(dir, 'out');
    const manifest = await writeSubset({ dir, split: 'test', count: 3, outDir: out, command: 'make it', note: 'test' });
    const written = fs.readFileSync(path.join(out, 'cifar100-test-3.bin'));
    expect(written.equals(files.test.subarray(0, 3 * RECORD))).toBe(true);
    expect(fs.readFileSync(path.join(out, 'fine_label_names.txt'), 'utf8')).toBe(fs.readFileSync(path.join(dir, 'fine_label_names.txt'), 'utf8'));
    const onDisk = JSON.parse(fs.readFileSync(path.join(out, 'MANIFEST.json'), 'utf8'));
    expect(onDisk).toEqual(manifest);
    expect(manifest.records).toBe(3);
    expect(manifest.source.records).toBe(7);
    expect(manifest.files['cifar100-test-3.bin'].bytes).toBe(3 * RECORD);
    expect(manifest.madeWith).toBe('make it');
    expect(loadCifar100Sync({ dir: out, split: 'test', file: 'cifar100-test-3.bin' }).count).toBe(3);
  });

  it('rejects a count larger than the split with a RangeError naming count', async () => {
    writeDataset(dir, 2, 2);
    await expect(writeSubset({ dir, count: 3, outDir: path.join(dir, 'o') })).rejects.toThrow(/^count: 3 exceeds the 2 records/);
  });
});
