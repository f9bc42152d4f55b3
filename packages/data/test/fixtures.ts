import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

/** Bytes of one record: coarse, fine, 3072 pixels. */
export const RECORD = 3074;

/** A record whose pixels follow a pattern derived from `seed`. */
export function makeRecord(coarse: number, fine: number, seed: number): Uint8Array {
  const r = new Uint8Array(RECORD);
  r[0] = coarse;
  r[1] = fine;
  for (let i = 0; i < 3072; i++) r[2 + i] = (i * 7 + seed * 31 + (i >> 5)) & 0xff;
  return r;
}

/** Concatenates records into one file body. */
export function concat(parts: Uint8Array[]): Buffer {
  return Buffer.concat(parts.map((p) => Buffer.from(p)));
}

/** `n` names, one a line, with a trailing newline like the official files. */
export function names(prefix: string, n: number): string {
  return Array.from({ length: n }, (_, i) => `${prefix}_${i}`).join('\n') + '\n';
}

/** A fresh temporary directory. */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'wearnet-data-test-'));
}

/** Writes a small dataset in the official layout: `train` and `test` record counts. */
export function writeDataset(dir: string, train: number, test: number): { train: Buffer; test: Buffer } {
  const make = (n: number, salt: number) => concat(Array.from({ length: n }, (_, i) => makeRecord((i * 3) % 20, (i * 7 + salt) % 100, i + salt)));
  const files = { train: make(train, 0), test: make(test, 50) };
  fs.writeFileSync(path.join(dir, 'train.bin'), files.train);
  fs.writeFileSync(path.join(dir, 'test.bin'), files.test);
  fs.writeFileSync(path.join(dir, 'fine_label_names.txt'), names('fine', 100));
  fs.writeFileSync(path.join(dir, 'coarse_label_names.txt'), names('coarse', 20));
  return files;
}

/** An entry for {@link makeTarGz}. */
export interface TarEntry {
  name: string;
  body?: Uint8Array | string;
  type?: string;
  /** Store a long name the GNU way ('L' entry) instead of in the ustar prefix. */
  gnuLongName?: boolean;
  /** Store the name in a pax 'x' header. */
  paxName?: boolean;
}

function header(name: string, size: number, type: string, prefix = ''): Buffer {
  const h = Buffer.alloc(512);
  h.write(name.slice(0, 100), 0, 'utf8');
  h.write('0000644\0', 100, 'latin1');
  h.write('0000000\0', 108, 'latin1');
  h.write('0000000\0', 116, 'latin1');
  h.write(size.toString(8).padStart(11, '0') + '\0', 124, 'latin1');
  h.write('00000000000\0', 136, 'latin1');
  h.write('        ', 148, 'latin1');
  h.write(type, 156, 'latin1');
  h.write('ustar\0', 257, 'latin1');
  h.write('00', 263, 'latin1');
  h.write(prefix, 345, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return h;
}

function padded(body: Buffer): Buffer {
  const pad = (512 - (body.length % 512)) % 512;
  return Buffer.concat([body, Buffer.alloc(pad)]);
}

/** A tar archive (uncompressed) of the given entries, ustar with optional GNU/pax long names. */
export function makeTar(entries: TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const body = Buffer.from(e.body ?? '');
    if (e.gnuLongName) {
      const nameBody = Buffer.from(e.name + '\0');
      blocks.push(header('././@LongLink', nameBody.length, 'L'), padded(nameBody));
      blocks.push(header('truncated-name', body.length, e.type ?? '0'), padded(body));
    } else if (e.paxName) {
      const record = (len: number) => `${len} path=${e.name}\n`;
      let len = record(0).length;
      while (record(len).length !== len) len = record(len).length;
      const pax = Buffer.from(record(len));
      blocks.push(header('PaxHeader', pax.length, 'x'), padded(pax));
      blocks.push(header('pax-truncated', body.length, e.type ?? '0'), padded(body));
    } else if (e.name.length > 100) {
      const cut = e.name.lastIndexOf('/', 155);
      blocks.push(header(e.name.slice(cut + 1), body.length, e.type ?? '0', e.name.slice(0, cut)), padded(body));
    } else {
      blocks.push(header(e.name, body.length, e.type ?? '0'), padded(body));
    }
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** A gzip-compressed tar of the given entries. */
export function makeTarGz(entries: TarEntry[]): Buffer {
  return gzipSync(makeTar(entries));
}

/** A CIFAR-like archive: `cifar-100-binary/` with the four files of {@link writeDataset}. */
export function makeCifarArchive(train: number, test: number): { archive: Buffer; files: Record<string, Buffer> } {
  const dir = tempDir();
  try {
    writeDataset(dir, train, test);
    const files: Record<string, Buffer> = {};
    for (const name of ['train.bin', 'test.bin', 'fine_label_names.txt', 'coarse_label_names.txt']) files[name] = fs.readFileSync(path.join(dir, name));
    const archive = makeTarGz([
      { name: 'cifar-100-binary/', type: '5' },
      ...Object.entries(files).map(([name, body]) => ({ name: `cifar-100-binary/${name}`, body })),
    ]);
    return { archive, files };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
