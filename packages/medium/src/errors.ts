/**
 * Stable codes of medium errors.
 * - `E_QUEUE_FULL`: more than `maxQueuedMessages` messages wait for the medium; the new one is refused.
 * - `E_AUTH_FAILED`: a device or hub connection that did not prove the cluster secret (wrong proof, replayed answer, not a handshake).
 * - `E_AUTH_TIMEOUT`: a connection that did not answer its challenge within `authTimeoutMs`.
 * - `E_DUPLICATE_DEVICE`: an authenticated connection for a device id that is live; the live one is untouched.
 * - `E_TOO_MANY_PENDING`: more than `maxPendingConnections` connections wait to authenticate (HTTP 503).
 * - `E_HUB_TAKEN`: a second hub connection while one is open.
 * - `E_BAD_DEVICE_ID`: a device path whose id is not `[A-Za-z0-9_.-]{1,64}`.
 * - `E_BAD_FRAME`: a device or hub frame that failed to decode or validate.
 */
export type MediumErrorCode =
  'E_QUEUE_FULL' | 'E_AUTH_FAILED' | 'E_AUTH_TIMEOUT' | 'E_DUPLICATE_DEVICE' | 'E_TOO_MANY_PENDING' | 'E_HUB_TAKEN' | 'E_BAD_DEVICE_ID' | 'E_BAD_FRAME';

/** Error raised by the medium, with a stable `code` and the original in `cause`. */
export class MediumError extends Error {
  override readonly name = 'MediumError';
  readonly code: MediumErrorCode;

  constructor(code: MediumErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}
