/** Stable codes of the models package. */
export type ModelErrorCode = 'E_OPTION_INVALID' | 'E_MODEL_UNKNOWN' | 'E_LAYER_MISSING' | 'E_MODEL_UNSUPPORTED';

/** Error thrown by `@wearnet/models`; `code` is stable. */
export class ModelError extends Error {
  readonly code: ModelErrorCode;
  constructor(code: ModelErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModelError';
    this.code = code;
  }
}

/** A RangeError naming the offending option, with code E_OPTION_INVALID. */
export function optionError(option: string, message: string): RangeError & { code: 'E_OPTION_INVALID' } {
  const err = new RangeError(`${option}: ${message}`) as RangeError & { code: 'E_OPTION_INVALID' };
  err.code = 'E_OPTION_INVALID';
  return err;
}
