/** Stable codes of hardware-model errors. `E_UNKNOWN_DEVICE_CLASS`: a class name not in {@link DEVICE_CLASSES}. */
export type HardwareErrorCode = 'E_UNKNOWN_DEVICE_CLASS';

/** Error raised by the hardware model, with a stable `code`. */
export class HardwareError extends Error {
  override readonly name = 'HardwareError';
  readonly code: HardwareErrorCode;

  constructor(code: HardwareErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
