/**
 * Codes of `wearnet` errors. Every error that reaches the command line is one {@link CliError}:
 * a package's own coded error keeps its code (`E_TOPOLOGY_INVALID`, `E_BUNDLE_MISSING`, ...);
 * the CLI adds
 * - `E_USAGE`: an unknown command or flag, a missing or invalid argument (commander's parse errors);
 * - `E_OPTION_INVALID`: a flag or option out of range or of the wrong type (a `RangeError` or `TypeError` underneath);
 * - `E_PARTITION_MISMATCH`: `wearnet distil --parts` disagrees with the partition file;
 * - `E_INTERNAL`: anything else (a bug: the original is in `cause`).
 */
export type CliErrorCode = 'E_USAGE' | 'E_OPTION_INVALID' | 'E_PARTITION_MISMATCH' | 'E_INTERNAL' | (string & {});

/** The error of the `wearnet` command line, with a stable `code` and the original in `cause`. */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly code: CliErrorCode;
  /** The command's JSON result when it had one (printed with the error under `--json`). */
  readonly result?: object;

  constructor(code: CliErrorCode, message: string, options: { cause?: unknown; result?: object } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.result !== undefined) this.result = options.result;
  }
}

/** Converts anything thrown by a command to a {@link CliError} (at the process edge). */
export function toCliError(err: unknown): CliError {
  if (err instanceof CliError) return err;
  const e = err as { code?: unknown; message?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : String(err);
  if (typeof e?.code === 'string') return new CliError(e.code, message, { cause: err });
  if (err instanceof RangeError || err instanceof TypeError) return new CliError('E_OPTION_INVALID', message, { cause: err });
  return new CliError('E_INTERNAL', message, { cause: err });
}
