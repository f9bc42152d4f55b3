import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { optionError } from './errors';
import { missingOrRethrow } from './label-names';
import { badLabelError, checkRecordFileSize } from './load-cifar100';
import { COARSE_CLASSES, FINE_CLASSES, RECORD_BYTES } from './layout';

/** What {@link scanRecordFile} found: sizes, hash and class counts of a record file. */
export interface RecordFileScan {
  /** Absolute path as given. */
  file: string;
  /** File size, bytes. */
  bytes: number;
  /** Number of whole records. */
  records: number;
  /** sha256 (hex) of the whole file. */
  sha256: string;
  /** Images per fine class (100 entries). */
  fineCounts: number[];
  /** Images per coarse class (20 entries). */
  coarseCounts: number[];
  /** Fine classes seen under more than one coarse class (empty in a sound file). */
  inconsistentFine: number[];
}

/** Options of {@link scanRecordFile}. */
export interface ScanRecordFileOptions {
  /** Path of a file of CIFAR-100 records. */
  file: string;
}

/**
 * Reads a record file once, in chunks, without keeping its pixels: checks its size and every label,
 * counts classes and hashes it. Memory use is one 3 MB chunk whatever the file size.
 * @throws DataError `E_DATA_MISSING`, `E_DATA_TRUNCATED` (offset of the incomplete record), `E_DATA_CORRUPT` (offset of the bad record).
 */
export async function scanRecordFile(options: ScanRecordFileOptions): Promise<RecordFileScan> {
  const { file } = options;
  if (typeof file !== 'string' || file === '') throw optionError('file', 'must be a non-empty string', 'type');
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (err) {
    throw missingOrRethrow(err, file);
  }
  try {
    const bytes = (await handle.stat()).size;
    checkRecordFileSize(file, bytes);
    const hash = createHash('sha256');
    const fineCounts = new Array<number>(FINE_CLASSES).fill(0);
    const coarseCounts = new Array<number>(COARSE_CLASSES).fill(0);
    const coarseOfFine = new Int16Array(FINE_CLASSES).fill(-1);
    const inconsistent = new Set<number>();
    const chunk = Buffer.allocUnsafe(1024 * RECORD_BYTES);
    let position = 0;
    let carry = 0; // bytes of an incomplete record kept at the start of chunk
    for (;;) {
      const { bytesRead } = await handle.read(chunk, carry, chunk.length - carry, position);
      if (bytesRead === 0) break;
      hash.update(chunk.subarray(carry, carry + bytesRead));
      const have = carry + bytesRead;
      const whole = Math.floor(have / RECORD_BYTES);
      const firstOffset = position - carry;
      for (let r = 0; r < whole; r++) {
        const at = r * RECORD_BYTES;
        const coarse = chunk[at];
        const fine = chunk[at + 1];
        if (coarse >= COARSE_CLASSES || fine >= FINE_CLASSES) throw badLabelError(file, (firstOffset + at) / RECORD_BYTES, coarse, fine);
        fineCounts[fine]++;
        coarseCounts[coarse]++;
        if (coarseOfFine[fine] === -1) coarseOfFine[fine] = coarse;
        else if (coarseOfFine[fine] !== coarse) inconsistent.add(fine);
      }
      carry = have - whole * RECORD_BYTES;
      chunk.copy(chunk, 0, whole * RECORD_BYTES, have);
      position += bytesRead;
    }
    checkRecordFileSize(file, position);
    return {
      file,
      bytes,
      records: position / RECORD_BYTES,
      sha256: hash.digest('hex'),
      fineCounts,
      coarseCounts,
      inconsistentFine: [...inconsistent].sort((a, b) => a - b),
    };
  } finally {
    await handle.close();
  }
}
