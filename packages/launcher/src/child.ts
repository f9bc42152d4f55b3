import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { EventEmitter } from 'node:events';
import * as path from 'node:path';
import { LauncherError } from './errors';
import { formatRoleCommand, parseRoleEvent, type RoleCommand, type RoleEvent } from '@wearnet/roles';

/** How a child ended. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Options of {@link spawnRole}. */
export interface SpawnRoleOptions {
  /** Display name, for example `device-3`. */
  name: string;
  /**
   * The script and its leading arguments, run by this Node as `node ...command --config FILE
   * --exit-with-stdin`: `[cliBin, 'medium']`, `[cliBin, 'aggregator']`, or the lean `[deviceBin]`.
   */
  command: readonly string[];
  /** Path of the role's JSON config. */
  configFile: string;
  /** Where the child's stderr (pino logs) goes. */
  logFile: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Path of the lean device entry point, `bin/device.js` of `@wearnet/device` (`wearnet-device`):
 * resolved, not loaded, so the launcher does not load TensorFlow.js for it.
 */
export function defaultDeviceBin(): string {
  return path.join(path.dirname(require.resolve('@wearnet/device')), '..', 'bin', 'device.js');
}

/**
 * Node flags of a device process: a 1 MiB young generation and one V8 worker thread (instead of 16
 * MiB and four). A device's heap is small and its CPU share on a crowded host is a fraction of a
 * core, so these only trim resident memory (about 6 MiB a process; docs/BENCHMARKS.md, scale).
 */
export const DEVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--v8-pool-size=1'];

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills every child still alive with SIGKILL (used on launcher exit and crash). */
export function killAllChildren(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** PIDs of children still alive. */
export function liveChildPids(): number[] {
  return [...live].map((c) => c.pid).filter((pid): pid is number => pid !== undefined);
}

/**
 * A role running as a separate OS process (`node wearnet.js <role> --config FILE`, or the device's
 * lean `node device.js --config FILE`), in its own
 * process group (so a terminal Ctrl-C reaches only the launcher, which tears down in order), with
 * stdin as a lifeline (the child exits when the launcher dies and the pipe closes).
 */
export class RoleChild extends EventEmitter {
  readonly name: string;
  readonly process: ChildProcess;
  readonly exited: Promise<ChildExit>;
  readonly events: RoleEvent[] = [];
  private readonly log: WriteStream;
  private exitInfo: ChildExit | null = null;
  private stoppedBySignal = false;

  constructor(options: SpawnRoleOptions) {
    super();
    this.name = options.name;
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on('exit', killAllChildren);
    }
    this.log = createWriteStream(options.logFile, { flags: 'a' });
    this.process = spawn(process.execPath, [...options.command, '--config', options.configFile, '--exit-with-stdin'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
      env: options.env,
    });
    live.add(this.process);
    this.process.stderr?.pipe(this.log, { end: false });
    let buffer = '';
    this.process.stdout?.setEncoding('utf8');
    this.process.stdout?.on('data', (chunk: string) => {
      buffer += chunk;
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        const event = parseRoleEvent(line);
        if (event) {
          this.events.push(event);
          this.emit('event', event);
        } else if (line.trim() !== '') this.log.write(`${line}\n`);
        newline = buffer.indexOf('\n');
      }
    });
    this.exited = new Promise((resolve) => {
      this.process.once('close', (code, signal) => {
        live.delete(this.process);
        this.exitInfo = { code, signal };
        this.emit('exit', this.exitInfo);
        resolve(this.exitInfo);
      });
      this.process.once('error', (err) => {
        live.delete(this.process);
        this.log.write(`spawn error: ${err.message}\n`);
        this.exitInfo = { code: -1, signal: null };
        resolve(this.exitInfo);
      });
    });
    this.process.stdin?.on('error', () => undefined);
  }

  /** Whether the process has exited. */
  get hasExited(): boolean {
    return this.exitInfo !== null;
  }

  /** Whether the process is stopped by SIGSTOP (a pause fault). */
  get isPaused(): boolean {
    return this.stoppedBySignal && !this.hasExited;
  }

  /** Writes one command line to the child's stdin (ignored once it has exited). */
  send(command: RoleCommand): void {
    if (this.hasExited || !this.process.stdin?.writable) return;
    this.process.stdin.write(formatRoleCommand(command));
  }

  /** The child's own last `error` event as `: CODE: message` (empty when it reported none): what a failure passes up. */
  ownError(): string {
    const error = [...this.events].reverse().find((e): e is Extract<RoleEvent, { event: 'error' }> => e.event === 'error');
    return error ? `: ${error.code}: ${error.message}` : '';
  }

  /**
   * Why the child failed to start, when it exited on its own (not by a signal) with an error before
   * it reported `loaded` or `ready`: its name, exit code and its own error; undefined otherwise.
   */
  startFailure(exit: ChildExit): string | undefined {
    const started = this.events.some((e) => e.event === 'loaded' || e.event === 'ready');
    if (started || exit.signal !== null || exit.code === 0) return undefined;
    return `${this.name} could not start (code ${exit.code})${this.ownError()}`;
  }

  /** Sends a signal to the child (SIGKILL, SIGSTOP, SIGCONT...); false when it has exited. */
  signal(signal: NodeJS.Signals): boolean {
    if (this.hasExited) return false;
    if (signal === 'SIGSTOP') this.stoppedBySignal = true;
    if (signal === 'SIGCONT') this.stoppedBySignal = false;
    return this.process.kill(signal);
  }

  /** Waits for the first event matching `predicate`; rejects on exit or after `timeoutMs` (Infinity: no limit). */
  waitFor<T extends RoleEvent>(predicate: (event: RoleEvent) => event is T, timeoutMs: number, what: string): Promise<T> {
    const seen = this.events.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        this.off('event', onEvent);
        this.off('exit', onExit);
      };
      const onEvent = (event: RoleEvent): void => {
        if (!predicate(event)) return;
        cleanup();
        resolve(event);
      };
      const onExit = (exit: ChildExit): void => {
        cleanup();
        reject(new LauncherError('E_CHILD_FAILED', `${this.name} exited (code ${exit.code}, signal ${exit.signal}) before ${what}${this.ownError()}`));
      };
      const timer = Number.isFinite(timeoutMs)
        ? setTimeout(() => {
            cleanup();
            reject(new LauncherError('E_READY_TIMEOUT', `${this.name} did not report ${what} within ${Math.round(timeoutMs / 1000)} s`));
          }, timeoutMs)
        : undefined;
      this.on('event', onEvent);
      this.on('exit', onExit);
      if (this.hasExited) onExit(this.exitInfo as ChildExit);
    });
  }

  /** SIGTERM (after SIGCONT if paused), then SIGKILL after `graceMs`; resolves when the process is gone. */
  async terminate(graceMs = 5000): Promise<ChildExit> {
    if (!this.hasExited) {
      // A stopped process would not act on SIGTERM: continue it first.
      if (this.stoppedBySignal) this.signal('SIGCONT');
      this.process.kill('SIGTERM');
      const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => this.log.end(() => resolve()));
    return this.exited;
  }
}
