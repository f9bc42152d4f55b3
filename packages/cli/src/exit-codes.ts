import { CommanderError } from 'commander';
import { CliError, toCliError } from './errors';

/**
 * Exit codes of `wearnet`, in the manner of k6 and other CI tools, so a CI job can tell "the
 * tool was called wrongly" or "the tool broke" from "the run regressed":
 *
 * | code | meaning |
 * |---|---|
 * | 0 | success |
 * | 1 | runtime error (a child process failed, a timeout, a bug: `E_INTERNAL`, ...) |
 * | 2 | usage error: unknown command or flag, bad or missing argument (`E_USAGE`), bad option value (`E_OPTION_INVALID`), invalid topology (`E_TOPOLOGY_INVALID`) |
 * | 3 | an input file or directory is missing (`E_TOPOLOGY_NOT_FOUND`, `E_BUNDLE_MISSING`, `E_DATA_MISSING`, `E_RESULTS_MISSING`, ...) |
 * | 99 | the run finished but violated its thresholds (`E_THRESHOLD_VIOLATED`; k6 uses 99 too) |
 * | 130 | stopped early by SIGINT/SIGTERM (`E_INTERRUPTED`; partial results written) |
 */
export const EXIT = { ok: 0, runtime: 1, usage: 2, inputMissing: 3, thresholds: 99, interrupted: 130 } as const;

const USAGE_CODES = new Set(['E_USAGE', 'E_OPTION_INVALID', 'E_TOPOLOGY_INVALID']);
const MISSING_CODES = new Set([
  'E_TOPOLOGY_NOT_FOUND',
  'E_BUNDLE_MISSING',
  'E_DATA_MISSING',
  'E_DATA_DIR_MISSING',
  'E_RESULTS_MISSING',
  'E_MODEL_MISSING',
  'ENOENT',
]);

/** The exit code of an error code (see {@link EXIT}). */
export function exitCodeOf(code: string): number {
  if (USAGE_CODES.has(code)) return EXIT.usage;
  if (MISSING_CODES.has(code)) return EXIT.inputMissing;
  if (code === 'E_THRESHOLD_VIOLATED') return EXIT.thresholds;
  if (code === 'E_INTERRUPTED') return EXIT.interrupted;
  return EXIT.runtime;
}

/**
 * Converts what the command line threw to a {@link CliError}: commander's parse errors (unknown
 * option or command, missing or invalid argument) become `E_USAGE`; anything else as `toCliError`.
 */
export function toExitError(err: unknown): CliError {
  if (err instanceof CommanderError) {
    // `wearnet` alone prints the help on stderr and ends with "(outputHelp)".
    const message = err.code === 'commander.help' ? 'a command is required (see wearnet --help)' : err.message.replace(/^error: /, '');
    return new CliError('E_USAGE', message, { cause: err });
  }
  return toCliError(err);
}

/** Whether `argv` (process.argv) asks for JSON output: `--json` before any `--`. */
export function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--json');
}

/**
 * The text `wearnet` prints for an error: under `--json` one line of JSON for stdout,
 * `{"error":{"code","message","exitCode"}}` (with the command's result next to it when it had
 * one, e.g. the summary of a run that violated its thresholds); else `wearnet: CODE: message` for stderr.
 */
export function formatError(err: CliError, json: boolean): string {
  const exitCode = exitCodeOf(err.code);
  if (!json) return `wearnet: ${err.code}: ${err.message}\n`;
  return `${JSON.stringify({ ...(err.result ?? {}), error: { code: err.code, message: err.message, exitCode } })}\n`;
}
