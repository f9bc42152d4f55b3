import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { optionError } from './errors';
import { CIFAR100_FILES, IMAGE_BYTES, RECORD_BYTES, type Split } from './layout';
import { loadCifar100 } from './load-cifar100';
import { scanRecordFile } from './scan-records';

/** Options of {@link writeSubset}. */
export interface WriteSubsetOptions {
  /** Source directory in the official binary layout. */
  dir: string;
  /** Split to take records from; default `'test'`. */
  split?: Split;
  /** Number of leading records to copy, >= 1. */
  count: number;
  /** Destination directory (created if absent). */
  outDir: string;
  /** Name of the record file written; default `cifar100-<split>-<count>.bin`. */
  fileName?: string;
  /** How the subset was made, recorded in the manifest (e.g. the command line). */
  command?: string;
  /** Free text recorded in the manifest (e.g. provenance of the source). */
  note?: string;
}

/** One file listed in a subset manifest. */
export interface ManifestFile {
  /** Size, bytes. */
  bytes: number;
  /** sha256 (hex). */
  sha256: string;
}

/** Content of `MANIFEST.json` written by {@link writeSubset}. */
export interface SubsetManifest {
  /** What the folder holds. */
  description: string;
  /** Where the records came from. */
  source: { dataset: string; split: Split; file: string; records: number; sha256: string };
  /** Records copied: `records` leading records of the source, bytes unchanged. */
  records: number;
  /** Name of the record file. */
  recordFile: string;
  /** Every file of the folder but the manifest itself. */
  files: Record<string, ManifestFile>;
  /** How it was made. */
  madeWith: string;
  /** Free text, e.g. provenance. */
  note?: string;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Copies the first `count` records of a split, byte for byte, plus both label-name files into
 * `outDir`, and writes `MANIFEST.json` (source hash, record count, sha256 of every file).
 * The source is fully validated first.
 * @returns the manifest written.
 */
export async function writeSubset(options: WriteSubsetOptions): Promise<SubsetManifest> {
  const { dir, count, outDir } = options;
  const split = options.split ?? 'test';
  if (typeof dir !== 'string' || dir === '') throw optionError('dir', 'must be a non-empty string', 'type');
  if (typeof outDir !== 'string' || outDir === '') throw optionError('outDir', 'must be a non-empty string', 'type');
  if (!(Number.isSafeInteger(count) && count >= 1)) throw optionError('count', `must be an integer >= 1, got ${String(count)}`);
  const fileName = options.fileName ?? `cifar100-${split}-${count}.bin`;
  if (path.basename(fileName) !== fileName) throw optionError('fileName', 'must be a plain file name', 'type');
  const sourceFile = path.resolve(dir, CIFAR100_FILES[split]);
  const scan = await scanRecordFile({ file: sourceFile });
  if (count > scan.records) throw optionError('count', `${count} exceeds the ${scan.records} records of ${sourceFile}`);
  await loadCifar100({ dir, split, limit: 0 }); // checks the label-name files

  const records = Buffer.alloc(count * RECORD_BYTES);
  const handle = await fs.promises.open(sourceFile, 'r');
  try {
    await handle.read(records, 0, records.length, 0);
  } finally {
    await handle.close();
  }
  const fine = await fs.promises.readFile(path.join(dir, CIFAR100_FILES.fineNames));
  const coarse = await fs.promises.readFile(path.join(dir, CIFAR100_FILES.coarseNames));

  await fs.promises.mkdir(outDir, { recursive: true });
  const written: Array<[string, Uint8Array]> = [
    [fileName, records],
    [CIFAR100_FILES.fineNames, fine],
    [CIFAR100_FILES.coarseNames, coarse],
  ];
  const files: Record<string, ManifestFile> = {};
  for (const [name, bytes] of written) {
    await fs.promises.writeFile(path.join(outDir, name), bytes);
    files[name] = { bytes: bytes.length, sha256: sha256(bytes) };
  }
  const manifest: SubsetManifest = {
    description: `First ${count} records of the CIFAR-100 ${split} split in the official binary layout (1 coarse byte, 1 fine byte, ${IMAGE_BYTES} CHW pixel bytes per record), bytes unchanged, with the label-name files.`,
    source: { dataset: 'CIFAR-100, binary version', split, file: CIFAR100_FILES[split], records: scan.records, sha256: scan.sha256 },
    records: count,
    recordFile: fileName,
    files,
    madeWith: options.command ?? `writeSubset({ split: '${split}', count: ${count} })`,
  };
  if (options.note !== undefined) manifest.note = options.note;
  await fs.promises.writeFile(path.join(outDir, 'MANIFEST.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}
