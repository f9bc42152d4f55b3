/**
 * Stable codes of `@wearnet/modnn` (listed in the package README).
 * - `E_OPTION_INVALID`: an option is missing or out of range (the message names it).
 * - `E_GRAPH_UNSUPPORTED`: the model has a layer or configuration the row-band split does not handle.
 * - `E_PLAN_INVALID`: a plan (or a bundle's plan) is inconsistent with the graph or the device count.
 * - `E_HALO_MISSING`: a device was asked to compute rows whose inputs it has not received.
 * - `E_BUNDLE_MISSING`: a bundle file or directory cannot be read.
 * - `E_BUNDLE_INVALID`: a manifest field is missing or wrong (the message names file and field), or shapes disagree.
 * - `E_BUNDLE_HASH_MISMATCH`: a bundle file does not match the sha256 in its manifest.
 */
export type ModnnErrorCode =
  'E_OPTION_INVALID' | 'E_GRAPH_UNSUPPORTED' | 'E_PLAN_INVALID' | 'E_HALO_MISSING' | 'E_BUNDLE_MISSING' | 'E_BUNDLE_INVALID' | 'E_BUNDLE_HASH_MISMATCH';

/** Error thrown by `@wearnet/modnn`; `code` is stable, the original error (if any) is in `cause`. */
export class ModnnError extends Error {
  override readonly name = 'ModnnError';
  readonly code: ModnnErrorCode;

  constructor(code: ModnnErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** A RangeError naming the offending option, with code `E_OPTION_INVALID`. */
export function optionError(option: string, message: string): RangeError & { code: 'E_OPTION_INVALID' } {
  const err = new RangeError(`${option}: ${message}`) as RangeError & { code: 'E_OPTION_INVALID' };
  err.code = 'E_OPTION_INVALID';
  return err;
}
