/**
 * Stable codes of role-process errors.
 * - `E_CONFIG_INVALID`: the role config file cannot be read or parsed, or no (or too short a) cluster secret is given.
 * - `E_SECRET_INSECURE`: the secret file is readable by group or others (it must be mode 0600 or stricter).
 * - `E_SECRET_UNREADABLE`: the secret file or descriptor cannot be read.
 */
export type RoleErrorCode = 'E_CONFIG_INVALID' | 'E_SECRET_INSECURE' | 'E_SECRET_UNREADABLE';

/** Error of a role process, with a stable `code` and the original in `cause`. */
export class RoleError extends Error {
  override readonly name = 'RoleError';
  readonly code: RoleErrorCode;

  constructor(code: RoleErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}
