import { Command, CommanderError } from 'commander';
import { commands } from './commands/index';
import { exitCodeOf, formatError, toExitError, wantsJson } from './exit-codes';

/**
 * Builds the `wearnet` program with every registered command. Parse errors are thrown as
 * commander's `CommanderError` (not printed, no `process.exit`): {@link runCli} reports them.
 */
export function buildProgram(): Command {
  const program = new Command('wearnet').description('Emulate a wearable cluster running a distributed neural network over a human-body link').version('0.1.0');
  // Before the commands are added: subcommands inherit both settings.
  program.exitOverride();
  program.configureOutput({ outputError: () => undefined });
  for (const register of commands) register(program);
  return program;
}

/**
 * The `wearnet` binary: runs `main`, reports an error on stderr (under `--json`: one JSON object on
 * stdout, see `formatError`) and resolves with the exit code (`EXIT`: 0, 1, 2, 3, 99, 130).
 */
export async function runCli(argv: string[], out: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (thrown) {
    // `--help` and `--version` end the parse with a CommanderError whose exit code is 0.
    if (thrown instanceof CommanderError && thrown.exitCode === 0) return 0;
    const err = toExitError(thrown);
    const json = wantsJson(argv);
    (json ? out.stdout : out.stderr).write(formatError(err, json));
    return exitCodeOf(err.code);
  }
}

/**
 * Runs the `wearnet` program on `argv` (the binary uses {@link runCli}, which also prints and maps exit codes).
 * @throws CliError whatever a command threw, converted (a package's code is kept; a parse error is `E_USAGE`).
 */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError && err.exitCode === 0) return;
    throw toExitError(err);
  }
}
