export { buildProgram, main, runCli } from './main';
export { EXIT, exitCodeOf } from './exit-codes';
export { CliError, toCliError } from './errors';
export type { CliErrorCode } from './errors';
