import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SHIPPED_TEST_SUBSET_FILE, SHIPPED_TEST_SUBSET_RECORDS, loadShippedTestSubset, loadShippedTestSubsetSync, shippedSubsetDir } from '@wearnet/data';

const manifest = JSON.parse(fs.readFileSync(path.join(shippedSubsetDir(), 'MANIFEST.json'), 'utf8'));

describe('shipped test subset', () => {
  it('resolves to the assets folder of the package', () => {
    expect(shippedSubsetDir()).toBe(path.resolve(__dirname, '..', 'assets'));
  });

  it('loads 1000 test records with 100 fine and 20 coarse names', async () => {
    const split = await loadShippedTestSubset({ hash: true });
    expect(split.count).toBe(SHIPPED_TEST_SUBSET_RECORDS);
    expect(split.split).toBe('test');
    expect(split.pixels.length).toBe(1000 * 3072);
    expect(split.fineNames[0]).toBe('apple');
    expect(split.fineNames[99]).toBe('worm');
    expect(split.coarseNames[0]).toBe('aquatic_mammals');
    expect(split.source.bytes).toBe(3074000);
    expect(split.source.sha256).toBe(manifest.files[SHIPPED_TEST_SUBSET_FILE].sha256);
  });

  it('matches every sha256 and size listed in MANIFEST.json', () => {
    expect(manifest.records).toBe(1000);
    for (const [name, entry] of Object.entries(manifest.files as Record<string, { bytes: number; sha256: string }>)) {
      const bytes = fs.readFileSync(path.join(shippedSubsetDir(), name));
      expect(bytes.length).toBe(entry.bytes);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(entry.sha256);
    }
  });

  it('holds the first official test records (fine labels of records 0..4 are 49, 33, 72, 51, 71)', () => {
    const split = loadShippedTestSubsetSync({ limit: 5 });
    expect(Array.from(split.fine)).toEqual([49, 33, 72, 51, 71]);
    expect(split.fineNames[split.fine[0]]).toBe('mountain');
  });

  const distFile = path.resolve(__dirname, '..', 'dist', 'shipped-subset.js');
  (fs.existsSync(distFile) ? it : it.skip)('resolves to the same folder from the compiled dist build', () => {
    const dist = require(distFile) as { shippedSubsetDir: () => string };
    expect(dist.shippedSubsetDir()).toBe(shippedSubsetDir());
  });
});
