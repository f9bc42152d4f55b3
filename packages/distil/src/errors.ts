/** Stable codes of the distillation package. */
export type DistilErrorCode =
  'E_OPTION_INVALID' | 'E_TEACHER_INVALID' | 'E_PARTITION_MISMATCH' | 'E_RUN_INVALID' | 'E_TARGETS_INVALID' | 'E_TARGETS_MISMATCH' | 'E_WORKER_FAILED';

/** Error thrown by `@wearnet/distil`; `code` is stable, `cause` keeps the original. */
export class DistilError extends Error {
  readonly code: DistilErrorCode;
  constructor(code: DistilErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DistilError';
    this.code = code;
  }
}

/** A RangeError naming the offending option, with code E_OPTION_INVALID. */
export function optionError(option: string, message: string): RangeError & { code: 'E_OPTION_INVALID' } {
  const err = new RangeError(`${option}: ${message}`) as RangeError & { code: 'E_OPTION_INVALID' };
  err.code = 'E_OPTION_INVALID';
  return err;
}
