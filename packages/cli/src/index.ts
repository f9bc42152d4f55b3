export { buildProgram, main } from './main';
export { CliError, toCliError } from './errors';
export type { CliErrorCode } from './errors';
