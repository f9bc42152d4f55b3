import { createHash, type Hash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataError, optionError } from './errors';
import { readLabelNames, readLabelNamesSync, missingOrRethrow } from './label-names';
import { CIFAR100_FILES, COARSE_CLASSES, FINE_CLASSES, IMAGE_BYTES, RECORD_BYTES, type Split } from './layout';

/** Options of {@link loadCifar100}. */
export interface LoadCifar100Options {
  /** Directory in the official binary layout (see {@link CIFAR100_FILES}). */
  dir: string;
  /** Which split to read: `train.bin` or `test.bin`. */
  split: Split;
  /** Read only the first `limit` records (fewer if the file holds fewer); default all. */
  limit?: number;
  /** Record file to read instead of `<split>.bin`, relative to `dir` or absolute. */
  file?: string;
  /** Also compute the sha256 of the whole record file (costs one more pass over bytes not read); default false. */
  hash?: boolean;
}

/** One split of CIFAR-100 in memory, in the official record order. */
export interface Cifar100Split {
  /** Which split this is. */
  split: Split;
  /** Number of images. */
  count: number;
  /** `count * IMAGE_BYTES` pixel bytes; image i at `i * IMAGE_BYTES`, channel-major (1024 R, 1024 G, 1024 B), rows of 32. */
  pixels: Uint8Array;
  /** Fine label (0..99) of each image. */
  fine: Uint8Array;
  /** Coarse label (0..19) of each image. */
  coarse: Uint8Array;
  /** The 100 fine class names, indexed by fine label. */
  fineNames: string[];
  /** The 20 coarse class names, indexed by coarse label. */
  coarseNames: string[];
  /** Where the records came from. */
  source: {
    /** Absolute path of the record file. */
    file: string;
    /** Size of the record file, bytes. */
    bytes: number;
    /** sha256 (hex) of the whole record file, when `hash` was asked for. */
    sha256?: string;
  };
}

interface ResolvedLoadOptions {
  dir: string;
  split: Split;
  limit: number;
  file: string;
  hash: boolean;
}

/** Records read per I/O call (about 3 MB). */
const CHUNK_RECORDS = 1024;

function resolveLoadOptions(options: LoadCifar100Options): ResolvedLoadOptions {
  if (options === null || typeof options !== 'object') throw optionError('options', 'must be an object', 'type');
  const { dir, split, limit, file, hash } = options;
  if (typeof dir !== 'string' || dir === '') throw optionError('dir', 'must be a non-empty string', 'type');
  if (split !== 'train' && split !== 'test') throw optionError('split', `must be 'train' or 'test', got ${String(split)}`);
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0)) {
    throw optionError('limit', `must be a non-negative integer, got ${String(limit)}`);
  }
  if (file !== undefined && (typeof file !== 'string' || file === '')) throw optionError('file', 'must be a non-empty string', 'type');
  if (hash !== undefined && typeof hash !== 'boolean') throw optionError('hash', 'must be a boolean', 'type');
  return {
    dir: path.resolve(dir),
    split,
    limit: limit ?? Number.POSITIVE_INFINITY,
    file: path.resolve(dir, file ?? CIFAR100_FILES[split]),
    hash: hash ?? false,
  };
}

/**
 * Checks that a record file of `bytes` bytes holds whole records.
 * @throws DataError `E_DATA_TRUNCATED` naming the file and the offset where the incomplete record starts.
 */
export function checkRecordFileSize(file: string, bytes: number): number {
  const whole = Math.floor(bytes / RECORD_BYTES);
  const rest = bytes - whole * RECORD_BYTES;
  if (rest !== 0) {
    const offset = whole * RECORD_BYTES;
    throw new DataError(
      'E_DATA_TRUNCATED',
      `${file}: truncated: ${bytes} bytes is not a multiple of ${RECORD_BYTES}; the incomplete record ${whole} starts at byte offset ${offset} and has ${rest} of ${RECORD_BYTES} bytes`,
      { file, offset },
    );
  }
  return whole;
}

/** The `E_DATA_CORRUPT` error for record `index` of `file` whose labels are out of range. */
export function badLabelError(file: string, index: number, coarse: number, fine: number): DataError {
  const offset = index * RECORD_BYTES;
  const bad: string[] = [];
  if (coarse >= COARSE_CLASSES) bad.push(`coarse label ${coarse} (must be < ${COARSE_CLASSES})`);
  if (fine >= FINE_CLASSES) bad.push(`fine label ${fine} (must be < ${FINE_CLASSES})`);
  return new DataError('E_DATA_CORRUPT', `${file}: record ${index} at byte offset ${offset} has ${bad.join(' and ')}`, { file, offset });
}

/** Accumulates whole records into the arrays of a split, validating labels. */
class RecordSink {
  readonly pixels: Uint8Array;
  readonly fine: Uint8Array;
  readonly coarse: Uint8Array;

  constructor(
    readonly file: string,
    readonly count: number,
  ) {
    this.pixels = new Uint8Array(count * IMAGE_BYTES);
    this.fine = new Uint8Array(count);
    this.coarse = new Uint8Array(count);
  }

  /** Takes `records` whole records from `chunk`, the first being record number `first`. */
  take(chunk: Uint8Array, first: number, records: number): void {
    for (let r = 0; r < records; r++) {
      const at = r * RECORD_BYTES;
      const index = first + r;
      const coarse = chunk[at];
      const fine = chunk[at + 1];
      if (coarse >= COARSE_CLASSES || fine >= FINE_CLASSES) throw badLabelError(this.file, index, coarse, fine);
      this.coarse[index] = coarse;
      this.fine[index] = fine;
      this.pixels.set(chunk.subarray(at + 2, at + RECORD_BYTES), index * IMAGE_BYTES);
    }
  }
}

