import * as fs from 'node:fs';
import * as path from 'node:path';
import { createGunzip } from 'node:zlib';
import { DataError, optionError } from './errors';

const BLOCK = 512;
/** Largest GNU long-name or pax header body accepted, bytes. */
const MAX_META_BYTES = 1 << 20;

/** Options of {@link extractTarGz}. */
export interface ExtractTarGzOptions {
  /** Path of a gzip-compressed tar (ustar, GNU or pax) archive. */
  archive: string;
  /** Directory to write the picked files into (must exist). */
  outDir: string;
  /**
   * Picks the entries to extract: given an entry path inside the archive, returns the plain file
   * name to write it as in `outDir`, or undefined to skip it. Only regular files are offered.
   */
  pick: (entryPath: string) => string | undefined;
  /** Largest total of extracted bytes, default 1 GiB; more gives `E_ARCHIVE_INVALID`. */
  maxBytes?: number;
}

/** A file written by {@link extractTarGz}. */
export interface ExtractedFile {
  /** Path of the entry inside the archive. */
  entryPath: string;
  /** Absolute path written. */
  file: string;
  /** Size, bytes. */
  bytes: number;
}

interface Header {
  name: string;
  size: number;
  type: string;
}

function invalid(archive: string, offset: number, why: string, cause?: unknown): DataError {
  return new DataError(
    'E_ARCHIVE_INVALID',
    `${archive}: not a valid tar.gz at uncompressed byte offset ${offset}: ${why}`,
    { file: archive, offset },
    { cause },
  );
}

function cString(block: Buffer, start: number, length: number): string {
  const end = block.indexOf(0, start);
  return block.toString('utf8', start, end === -1 || end > start + length ? start + length : end);
}

