/**
 * Stable codes of report errors.
 * - `E_RESULTS_MISSING`: a run directory, or a file it must hold (`summary.json`, `requests.jsonl`), does not exist.
 * - `E_RESULTS_INVALID`: a results file is not what the emulator writes (bad JSON, a wrong field,
 *   records that disagree with the summary); the message names the file, the line and the field.
 * - `E_OFFLINE_INVALID`: an offline evaluation file (`evaluation.json` or a distillation `manifest.json`) is missing or malformed.
 * - `E_RENDER_FAILED`: vega could not render a chart to SVG (a bug in a chart spec).
 * - `E_WRITE_FAILED`: `report.html` or `requests.csv` could not be written.
 */
export type ReportErrorCode = 'E_RESULTS_MISSING' | 'E_RESULTS_INVALID' | 'E_OFFLINE_INVALID' | 'E_RENDER_FAILED' | 'E_WRITE_FAILED';

/** Error raised by the report package, with a stable `code` and the original in `cause`. */
export class ReportError extends Error {
  override readonly name = 'ReportError';
  readonly code: ReportErrorCode;

  constructor(code: ReportErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}
