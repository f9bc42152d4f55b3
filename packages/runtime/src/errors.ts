/** Stable codes of the runtime package; the README lists them. */
export type RuntimeErrorCode =
  'E_BACKEND_UNAVAILABLE' | 'E_OPTION_INVALID' | 'E_MODEL_INVALID' | 'E_MODEL_MISSING' | 'E_KERNEL_UNSUPPORTED' | 'E_WORKER_FAILED';

/** Error thrown by `@wearnet/runtime`; `code` is stable, `cause` keeps the original. */
export class RuntimeError extends Error {
  readonly code: RuntimeErrorCode;
  constructor(code: RuntimeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RuntimeError';
    this.code = code;
  }
}
