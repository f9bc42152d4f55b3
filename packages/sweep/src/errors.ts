/**
 * Stable codes of sweep errors.
 * - `E_NO_RECORDS`: a method's run left no readable `requests.jsonl`.
 * - `E_INTERRUPTED`: the sweep was stopped by a signal (Ctrl-C); partial results were written.
 */
export type SweepErrorCode = 'E_NO_RECORDS' | 'E_INTERRUPTED';

/** Error of a sweep, with a stable `code` and the original in `cause`. */
export class SweepError extends Error {
  override readonly name = 'SweepError';
  readonly code: SweepErrorCode;

  constructor(code: SweepErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}
