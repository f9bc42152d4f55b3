/** Stable codes of the training package. */
export type TrainErrorCode = 'E_OPTION_INVALID' | 'E_WORKER_FAILED' | 'E_CHECKPOINT_INVALID' | 'E_CHECKPOINT_MISMATCH';

/** Error thrown by `@wearnet/train`; `code` is stable, `cause` keeps the original. */
export class TrainError extends Error {
  readonly code: TrainErrorCode;
  constructor(code: TrainErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TrainError';
    this.code = code;
  }
}

/** A RangeError naming the offending option, with code E_OPTION_INVALID. */
export function optionError(option: string, message: string): RangeError & { code: 'E_OPTION_INVALID' } {
  const err = new RangeError(`${option}: ${message}`) as RangeError & { code: 'E_OPTION_INVALID' };
  err.code = 'E_OPTION_INVALID';
  return err;
}
