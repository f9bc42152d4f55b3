/**
 * Errors of `@wearnet/workload`: its option checks throw an option error, a `RangeError` (or
 * `TypeError`) naming the option (`dataset.offset: ...`) with `code` `E_OPTION_INVALID`
 * (built by `@wearnet/random`'s `optionError`, as `@wearnet/data` does).
 */
export type WorkloadErrorCode = 'E_OPTION_INVALID';
export { optionError } from '@wearnet/random';
export type { OptionError } from '@wearnet/random';