function shortRead(file: string, offset: number): DataError {
  return new DataError('E_DATA_TRUNCATED', `${file}: file ended early (shrunk while reading?) at byte offset ${offset}`, {
    file,
    offset,
  });
}

/**
 * Reads one split of CIFAR-100 from a directory in the official binary layout, synchronously.
 * Twin of {@link loadCifar100}; same options, result and errors.
 */
export function loadCifar100Sync(options: LoadCifar100Options): Cifar100Split {
  const o = resolveLoadOptions(options);
  const fineNames = readLabelNamesSync(path.join(o.dir, CIFAR100_FILES.fineNames), FINE_CLASSES);
  const coarseNames = readLabelNamesSync(path.join(o.dir, CIFAR100_FILES.coarseNames), COARSE_CLASSES);
  let fd: number;
  try {
    fd = fs.openSync(o.file, 'r');
  } catch (err) {
    throw missingOrRethrow(err, o.file);
  }
  try {
    const bytes = fs.fstatSync(fd).size;
    const count = Math.min(o.limit, checkRecordFileSize(o.file, bytes));
    const sink = new RecordSink(o.file, count);
    const hash = o.hash ? createHash('sha256') : undefined;
    const chunk = Buffer.allocUnsafe(CHUNK_RECORDS * RECORD_BYTES);
    let position = 0;
    for (let first = 0; first < count; first += CHUNK_RECORDS) {
      const records = Math.min(CHUNK_RECORDS, count - first);
      const want = records * RECORD_BYTES;
      const got = readFullySync(fd, chunk, want, position);
      if (got < want) throw shortRead(o.file, position + got);
      hash?.update(chunk.subarray(0, want));
      sink.take(chunk, first, records);
      position += want;
    }
    if (hash) {
      for (;;) {
        const got = fs.readSync(fd, chunk, 0, chunk.length, position);
        if (got === 0) break;
        hash.update(chunk.subarray(0, got));
        position += got;
      }
    }
    return result(o, sink, bytes, fineNames, coarseNames, hash);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads one split of CIFAR-100 from a directory in the official binary layout: `<split>.bin`
 * (records of 1 coarse byte, 1 fine byte, `IMAGE_BYTES` pixel bytes), `fine_label_names.txt`,
 * `coarse_label_names.txt`.
 * @throws DataError `E_DATA_MISSING` (a file is absent, with its path), `E_DATA_TRUNCATED` (size not a
 *   multiple of 3074, with the offset of the incomplete record), `E_DATA_CORRUPT` (a label out of
 *   range, with the offset of its record; or a wrong number of label names).
 * @throws RangeError|TypeError with code `E_OPTION_INVALID` naming a bad option.
 */
export async function loadCifar100(options: LoadCifar100Options): Promise<Cifar100Split> {
  const o = resolveLoadOptions(options);
  const fineNames = await readLabelNames(path.join(o.dir, CIFAR100_FILES.fineNames), FINE_CLASSES);
  const coarseNames = await readLabelNames(path.join(o.dir, CIFAR100_FILES.coarseNames), COARSE_CLASSES);
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(o.file, 'r');
  } catch (err) {
    throw missingOrRethrow(err, o.file);
  }
  try {
    const bytes = (await handle.stat()).size;
    const count = Math.min(o.limit, checkRecordFileSize(o.file, bytes));
    const sink = new RecordSink(o.file, count);
    const hash = o.hash ? createHash('sha256') : undefined;
    const chunk = Buffer.allocUnsafe(CHUNK_RECORDS * RECORD_BYTES);
    let position = 0;
    for (let first = 0; first < count; first += CHUNK_RECORDS) {
      const records = Math.min(CHUNK_RECORDS, count - first);
      const want = records * RECORD_BYTES;
      const got = await readFully(handle, chunk, want, position);
      if (got < want) throw shortRead(o.file, position + got);
      hash?.update(chunk.subarray(0, want));
      sink.take(chunk, first, records);
      position += want;
    }
    if (hash) {
      for (;;) {
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
        if (bytesRead === 0) break;
        hash.update(chunk.subarray(0, bytesRead));
        position += bytesRead;
      }
    }
    return result(o, sink, bytes, fineNames, coarseNames, hash);
  } finally {
    await handle.close();
  }
}

function result(o: ResolvedLoadOptions, sink: RecordSink, bytes: number, fineNames: string[], coarseNames: string[], hash: Hash | undefined): Cifar100Split {
  const source: Cifar100Split['source'] = { file: o.file, bytes };
  if (hash) source.sha256 = hash.digest('hex');
  return {
    split: o.split,
    count: sink.count,
    pixels: sink.pixels,
    fine: sink.fine,
    coarse: sink.coarse,
    fineNames,
    coarseNames,
    source,
  };
}

function readFullySync(fd: number, buffer: Buffer, want: number, position: number): number {
  let got = 0;
  while (got < want) {
    const n = fs.readSync(fd, buffer, got, want - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

async function readFully(handle: fs.promises.FileHandle, buffer: Buffer, want: number, position: number): Promise<number> {
  let got = 0;
  while (got < want) {
    const { bytesRead } = await handle.read(buffer, got, want - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}
