/** Stable code of `@wearnet/random` errors: `E_OPTION_INVALID`, a seed, bound or state out of range. */
export type RandomErrorCode = 'E_OPTION_INVALID';

/** An option error: a `RangeError` (or `TypeError`) naming the option, carrying `code: 'E_OPTION_INVALID'`. */
export type OptionError = (RangeError | TypeError) & { code: RandomErrorCode; option: string };

/** The error the random sources throw for a bad argument: a `RangeError` (or `TypeError`) whose message starts with the option name. */
export function optionError(option: string, message: string, kind: 'range' | 'type' = 'range'): OptionError {
  const text = `${option}: ${message}`;
  const err = (kind === 'type' ? new TypeError(text) : new RangeError(text)) as OptionError;
  err.code = 'E_OPTION_INVALID';
  err.option = option;
  return err;
}
