import * as path from 'node:path';
import { loadCifar100, loadCifar100Sync, type Cifar100Split } from './load-cifar100';

/** Name of the shipped record file: the first 1000 records of the official `test.bin`, byte for byte. */
export const SHIPPED_TEST_SUBSET_FILE = 'cifar100-test-1000.bin';
/** Number of records in the shipped subset. */
export const SHIPPED_TEST_SUBSET_RECORDS = 1000;

/**
 * Absolute path of the folder holding the shipped subset (`assets/` of this package): the record
 * file, the two label-name files and `MANIFEST.json`. Resolves the same from `src/` (tests) and `dist/`.
 */
export function shippedSubsetDir(): string {
  return path.resolve(__dirname, '..', 'assets');
}

/** Options of {@link loadShippedTestSubset}. */
export interface LoadShippedOptions {
  /** Read only the first `limit` of the 1000 records; default all. */
  limit?: number;
  /** Also compute the sha256 of the record file; default false. */
  hash?: boolean;
}

/** Loads the shipped first 1000 test images (split `'test'`); needs no data directory. */
export function loadShippedTestSubset(options: LoadShippedOptions = {}): Promise<Cifar100Split> {
  return loadCifar100({ dir: shippedSubsetDir(), split: 'test', file: SHIPPED_TEST_SUBSET_FILE, ...options });
}

/** Synchronous twin of {@link loadShippedTestSubset}. */
export function loadShippedTestSubsetSync(options: LoadShippedOptions = {}): Cifar100Split {
  return loadCifar100Sync({ dir: shippedSubsetDir(), split: 'test', file: SHIPPED_TEST_SUBSET_FILE, ...options });
}
