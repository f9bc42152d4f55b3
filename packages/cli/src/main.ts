import { Command } from 'commander';
import { commands } from './commands/index';
import { toCliError } from './errors';

/** Builds the `wearnet` program with every registered command. */
export function buildProgram(): Command {
  const program = new Command('wearnet').description('Emulate a wearable cluster running a distributed neural network over a human-body link').version('0.1.0');
  for (const register of commands) register(program);
  return program;
}

/**
 * Entry point of the `wearnet` binary.
 * @throws CliError whatever a command threw, converted (a package's code is kept).
 */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    throw toCliError(err);
  }
}
