/** Stable codes of {@link DataError}; listed in the package README. */
export type DataErrorCode =
  | 'E_DATA_DIR_MISSING'
  | 'E_DATA_MISSING'
  | 'E_DATA_TRUNCATED'
  | 'E_DATA_CORRUPT'
  | 'E_FETCH_FAILED'
  | 'E_CHECKSUM_MISMATCH'
  | 'E_ARCHIVE_INVALID'
  | 'E_OPTION_INVALID';

/** Where in which file a data error was found. */
export interface DataErrorDetails {
  /** Path of the offending file, when one is involved. */
  file?: string;
  /** Byte offset in `file` of the offending record or header. */
  offset?: number;
  /** Name of the offending option, for `E_OPTION_INVALID`. */
  option?: string;
}

/**
 * The one error class of `@wearnet/data`: a stable `code`, the file and byte offset where that
 * applies, and the original error in `cause`.
 */
export class DataError extends Error {
  /** Stable machine-readable code, e.g. `E_DATA_TRUNCATED`. */
  readonly code: DataErrorCode;
  /** Path of the offending file, when one is involved. */
  readonly file: string | undefined;
  /** Byte offset in `file` of the offending record or header. */
  readonly offset: number | undefined;
  /** Name of the offending option, for `E_OPTION_INVALID`. */
  readonly option: string | undefined;

  constructor(code: DataErrorCode, message: string, details: DataErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DataError';
    this.code = code;
    this.file = details.file;
    this.offset = details.offset;
    this.option = details.option;
  }
}

// Option errors (a `RangeError`/`TypeError` naming the option, `code: 'E_OPTION_INVALID'`) are built
// the same way everywhere the bottom packages check arguments: one helper, in `@wearnet/random`.
export { optionError } from '@wearnet/random';
export type { OptionError } from '@wearnet/random';
