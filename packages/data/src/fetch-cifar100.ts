import * as fs from 'node:fs';
import * as path from 'node:path';
import { downloadToFile } from './download';
import { DataError, optionError } from './errors';
import { CIFAR100_FILES, COARSE_CLASSES, FINE_CLASSES } from './layout';
import { readLabelNames } from './label-names';
import { scanRecordFile } from './scan-records';
import { extractTarGz } from './untar';

/** URL of the official CIFAR-100 binary archive (University of Toronto). */
export const CIFAR100_ARCHIVE_URL = 'https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz';
/** md5 (hex) of the official archive, as published on the CIFAR page. */
export const CIFAR100_ARCHIVE_MD5 = '03b5dce01913d631647c71ecec9e9cb8';
/** Default of `timeoutMs` of {@link fetchCifar100}, ms. */
export const DEFAULT_FETCH_TIMEOUT_MS = 15000;

/** Minimal pino-compatible logger: object first, message second. */
export interface DataLogger {
  info(obj: object, msg?: string): void;
}

/** Options of {@link fetchCifar100}. */
export interface FetchCifar100Options {
  /** Directory to put `train.bin`, `test.bin` and the label-name files in (created if absent; existing files replaced). */
  outDir: string;
  /** Archive URL; default {@link CIFAR100_ARCHIVE_URL}. */
  url?: string;
  /** Expected md5 (hex) of the archive; default {@link CIFAR100_ARCHIVE_MD5}. */
  md5?: string;
  /** Longest wait for the connection, response or next chunk, ms; default 15000. */
  timeoutMs?: number;
  /** Largest archive accepted, bytes; default 512 MiB (the official one is about 161 MB). */
  maxBytes?: number;
  /** Called as bytes arrive, with the bytes so far and the announced total, if any. */
  onProgress?: (receivedBytes: number, totalBytes: number | undefined) => void;
  /** Optional pino-compatible logger. */
  logger?: DataLogger;
}

/** What {@link fetchCifar100} installed. */
export interface FetchCifar100Result {
  /** Absolute directory now holding the data. */
  outDir: string;
  /** Archive bytes downloaded. */
  archiveBytes: number;
  /** md5 of the archive (equal to the expected one). */
  md5: string;
  /** Records in train.bin and test.bin. */
  records: { train: number; test: number };
  /** sha256 (hex) of train.bin and test.bin. */
  sha256: { train: string; test: string };
}

const WANTED = new Set<string>(Object.values(CIFAR100_FILES));

/**
 * Downloads the official CIFAR-100 binary archive, checks its md5, extracts the four files,
 * validates them, and only then moves them into `outDir`. Work happens in a temporary folder next
 * to `outDir` that is removed on success and on failure, so no partial file is ever left in `outDir`.
 * @throws DataError `E_FETCH_FAILED` (network, timeout, HTTP status), `E_CHECKSUM_MISMATCH` (md5 differs),
 *   `E_ARCHIVE_INVALID` (bad or incomplete archive), or a validation error of the extracted files.
 */
export async function fetchCifar100(options: FetchCifar100Options): Promise<FetchCifar100Result> {
  const o = resolveFetchOptions(options);
  const parent = path.dirname(o.outDir);
  await fs.promises.mkdir(parent, { recursive: true });
  const work = await fs.promises.mkdtemp(path.join(parent, `.${path.basename(o.outDir)}.fetch-`));
  try {
    const archive = path.join(work, 'archive.tar.gz');
    o.logger?.info({ url: o.url, timeoutMs: o.timeoutMs }, 'downloading CIFAR-100');
    const got = await downloadToFile({ url: o.url, file: archive, timeoutMs: o.timeoutMs, maxBytes: o.maxBytes, onProgress: o.onProgress });
    if (got.md5 !== o.md5) {
      throw new DataError('E_CHECKSUM_MISMATCH', `${o.url}: md5 of the downloaded archive is ${got.md5}, expected ${o.md5}`, { file: o.url });
    }
    const extractDir = path.join(work, 'files');
    await fs.promises.mkdir(extractDir);
    const extracted = await extractTarGz({
      archive,
      outDir: extractDir,
      pick: (entry) => {
        const name = path.posix.basename(entry);
        return WANTED.has(name) ? name : undefined;
      },
    });
    const names = new Set(extracted.map((e) => path.basename(e.file)));
    const missing = [...WANTED].filter((n) => !names.has(n));
    if (missing.length > 0) throw new DataError('E_ARCHIVE_INVALID', `${o.url}: archive lacks ${missing.join(', ')}`, { file: o.url });
    await readLabelNames(path.join(extractDir, CIFAR100_FILES.fineNames), FINE_CLASSES);
    await readLabelNames(path.join(extractDir, CIFAR100_FILES.coarseNames), COARSE_CLASSES);
    const train = await scanRecordFile({ file: path.join(extractDir, CIFAR100_FILES.train) });
    const test = await scanRecordFile({ file: path.join(extractDir, CIFAR100_FILES.test) });
    await fs.promises.mkdir(o.outDir, { recursive: true });
    for (const name of WANTED) await fs.promises.rename(path.join(extractDir, name), path.join(o.outDir, name));
    o.logger?.info({ outDir: o.outDir, md5: got.md5 }, 'CIFAR-100 installed');
    return {
      outDir: o.outDir,
      archiveBytes: got.bytes,
      md5: got.md5,
      records: { train: train.records, test: test.records },
      sha256: { train: train.sha256, test: test.sha256 },
    };
  } finally {
    await fs.promises.rm(work, { recursive: true, force: true });
  }
}

function resolveFetchOptions(options: FetchCifar100Options) {
  if (options === null || typeof options !== 'object') throw optionError('options', 'must be an object', 'type');
  const { outDir, url = CIFAR100_ARCHIVE_URL, md5 = CIFAR100_ARCHIVE_MD5, timeoutMs = DEFAULT_FETCH_TIMEOUT_MS, maxBytes = 512 * 1024 ** 2 } = options;
  if (typeof outDir !== 'string' || outDir === '') throw optionError('outDir', 'must be a non-empty string', 'type');
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw optionError('url', `must be an http(s) URL, got ${String(url)}`);
  if (typeof md5 !== 'string' || !/^[0-9a-f]{32}$/i.test(md5)) throw optionError('md5', 'must be 32 hex digits');
  if (!(Number.isSafeInteger(timeoutMs) && timeoutMs > 0)) throw optionError('timeoutMs', `must be a positive integer (ms), got ${String(timeoutMs)}`);
  if (!(Number.isSafeInteger(maxBytes) && maxBytes > 0)) throw optionError('maxBytes', `must be a positive integer (bytes), got ${String(maxBytes)}`);
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') throw optionError('onProgress', 'must be a function', 'type');
  return { outDir: path.resolve(outDir), url, md5: md5.toLowerCase(), timeoutMs, maxBytes, onProgress: options.onProgress, logger: options.logger };
}
