import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scanRecordFile } from '@wearnet/data';
import { RECORD, concat, makeRecord, tempDir } from './fixtures';

async function errorOf(p: Promise<unknown>): Promise<{ code: string; offset?: number }> {
  try {
    await p;
  } catch (err) {
    return err as { code: string; offset?: number };
  }
  throw new Error('expected an error');
}

describe('scanRecordFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('counts images per fine and coarse class and hashes the file', async () => {
    const body = concat([makeRecord(3, 10, 0), makeRecord(3, 10, 1), makeRecord(4, 11, 2)]);
    const file = path.join(dir, 'x.bin');
    fs.writeFileSync(file, body);
    const scan = await scanRecordFile({ file });
    expect(scan.records).toBe(3);
    expect(scan.bytes).toBe(3 * RECORD);
    expect(scan.fineCounts[10]).toBe(2);
    expect(scan.fineCounts[11]).toBe(1);
    expect(scan.coarseCounts[3]).toBe(2);
    expect(scan.fineCounts.reduce((a, b) => a + b, 0)).toBe(3);
    expect(scan.sha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect(scan.inconsistentFine).toEqual([]);
  });

  it('lists fine classes that appear under more than one coarse class', async () => {
    const file = path.join(dir, 'x.bin');
    fs.writeFileSync(file, concat([makeRecord(3, 10, 0), makeRecord(4, 10, 1)]));
    expect((await scanRecordFile({ file })).inconsistentFine).toEqual([10]);
  });

  it('reports truncation and bad labels with the byte offset, like the loader', async () => {
    const file = path.join(dir, 'x.bin');
    fs.writeFileSync(file, Buffer.concat([concat([makeRecord(0, 0, 0)]), Buffer.alloc(10)]));
    expect(await errorOf(scanRecordFile({ file }))).toMatchObject({ code: 'E_DATA_TRUNCATED', offset: RECORD });
    const many = Array.from({ length: 1500 }, (_, i) => makeRecord(0, i === 1400 ? 200 : 1, i));
    fs.writeFileSync(file, concat(many));
    expect(await errorOf(scanRecordFile({ file }))).toMatchObject({ code: 'E_DATA_CORRUPT', offset: 1400 * RECORD });
    expect(await errorOf(scanRecordFile({ file: path.join(dir, 'none.bin') }))).toMatchObject({ code: 'E_DATA_MISSING' });
  });
});
