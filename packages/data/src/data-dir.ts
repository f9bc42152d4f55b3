import * as path from 'node:path';
import { DataError } from './errors';

/** Options of {@link resolveDataDir}. */
export interface ResolveDataDirOptions {
  /** Directory given on the command line (`--data`); wins over the environment. */
  data?: string;
  /** Environment to read `WEARNET_DATA` from; default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Resolves the CIFAR-100 data directory: `data`, else `WEARNET_DATA`, as an absolute path.
 * Does not check that the directory exists: the loader reports the missing file itself.
 * @throws DataError `E_DATA_DIR_MISSING` when neither is set.
 */
export function resolveDataDir(options: ResolveDataDirOptions = {}): string {
  const env = options.env ?? process.env;
  const chosen = nonEmpty(options.data) ?? nonEmpty(env.WEARNET_DATA);
  if (chosen === undefined) {
    throw new DataError(
      'E_DATA_DIR_MISSING',
      'no CIFAR-100 directory: pass --data DIR or set WEARNET_DATA to a directory holding train.bin, test.bin and the label-name files, or download them with `wearnet data fetch --out DIR`',
    );
  }
  return path.resolve(chosen);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}
