import { EventEmitter } from 'node:events';
import type { Progress } from '@wearnet/aggregator';
import { ModelClock, type Stage, type StageSpec } from '@wearnet/link';
import { LauncherError } from './errors';
import type { FaultCluster } from './fault-cluster';
import { MediumClient } from './medium-client';

/** Options of {@link RemoteCluster}. */
export interface RemoteClusterOptions {
  /** The aggregator's HTTP base URL (its metrics port), e.g. `http://aggregator:9464`. */
  aggregatorUrl: string;
  /** The medium's HTTP base URL, e.g. `http://medium:7400`. */
  mediumUrl: string;
  /** Control credential of the medium's stage routes (`controlCredential` of the secret and run id). */
  credential: string;
  /** Host wall-clock ms at modelled time 0 (the run's `epochMs`). */
  epochMs: number;
  timeScale: number;
  /** Device ids in topology order. */
  deviceIds: string[];
  /** Real ms between two polls of the aggregator's `/status`; default 100. */
  pollMs?: number;
}

/** What `/status` of the aggregator answers (the fields read here). */
interface AggregatorStatus {
  finished: boolean;
  workloadStartMs: number | null;
  progress: Progress;
  authenticated: string[];
}

/**
 * The cluster as a process in another container sees it: the aggregator's `/status`, polled,
 * gives progress, authenticated devices and the start of the workload (until the aggregator
 * answers, polling just goes on: it may start after this; once it stops answering after the
 * workload started, the run counts as finished: it exits when done); the medium's stage routes apply link
 * and medium stages. It owns no device process: device operations throw `E_COMPOSE_UNSUPPORTED`
 * (the controller refuses such faults before they get here, see `composeFaultProblem`).
 * Emits `change` on every status that differs, `progress` when the progress did, `started` once.
 */
export class RemoteCluster extends EventEmitter implements FaultCluster {
  progress: Progress | undefined;
  authenticated: ReadonlySet<string> = new Set();
  workloadStartMs: number | undefined;
  finished = false;
  /** Whether the aggregator has answered at least once. */
  reachable = false;
  readonly topology: { timeScale: number };
  private readonly clock: ModelClock;
  private readonly medium: MediumClient;
  private timer: NodeJS.Timeout | undefined;
  private last = '';
  private closed = false;

  constructor(private readonly options: RemoteClusterOptions) {
    super();
    this.setMaxListeners(0);
    this.topology = { timeScale: options.timeScale };
    this.clock = new ModelClock({ epochMs: options.epochMs, timeScale: options.timeScale });
    this.medium = new MediumClient({ credential: options.credential, baseUrl: () => options.mediumUrl });
    this.schedulePoll(0);
  }

  nowMs(): number {
    return this.clock.nowMs();
  }

  deviceIds(): string[] {
    return [...this.options.deviceIds];
  }

  waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.off('change', check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.off('change', check);
        reject(new LauncherError('E_SETTLE_TIMEOUT', `${what} did not happen within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.on('change', check);
    });
  }

  /** Nothing to hold when nothing is asked (`upTo` unlimited); a real limit cannot cross containers. */
  allowRequests(upTo: number): void {
    if (upTo < Number.MAX_SAFE_INTEGER) throw unsupported('holding the issue limit');
  }

  kill(id: string): void {
    throw unsupported(`crashing ${id}`);
  }

  revive(id: string): Promise<void> {
    return Promise.reject(unsupported(`restoring ${id}`));
  }

  restart(id: string): void {
    throw unsupported(`restarting ${id}`);
  }

  pause(id: string): boolean {
    throw unsupported(`pausing ${id}`);
  }

  setComputeFactor(id: string): void {
    throw unsupported(`slowing ${id}`);
  }

  addStage(link: string | null, spec: StageSpec): Promise<Stage> {
    return this.medium.addStage(link, spec);
  }

  removeStage(link: string | null, name: string): Promise<boolean> {
    return this.medium.removeStage(link, name);
  }

  /** The medium's `GET /links`. */
  links(): ReturnType<MediumClient['links']> {
    return this.medium.links();
  }

  /** Stops polling. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedulePoll(delayMs: number): void {
    if (this.closed) return;
    this.timer = setTimeout(() => void this.poll(), delayMs);
  }

  private async poll(): Promise<void> {
    try {
      const response = await fetch(`${this.options.aggregatorUrl}/status`);
      if (response.ok) this.update(readStatus(await response.json()));
    } catch {
      // Not up yet (it may start after this process): keep asking. Gone after the workload started: the run is over.
      if (this.workloadStartMs !== undefined && !this.finished) {
        this.finished = true;
        this.emit('change');
        this.emit('finished');
      }
    }
    if (!this.finished) this.schedulePoll(this.options.pollMs ?? 100);
  }

  private update(status: AggregatorStatus): void {
    this.reachable = true;
    const text = JSON.stringify(status);
    if (text === this.last) return;
    const progressChanged = JSON.stringify(status.progress) !== JSON.stringify(this.progress);
    this.last = text;
    this.progress = status.progress;
    this.authenticated = new Set(status.authenticated);
    this.finished = status.finished;
    const starting = this.workloadStartMs === undefined && status.workloadStartMs !== null;
    if (starting) this.workloadStartMs = status.workloadStartMs as number;
    this.emit('change');
    if (progressChanged) this.emit('progress');
    if (starting) this.emit('started');
    if (status.finished) this.emit('finished');
  }
}

function unsupported(what: string): LauncherError {
  return new LauncherError('E_COMPOSE_UNSUPPORTED', `${what}: the compose controller owns no device process and cannot hold the aggregator`);
}

const num = (o: Record<string, unknown>, key: string): number => {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new LauncherError('E_BAD_REQUEST', `aggregator /status: ${key} is not a finite number`);
  return v;
};

/** Reads the aggregator's `/status` from `unknown`. @throws LauncherError `E_BAD_REQUEST` naming the field. */
export function readStatus(value: unknown): AggregatorStatus {
  if (typeof value !== 'object' || value === null) throw new LauncherError('E_BAD_REQUEST', 'aggregator /status is not an object');
  const o = value as Record<string, unknown>;
  const start = o.workloadStartMs;
  if (start !== null && (typeof start !== 'number' || !Number.isFinite(start)))
    throw new LauncherError('E_BAD_REQUEST', 'aggregator /status: workloadStartMs is neither null nor a number');
  const devices = Array.isArray(o.devices) ? (o.devices as unknown[]) : [];
  const authenticated = devices.flatMap((d) => {
    const entry = d as { deviceId?: unknown; authenticated?: unknown } | null;
    return entry && typeof entry.deviceId === 'string' && entry.authenticated === true ? [entry.deviceId] : [];
  });
  const progress: Progress = {
    done: num(o, 'done'),
    total: num(o, 'total'),
    issued: num(o, 'issued'),
    allowed: num(o, 'allowed'),
    correct: num(o, 'correct'),
    deadlineMisses: num(o, 'deadlineMisses'),
    p50LatencyMs: typeof o.p50LatencyMs === 'number' ? o.p50LatencyMs : Number.NaN,
  };
  return { finished: o.finished === true, workloadStartMs: start as number | null, progress, authenticated };
}
