import * as fs from 'node:fs';
import { DataError } from './errors';

/**
 * Parses a label-name file: one name per line, surrounding blanks trimmed, blank lines dropped.
 * @throws DataError `E_DATA_CORRUPT` when the number of names is not `expected`.
 */
export function parseLabelNames(text: string, file: string, expected: number): string[] {
  const names = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (names.length !== expected) {
    throw new DataError('E_DATA_CORRUPT', `${file}: expected ${expected} label names, found ${names.length}`, { file });
  }
  return names;
}

/**
 * Reads a label-name file synchronously.
 * @throws DataError `E_DATA_MISSING` when the file does not exist, `E_DATA_CORRUPT` on a wrong count.
 */
export function readLabelNamesSync(file: string, expected: number): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw missingOrRethrow(err, file);
  }
  return parseLabelNames(text, file, expected);
}

/** Reads a label-name file; async twin of {@link readLabelNamesSync}. */
export async function readLabelNames(file: string, expected: number): Promise<string[]> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (err) {
    throw missingOrRethrow(err, file);
  }
  return parseLabelNames(text, file, expected);
}

/** Turns ENOENT into `E_DATA_MISSING` naming the path; other errors into `E_DATA_MISSING` with the cause. */
export function missingOrRethrow(err: unknown, file: string): DataError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const why = code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(err)})`;
  return new DataError('E_DATA_MISSING', `${file}: ${why}`, { file }, { cause: err });
}
