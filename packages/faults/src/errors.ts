/**
 * Stable codes of fault errors.
 * - `E_FAULT_INVALID`: a fault spec that is not valid; `path` names the field (`[2].durationMs`).
 * - `E_TOO_MANY_SETS`: a failure-set enumeration larger than its limit (sample instead).
 */
export type FaultErrorCode = 'E_FAULT_INVALID' | 'E_TOO_MANY_SETS';

/** Error raised by the faults package, with a stable `code`; `path` locates a bad field of a spec. */
export class FaultError extends Error {
  override readonly name = 'FaultError';
  readonly code: FaultErrorCode;
  /** Path of the bad field inside the value that was parsed, for example `[2].durationMs` as `[2, 'durationMs']`. */
  readonly path: (string | number)[];
  /** The message without its leading path (for callers that locate the field themselves). */
  readonly reason: string;

  constructor(code: FaultErrorCode, message: string, options: { cause?: unknown; path?: (string | number)[]; reason?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options.path ?? [];
    this.reason = options.reason ?? message;
  }
}
