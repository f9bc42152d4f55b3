/**
 * Stable codes of role-process errors.
 * - `E_CONFIG_INVALID`: the role config file cannot be read or parsed, or no run token is given.
 */
export type RoleErrorCode = 'E_CONFIG_INVALID';

/** Error of a role process, with a stable `code` and the original in `cause`. */
export class RoleError extends Error {
  override readonly name = 'RoleError';
  readonly code: RoleErrorCode;

  constructor(code: RoleErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}
