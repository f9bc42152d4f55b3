import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { extractTarGz } from '@wearnet/data';
import { makeTar, makeTarGz, tempDir } from './fixtures';

describe('extractTarGz', () => {
  let dir: string;
  let out: string;
  beforeEach(() => {
    dir = tempDir();
    out = path.join(dir, 'out');
    fs.mkdirSync(out);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function archive(bytes: Buffer): string {
    const file = path.join(dir, 'a.tar.gz');
    fs.writeFileSync(file, bytes);
    return file;
  }

  it('writes the picked regular files and skips directories and other entries', async () => {
    const big = Buffer.alloc(70000).map((_, i) => (i * 31) & 0xff);
    const file = archive(
      makeTarGz([
        { name: 'top/', type: '5' },
        { name: 'top/keep.bin', body: big },
        { name: 'top/skip.txt', body: 'nope' },
        { name: 'top/empty.txt', body: '' },
      ]),
    );
    const got = await extractTarGz({
      archive: file,
      outDir: out,
      pick: (p) => (p.endsWith('keep.bin') ? 'keep.bin' : p.endsWith('empty.txt') ? 'e.txt' : undefined),
    });
    expect(got.map((g) => g.entryPath)).toEqual(['top/keep.bin', 'top/empty.txt']);
    expect(fs.readFileSync(path.join(out, 'keep.bin')).equals(big)).toBe(true);
    expect(fs.readFileSync(path.join(out, 'e.txt')).length).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['e.txt', 'keep.bin']);
  });

  it('reads long names from the ustar prefix, GNU long-name entries and pax headers', async () => {
    const long = `${'d'.repeat(120)}/${'f'.repeat(60)}.txt`;
    const file = archive(
      makeTarGz([
        { name: long, body: 'prefix' },
        { name: `gnu/${'g'.repeat(150)}.txt`, body: 'gnu', gnuLongName: true },
        { name: `pax/${'p'.repeat(150)}.txt`, body: 'pax', paxName: true },
      ]),
    );
    const seen: string[] = [];
    await extractTarGz({ archive: file, outDir: out, pick: (p) => (seen.push(p), `f${seen.length}`) });
    expect(seen).toEqual([long, `gnu/${'g'.repeat(150)}.txt`, `pax/${'p'.repeat(150)}.txt`]);
    expect(fs.readFileSync(path.join(out, 'f3'), 'utf8')).toBe('pax');
  });

  it('rejects a header with a wrong checksum as E_ARCHIVE_INVALID with its offset', async () => {
    const tar = makeTar([
      { name: 'a.txt', body: 'x' },
      { name: 'b.txt', body: 'y' },
    ]);
    tar[1024 + 10] ^= 0xff; // second header starts at 1024
    await expect(extractTarGz({ archive: archive(gzipSync(tar)), outDir: out, pick: () => 'x' })).rejects.toMatchObject({
      code: 'E_ARCHIVE_INVALID',
      offset: 1024,
    });
  });

  it('rejects an archive that ends inside an entry and a stream that is not gzip', async () => {
    const tar = makeTar([{ name: 'a.txt', body: Buffer.alloc(5000) }]);
    await expect(extractTarGz({ archive: archive(gzipSync(tar.subarray(0, 2048))), outDir: out, pick: () => 'a' })).rejects.toMatchObject({
      code: 'E_ARCHIVE_INVALID',
    });
    await expect(extractTarGz({ archive: archive(Buffer.from('not gzip at all')), outDir: out, pick: () => 'a' })).rejects.toMatchObject({
      code: 'E_ARCHIVE_INVALID',
    });
  });

  it('refuses a pick result that is not a plain file name, so nothing is written outside outDir', async () => {
    const file = archive(makeTarGz([{ name: 'a.txt', body: 'x' }]));
    await expect(extractTarGz({ archive: file, outDir: out, pick: () => '../escape' })).rejects.toThrow(/^pick/);
    expect(fs.existsSync(path.join(dir, 'escape'))).toBe(false);
  });

  it('stops at maxBytes of extracted data with E_ARCHIVE_INVALID', async () => {
    const file = archive(makeTarGz([{ name: 'a.txt', body: Buffer.alloc(4096) }]));
    await expect(extractTarGz({ archive: file, outDir: out, pick: () => 'a', maxBytes: 1000 })).rejects.toMatchObject({ code: 'E_ARCHIVE_INVALID' });
  });
});
