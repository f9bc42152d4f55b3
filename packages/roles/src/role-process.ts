import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import pino from 'pino';
import { RoleError } from './errors';
import { readSecret, type SecretSource } from './secret';
import { formatRoleEvent, parseRoleCommand, processUsage, type RoleCommand, type RoleEvent } from './role-events';

/** What a role process gets from {@link runRoleProcess}. */
export interface RoleContext {
  logger: pino.Logger;
  /** Cluster secret, from the config's `secretFile` / `secretFd` (see `readSecret`). Never log it. */
  secret: Uint8Array;
  /** Writes one event line to stdout. */
  emit(event: RoleEvent): void;
  /**
   * Reports an error the role found after it started (its run failed, its link is gone for
   * good): logged, sent as an `error` event, and the process stops with exit code 1.
   */
  fatal(err: unknown): void;
}

/** A started role: how to stop it. */
export interface RunningRole {
  /** Stops the role (`reason`: why, e.g. `SIGTERM`); what it returns goes into the final `stats` event as `report`. */
  shutdown(reason?: string): Promise<unknown>;
  /** Handles a command the launcher wrote to stdin (roles without commands ignore them). */
  command?(command: RoleCommand): void;
}

/** Options shared by the role subcommands. */
export interface RoleCommandOptions {
  config: string;
  exitWithStdin?: boolean;
}

/**
 * The common life of a role process: read the JSON config, log with pino to stderr, report
 * events on stdout, take commands from stdin (one JSON line each, see `RoleCommand`), stop
 * cleanly on SIGTERM/SIGINT or when stdin closes (the launcher died),
 * report CPU and memory use in a last `stats` event, exit 1 on a fatal error.
 */
export async function runRoleProcess<C>(
  role: string,
  options: RoleCommandOptions,
  start: (config: C, context: RoleContext) => Promise<RunningRole>,
): Promise<void> {
  const logger = pino({ level: process.env.WEARNET_LOG_LEVEL ?? 'info', base: { role, pid: process.pid } }, pino.destination({ dest: 2, sync: true }));
  // In a container the healthcheck reads readiness from a file (WEARNET_READY_FILE, set by the image).
  const readyFile = process.env.WEARNET_READY_FILE;
  const emit = (event: RoleEvent): void => {
    process.stdout.write(formatRoleEvent(event));
    if (readyFile && event.event === 'ready') writeFileSync(readyFile, `${process.pid}\n`);
  };
  // When the launcher is gone its pipes are too: writes fail with EPIPE, which must not stop the shutdown.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  const safely = (fn: () => void): void => {
    try {
      fn();
    } catch {
      // nowhere left to report to
    }
  };
  let config: C & SecretSource;
  try {
    config = JSON.parse(readFileSync(options.config, 'utf8')) as C & SecretSource;
  } catch (err) {
    throw new RoleError('E_CONFIG_INVALID', `cannot read role config ${options.config}: ${(err as Error).message}`, { cause: err });
  }
  const { secret, from } = readSecret(config);
  if (from === 'env')
    logger.warn({ code: 'W_SECRET_FROM_ENV' }, 'cluster secret read from WEARNET_TOKEN (deprecated): use secretFile, secretFd or WEARNET_TOKEN_FILE');
  let running: RunningRole | undefined;
  let stopping = false;
  const stop = async (reason: string, code = 0): Promise<void> => {
    if (stopping) return;
    stopping = true;
    // Whatever happens below, the process ends: no child may outlive its run.
    setTimeout(() => process.exit(code || 1), 10000).unref();
    safely(() => logger.info({ reason }, 'stopping'));
    if (readyFile) safely(() => rmSync(readyFile, { force: true }));
    let report: unknown;
    try {
      report = running ? await running.shutdown(reason) : undefined;
    } catch (err) {
      safely(() => logger.error({ err }, 'error while stopping'));
      code = code || 1;
    }
    safely(() => emit({ event: 'stats', role, ...processUsage(), report }));
    process.exit(code);
  };
  const fatal = (err: unknown): void => {
    const e = err as { code?: string; message?: string };
    if (stopping && e.code === 'EPIPE') return;
    safely(() => logger.error({ code: e.code, err }, 'fatal error'));
    safely(() => emit({ event: 'error', code: e.code ?? 'E_INTERNAL', message: e.message ?? String(err) }));
    void stop('fatal error', 1);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  // Commands that arrive before the role has started wait for it.
  const queued: RoleCommand[] = [];
  const deliver = (command: RoleCommand): void => {
    try {
      running?.command?.(command);
    } catch (err) {
      safely(() => logger.warn({ err, command }, 'command failed'));
    }
  };
  if (options.exitWithStdin) {
    let buffer = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => {
      buffer += chunk;
      for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        const command = parseRoleCommand(line.trim());
        if (!command) {
          if (line.trim() !== '') safely(() => logger.warn({ line: line.slice(0, 200) }, 'unknown command on stdin'));
          continue;
        }
        if (running) deliver(command);
        else queued.push(command);
      }
    });
    process.stdin.on('end', () => void stop('stdin closed: the launcher is gone'));
    process.stdin.on('error', () => void stop('stdin error'));
    process.stdin.resume();
  }
  try {
    running = await start(config, { logger, secret, emit, fatal });
  } catch (err) {
    fatal(err);
    return;
  }
  for (const command of queued.splice(0)) deliver(command);
  if (stopping) await running.shutdown().catch(() => undefined);
}
