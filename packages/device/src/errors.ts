/**
 * Stable codes of device errors.
 * - `E_BUNDLE_UNSUPPORTED`: the bundle's input is not a 32x32x3 NHWC image.
 * - `E_AUTH_FAILED`: the medium refused its proof of the secret, or the aggregator its hello (unknown device, bundle mismatch); the device stops.
 * - `E_SAMPLE_OUT_OF_RANGE`: a local-mode request names a sample outside the device's dataset slice.
 * - `E_NO_IMAGE`: a broadcast-mode request without an `IMAGE_BYTES`-byte image.
 * - `E_INFERENCE_FAILED`: the student could not run.
 * - `E_USAGE`: `wearnet-device` was called with an unknown argument or without `--config FILE`.
 * - `E_BAD_MESSAGE`: a MoDNN band message that is not addressed to this device, or too far ahead of the current request (logged, dropped).
 */
export type DeviceErrorCode =
  'E_BUNDLE_UNSUPPORTED' | 'E_AUTH_FAILED' | 'E_SAMPLE_OUT_OF_RANGE' | 'E_NO_IMAGE' | 'E_INFERENCE_FAILED' | 'E_BAD_MESSAGE' | 'E_USAGE';

/** Error raised by the device, with a stable `code` and the original in `cause`. */
export class DeviceError extends Error {
  override readonly name = 'DeviceError';
  readonly code: DeviceErrorCode;

  constructor(code: DeviceErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}
