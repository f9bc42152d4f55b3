/**
 * Stable codes of link-model errors.
 * - `E_UNKNOWN_PRESET`: a preset name that is not in {@link LINK_PRESETS}.
 * - `E_UNKNOWN_STAGE`: a stage type that is not registered.
 * - `E_INVALID_STAGE`: a stage with a bad direction or attributes.
 * - `E_UNKNOWN_LINK`: an operation on a link id the timeline does not know.
 * - `E_INVALID_TRACE`: a channel trace that does not parse, or a column it lacks.
 */
export type LinkErrorCode = 'E_UNKNOWN_PRESET' | 'E_UNKNOWN_STAGE' | 'E_INVALID_STAGE' | 'E_UNKNOWN_LINK' | 'E_INVALID_TRACE';

/** Error raised by the link model, with a stable `code`. */
export class LinkError extends Error {
  override readonly name = 'LinkError';
  readonly code: LinkErrorCode;

  constructor(code: LinkErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}
