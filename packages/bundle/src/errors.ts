/**
 * Stable codes of bundle errors.
 * - `E_BUNDLE_MISSING`: a bundle file or directory does not exist.
 * - `E_BUNDLE_INVALID`: a manifest field is missing or wrong (the message names it), or files disagree.
 * - `E_BUNDLE_HASH_MISMATCH`: a file does not match the sha256 in its manifest.
 */
export type BundleErrorCode = 'E_BUNDLE_MISSING' | 'E_BUNDLE_INVALID' | 'E_BUNDLE_HASH_MISMATCH';

/** Error raised while reading or writing bundles, with a stable `code` and the original in `cause`. */
export class BundleError extends Error {
  override readonly name = 'BundleError';
  readonly code: BundleErrorCode;

  constructor(code: BundleErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}
