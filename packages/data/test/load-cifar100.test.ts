import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { DataError, loadCifar100, loadCifar100Sync, type Cifar100Split } from '@wearnet/data';
import { RECORD, concat, makeRecord, names, tempDir, writeDataset } from './fixtures';

function errorOf(fn: () => unknown): DataError {
  try {
    fn();
  } catch (err) {
    return err as DataError;
  }
  throw new Error('expected an error');
}

async function asyncErrorOf(p: Promise<unknown>): Promise<DataError> {
  try {
    await p;
  } catch (err) {
    return err as DataError;
  }
  throw new Error('expected an error');
}

describe('loadCifar100', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads labels, pixels and label names of every record in file order', async () => {
    const files = writeDataset(dir, 5, 3);
    const split = await loadCifar100({ dir, split: 'train' });
    expect(split.count).toBe(5);
    expect(split.split).toBe('train');
    expect(split.fineNames).toHaveLength(100);
    expect(split.coarseNames[19]).toBe('coarse_19');
    for (let i = 0; i < 5; i++) {
      const rec = files.train.subarray(i * RECORD, (i + 1) * RECORD);
      expect(split.coarse[i]).toBe(rec[0]);
      expect(split.fine[i]).toBe(rec[1]);
      expect(Buffer.from(split.pixels.subarray(i * 3072, (i + 1) * 3072)).equals(rec.subarray(2))).toBe(true);
    }
    expect(split.source).toEqual({ file: path.join(dir, 'train.bin'), bytes: 5 * RECORD });
  });

  it('gives the same result synchronously and asynchronously, including the sha256 of the whole file', async () => {
    const files = writeDataset(dir, 4, 2);
    const a = await loadCifar100({ dir, split: 'test', hash: true });
    const b = loadCifar100Sync({ dir, split: 'test', hash: true });
    expect(b).toEqual(a);
    expect(a.source.sha256).toBe(createHash('sha256').update(files.test).digest('hex'));
  });

  it('reads only the first limit records but still hashes the whole file', async () => {
    const files = writeDataset(dir, 6, 1);
    const split = await loadCifar100({ dir, split: 'train', limit: 2, hash: true });
    expect(split.count).toBe(2);
    expect(split.pixels.length).toBe(2 * 3072);
    expect(split.source.sha256).toBe(createHash('sha256').update(files.train).digest('hex'));
    expect((await loadCifar100({ dir, split: 'train', limit: 100 })).count).toBe(6);
    expect((await loadCifar100({ dir, split: 'train', limit: 0 })).count).toBe(0);
  });

  it('reads more records than one read chunk holds without losing or reordering any', async () => {
    writeDataset(dir, 1, 1);
    const records = Array.from({ length: 1100 }, (_, i) => makeRecord(i % 20, i % 100, i));
    fs.writeFileSync(path.join(dir, 'train.bin'), concat(records));
    const split = loadCifar100Sync({ dir, split: 'train' });
    expect(split.count).toBe(1100);
    expect(split.fine[1099]).toBe(99);
    expect(split.pixels.subarray(1050 * 3072, 1051 * 3072)).toEqual(records[1050].subarray(2));
  });

  it('reports a truncated file as E_DATA_TRUNCATED naming the file and the offset of the incomplete record', async () => {
    const files = writeDataset(dir, 3, 1);
    const file = path.join(dir, 'train.bin');
    fs.writeFileSync(file, files.train.subarray(0, 2 * RECORD + 100));
    for (const err of [errorOf(() => loadCifar100Sync({ dir, split: 'train' })), await asyncErrorOf(loadCifar100({ dir, split: 'train', limit: 1 }))]) {
      expect(err).toBeInstanceOf(DataError);
      expect(err.code).toBe('E_DATA_TRUNCATED');
      expect(err.file).toBe(file);
      expect(err.offset).toBe(2 * RECORD);
      expect(err.message).toContain(file);
      expect(err.message).toContain(String(2 * RECORD));
    }
  });

  it('finds the truncation offset for any size that is not a multiple of 3074', () => {
    writeDataset(dir, 1, 1);
    const file = path.join(dir, 'test.bin');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: RECORD - 1 }), (whole, rest) => {
        fs.writeFileSync(file, Buffer.alloc(whole * RECORD + rest));
        const err = errorOf(() => loadCifar100Sync({ dir, split: 'test' }));
        return err.code === 'E_DATA_TRUNCATED' && err.offset === whole * RECORD;
      }),
      { numRuns: 30 },
    );
  });

  it('reports a fine label >= 100 as E_DATA_CORRUPT with the byte offset of its record', async () => {
    writeDataset(dir, 1, 1);
    const file = path.join(dir, 'train.bin');
    fs.writeFileSync(file, concat([makeRecord(1, 2, 0), makeRecord(3, 4, 1), makeRecord(5, 100, 2)]));
    const err = await asyncErrorOf(loadCifar100({ dir, split: 'train' }));
    expect(err.code).toBe('E_DATA_CORRUPT');
    expect(err.file).toBe(file);
    expect(err.offset).toBe(2 * RECORD);
    expect(err.message).toMatch(/record 2 at byte offset 6148 has fine label 100/);
  });

  it('reports a coarse label >= 20 as E_DATA_CORRUPT', () => {
    writeDataset(dir, 1, 1);
    fs.writeFileSync(path.join(dir, 'test.bin'), concat([makeRecord(20, 0, 0)]));
    const err = errorOf(() => loadCifar100Sync({ dir, split: 'test' }));
    expect(err.code).toBe('E_DATA_CORRUPT');
    expect(err.offset).toBe(0);
    expect(err.message).toMatch(/coarse label 20/);
  });

  it('reports a missing record file as E_DATA_MISSING with its path', async () => {
    writeDataset(dir, 1, 1);
    fs.rmSync(path.join(dir, 'train.bin'));
    const err = await asyncErrorOf(loadCifar100({ dir, split: 'train' }));
    expect(err.code).toBe('E_DATA_MISSING');
    expect(err.file).toBe(path.join(dir, 'train.bin'));
    expect(err.message).toContain(path.join(dir, 'train.bin'));
  });

  it('reports a missing label-name file as E_DATA_MISSING and a wrong name count as E_DATA_CORRUPT', () => {
    writeDataset(dir, 1, 1);
    fs.rmSync(path.join(dir, 'coarse_label_names.txt'));
    expect(errorOf(() => loadCifar100Sync({ dir, split: 'test' })).code).toBe('E_DATA_MISSING');
    fs.writeFileSync(path.join(dir, 'coarse_label_names.txt'), names('c', 19));
    const err = errorOf(() => loadCifar100Sync({ dir, split: 'test' }));
    expect(err.code).toBe('E_DATA_CORRUPT');
    expect(err.message).toMatch(/expected 20 label names, found 19/);
  });

  it('reads a record file given by name instead of <split>.bin', () => {
    writeDataset(dir, 1, 1);
    fs.writeFileSync(path.join(dir, 'other.bin'), concat([makeRecord(7, 8, 9)]));
    const split = loadCifar100Sync({ dir, split: 'test', file: 'other.bin' });
    expect([split.coarse[0], split.fine[0]]).toEqual([7, 8]);
  });

  it('rejects bad options with a RangeError or TypeError naming the option', () => {
    const bad: Array<[object, string]> = [
      [{ dir: '', split: 'test' }, 'dir'],
      [{ dir, split: 'valid' }, 'split'],
      [{ dir, split: 'test', limit: -1 }, 'limit'],
      [{ dir, split: 'test', limit: 1.5 }, 'limit'],
      [{ dir, split: 'test', hash: 'yes' }, 'hash'],
    ];
    for (const [options, option] of bad) {
      const err = errorOf(() => loadCifar100Sync(options as never)) as unknown as Error & { code: string; option: string };
      expect(err instanceof RangeError || err instanceof TypeError).toBe(true);
      expect(err.code).toBe('E_OPTION_INVALID');
      expect(err.option).toBe(option);
      expect(err.message.startsWith(option)).toBe(true);
    }
  });

  it('returns exactly the records it was given, for any valid records', () => {
    writeDataset(dir, 1, 1);
    const recordArb = fc
      .tuple(fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 1000 }))
      .map(([c, f, s]) => makeRecord(c, f, s));
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 6 }), (records) => {
        fs.writeFileSync(path.join(dir, 'test.bin'), concat(records));
        const split: Cifar100Split = loadCifar100Sync({ dir, split: 'test' });
        return (
          split.count === records.length &&
          records.every(
            (r, i) => split.coarse[i] === r[0] && split.fine[i] === r[1] && Buffer.from(split.pixels.subarray(i * 3072, (i + 1) * 3072)).equals(r.subarray(2)),
          )
        );
      }),
      { numRuns: 25 },
    );
  });
});
