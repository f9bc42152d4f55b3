/**
 * Codes of control-client errors: the server's own codes (`E_FAULT_INVALID`, `E_FAULT_NOT_FOUND`,
 * `E_NOT_GATED`, `E_RUN_FINISHED`, `E_SETTLE_TIMEOUT`, `E_BAD_REQUEST`, `E_NOT_FOUND`, ...) pass
 * through; the client adds
 * - `E_CONTROL_UNREACHABLE`: no answer from the control API (the run is not up, or has ended);
 * - `E_CONTROL_TIMEOUT`: no answer within `timeoutMs`, or `control.json` did not appear in time;
 * - `E_CONTROL_PROTOCOL`: an answer that is not the JSON the API sends.
 */
export type ControlErrorCode = 'E_CONTROL_UNREACHABLE' | 'E_CONTROL_TIMEOUT' | 'E_CONTROL_PROTOCOL' | (string & {});

/** Error of a control request, with the server's stable `code` and the HTTP status (0 without an answer). */
export class ControlError extends Error {
  override readonly name = 'ControlError';
  readonly code: ControlErrorCode;
  readonly status: number;

  constructor(code: ControlErrorCode, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? 0;
  }
}