function parseNumber(block: Buffer, start: number, length: number): number {
  if (block[start] & 0x80) {
    // GNU base-256: big-endian, first byte's high bit is the marker.
    let value = block[start] & 0x7f;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + block[i];
    return value;
  }
  const text = cString(block, start, length).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function parseHeader(block: Buffer, archive: string, offset: number): Header {
  const stored = parseNumber(block, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i];
  if (!Number.isFinite(stored) || stored !== sum) throw invalid(archive, offset, 'header checksum mismatch');
  const size = parseNumber(block, 124, 12);
  if (!Number.isSafeInteger(size) || size < 0) throw invalid(archive, offset, 'bad entry size');
  let name = cString(block, 0, 100);
  if (block.toString('latin1', 257, 262) === 'ustar') {
    const prefix = cString(block, 345, 155);
    if (prefix !== '') name = `${prefix}/${name}`;
  }
  const type = block[156] === 0 ? '0' : String.fromCharCode(block[156]);
  return { name, size, type };
}

function paxPath(body: Buffer): string | undefined {
  let at = 0;
  let found: string | undefined;
  while (at < body.length) {
    const space = body.indexOf(0x20, at);
    if (space === -1) break;
    const length = parseInt(body.toString('latin1', at, space), 10);
    if (!(length > 0)) break;
    const record = body.toString('utf8', space + 1, at + length - 1);
    const eq = record.indexOf('=');
    if (eq !== -1 && record.slice(0, eq) === 'path') found = record.slice(eq + 1);
    at += length;
  }
  return found;
}

/**
 * Streams a `.tar.gz` and writes the entries chosen by `pick` into `outDir`; the rest is skipped.
 * Never writes outside `outDir` (names come from `pick` and must be plain file names).
 * @throws DataError `E_ARCHIVE_INVALID` on a corrupt gzip stream, a bad header checksum or an archive that ends inside an entry.
 */
export async function extractTarGz(options: ExtractTarGzOptions): Promise<ExtractedFile[]> {
  const { archive, outDir, pick } = options;
  const maxBytes = options.maxBytes ?? 1024 ** 3;
  if (typeof archive !== 'string' || archive === '') throw optionError('archive', 'must be a non-empty string', 'type');
  if (typeof outDir !== 'string' || outDir === '') throw optionError('outDir', 'must be a non-empty string', 'type');
  if (typeof pick !== 'function') throw optionError('pick', 'must be a function', 'type');
  if (!(Number.isSafeInteger(maxBytes) && maxBytes > 0)) throw optionError('maxBytes', `must be a positive integer, got ${String(maxBytes)}`);

  const extracted: ExtractedFile[] = [];
  const header = Buffer.alloc(BLOCK);
  let headerFill = 0;
  let offset = 0; // uncompressed bytes consumed
  let entryStart = 0;
  let remaining = 0; // data bytes of the current entry still to come
  let padding = 0; // padding bytes after them
  let sink: fs.promises.FileHandle | undefined;
  let meta: Buffer[] | undefined; // body of a GNU 'L' or pax 'x' entry
  let metaKind = '';
  let metaBytes = 0;
  let nextName: string | undefined;
  let total = 0;
  let ended = false;

  const input = fs.createReadStream(archive).pipe(createGunzip());
  try {
    for await (const raw of input as AsyncIterable<Buffer>) {
      let chunk = raw;
      while (chunk.length > 0 && !ended) {
        if (remaining > 0) {
          const take = Math.min(remaining, chunk.length);
          const part = chunk.subarray(0, take);
          if (sink) {
            total += take;
            if (total > maxBytes) throw invalid(archive, offset, `extracts more than maxBytes = ${maxBytes}`);
            await sink.write(part);
          } else if (meta) {
            metaBytes += take;
            if (metaBytes > MAX_META_BYTES) throw invalid(archive, entryStart, 'long-name or pax header too large');
            meta.push(Buffer.from(part));
          }
          remaining -= take;
          offset += take;
          chunk = chunk.subarray(take);
          if (remaining === 0) {
            if (sink) {
              await sink.close();
              sink = undefined;
            }
            if (meta) {
              const body = Buffer.concat(meta);
              nextName = metaKind === 'L' ? cString(body, 0, body.length) : (paxPath(body) ?? nextName);
              meta = undefined;
            }
          }
          continue;
        }
        if (padding > 0) {
          const take = Math.min(padding, chunk.length);
          padding -= take;
          offset += take;
          chunk = chunk.subarray(take);
          continue;
        }
        const take = Math.min(BLOCK - headerFill, chunk.length);
        chunk.copy(header, headerFill, 0, take);
        headerFill += take;
        offset += take;
        chunk = chunk.subarray(take);
        if (headerFill < BLOCK) continue;
        headerFill = 0;
        entryStart = offset - BLOCK;
        if (header.every((b) => b === 0)) {
          ended = true;
          break;
        }
        const h = parseHeader(header, archive, entryStart);
        remaining = h.size;
        padding = (BLOCK - (h.size % BLOCK)) % BLOCK;
        if (h.type === 'L' || h.type === 'x') {
          meta = [];
          metaKind = h.type;
          metaBytes = 0;
          if (remaining === 0) meta = undefined;
          continue;
        }
        const name = nextName ?? h.name;
        nextName = undefined;
        if (h.type !== '0' && h.type !== '7') continue; // directories, links, globals: skipped
        const target = pick(name);
        if (target === undefined) continue;
        if (path.basename(target) !== target || target === '' || target === '.' || target === '..') {
          throw optionError('pick', `returned ${JSON.stringify(target)}, not a plain file name`);
        }
        const file = path.join(outDir, target);
        sink = await fs.promises.open(file, 'w');
        extracted.push({ entryPath: name, file, bytes: h.size });
        if (remaining === 0) {
          await sink.close();
          sink = undefined;
        }
      }
      if (ended) break;
    }
  } catch (err) {
    if (err instanceof DataError || (err as { code?: string }).code === 'E_OPTION_INVALID') throw err;
    throw invalid(archive, offset, (err as Error).message ?? String(err), err);
  } finally {
    input.destroy();
    if (sink) await sink.close();
  }
  if (remaining > 0 || headerFill > 0) throw invalid(archive, offset, 'archive ends inside an entry');
  return extracted;
}
