import { EventEmitter } from 'node:events';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Progress, RequestRecord, RunSummary } from '@wearnet/aggregator';
import { ModelClock, hostNowMs, type Stage, type StageSpec } from '@wearnet/link';
import { controlCredential } from '@wearnet/protocol';
import { DEVICE_NODE_FLAGS, RoleChild, defaultDeviceBin, type ChildExit } from './child';
import { LauncherError } from './errors';
import { MediumClient } from './medium-client';
import { RecordsTail } from './records-tail';
import { writeRunSecret, type RunSecret } from './run-secret';
import type { DeviceProcessState, DeviceRoleConfig, LinksView, RoleConfig, RoleEvent } from '@wearnet/roles';
import { aggregatorConfig, deviceConfigs, mediumConfig } from './role-configs';
import { resolveStartConcurrency, runStartPipeline } from './start-pipeline';
import type { ClusterOptions, DeviceSlot } from './cluster-options';
import type { Topology } from './topology';

const isEvent =
  <K extends RoleEvent['event']>(kind: K) =>
  (event: RoleEvent): event is Extract<RoleEvent, { event: K }> =>
    event.event === kind;

/**
 * The processes of one emulated cluster (medium, aggregator, one per device, and warm spares) and
 * the primitive operations faults are made of: kill, revive, restart, pause, resume and slow a
 * device; add and remove medium stages; allow the aggregator more requests. Emits `change`
 * whenever the aggregator's progress or set of authenticated devices, or a device process, changes.
 */
export class Cluster extends EventEmitter {
  /** Run id every connection's proof covers. */
  readonly runId: string;
  /** Fresh cluster secret of this run: in `config/secret` (mode 0600) for the children, never in their environment or configs. */
  private readonly secret: RunSecret;
  readonly epochMs = hostNowMs();
  readonly clock: ModelClock;
  /** Every process ever started, for the resource report. */
  readonly children: RoleChild[] = [];
  /** Latest progress of the aggregator. */
  progress: Progress | undefined;
  /** Devices the aggregator has authenticated. */
  authenticated = new Set<string>();
  /** Modelled time the workload started (undefined before). */
  workloadStartMs: number | undefined;
  /** Real ms from the first spawn until the workload started. */
  startupMs = 0;
  /** Most device processes started at once (see `startConcurrency`). */
  readonly startConcurrency: number;
  mediumPort = 0;
  metricsPort = 0;
  /** Resolves with the aggregator's summary when the workload ends (done or stopped). */
  readonly done: Promise<RunSummary>;
  /** Rejects when the medium or the aggregator exits before the summary. */
  readonly failure: Promise<never>;
  private readonly devices = new Map<string, DeviceSlot>();
  private readonly env: NodeJS.ProcessEnv;
  private readonly records: RecordsTail;
  private medium!: RoleChild;
  /** The medium's HTTP API (stage routes, links), on `mediumPort` once it listens. */
  private readonly mediumApi: MediumClient;
  private aggregator!: RoleChild;
  private summary: RunSummary | undefined;
  private tornDown = false;
  private failedWith: Error | undefined;
  private resolveDone!: (summary: RunSummary) => void;
  private rejectFailure!: (err: Error) => void;

  private constructor(private readonly options: ClusterOptions) {
    super();
    this.setMaxListeners(0);
    this.startConcurrency = resolveStartConcurrency(options.startConcurrency ?? options.topology.startConcurrency);
    this.clock = new ModelClock({ epochMs: this.epochMs, timeScale: options.topology.timeScale });
    this.env = { ...(options.env ?? process.env) };
    delete this.env.WEARNET_TOKEN;
    this.runId =
      options.runId ??
      (path
        .basename(options.outDir)
        .replace(/[^A-Za-z0-9_.:-]/g, '-')
        .slice(0, 128) ||
        'wearnet');
    this.secret = writeRunSecret(options.outDir);
    this.mediumApi = new MediumClient({
      credential: controlCredential(Buffer.from(this.secret.secret), this.runId),
      baseUrl: () => `http://127.0.0.1:${this.mediumPort}`,
    });
    this.records = new RecordsTail(path.join(options.outDir, 'requests.jsonl'));
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.failure = new Promise((_, reject) => (this.rejectFailure = reject));
    this.failure.catch((err: Error) => {
      this.failedWith = err;
      this.emit('failure', err);
    });
    for (const d of options.topology.devices) this.devices.set(d.id, { id: d.id, index: d.index, child: null, spare: null, computeFactor: 1, incarnations: 0 });
  }

  /**
   * Starts the medium, then the aggregator, each waiting for the previous to be ready, and returns;
   * the devices then start in a bounded pipeline (at most `startConcurrency` loading at once). The
   * workload starts when every device is authenticated (see {@link Cluster.started}).
   * @throws LauncherError `E_READY_TIMEOUT` or `E_CHILD_FAILED`; every child started is torn down.
   */
  static async start(options: ClusterOptions): Promise<Cluster> {
    const cluster = new Cluster(options);
    try {
      await cluster.spawnCore();
    } catch (err) {
      await cluster.teardown();
      throw err;
    }
    return cluster;
  }

  get topology(): Topology {
    return this.options.topology;
  }

  /** Modelled now, ms (the clock of the records). */
  nowMs(): number {
    return this.clock.nowMs();
  }

  /** Resolves with the number of authenticated devices once the aggregator starts the workload. */
  async started(timeoutMs: number): Promise<number> {
    const event = await Promise.race([this.aggregator.waitFor(isEvent('started'), timeoutMs, 'the start of the workload'), this.failure]);
    return event.devices;
  }

  /** The aggregator's summary, once it reported one (also when the run failed afterwards). */
  get reportedSummary(): RunSummary | undefined {
    return this.summary;
  }

  /** Device ids in topology order. */
  deviceIds(): string[] {
    return [...this.devices.keys()];
  }

  /** State of a device's process. */
  deviceState(id: string): { state: DeviceProcessState; pid: number | null; computeFactor: number; spare: 'none' | 'loading' | 'ready'; incarnations: number } {
    const slot = this.slot(id);
    const child = slot.child;
    let state: DeviceProcessState;
    // A device the start pipeline has not reached yet is starting too.
    if (!child && slot.incarnations === 0 && !this.tornDown) state = 'starting';
    else if (!child || child.hasExited) state = 'down';
    else if (child.isPaused) state = 'paused';
    else if (!this.authenticated.has(id)) state = 'starting';
    else state = 'running';
    const spare = !slot.spare || slot.spare.hasExited ? 'none' : slot.spare.events.some(isEvent('loaded')) ? 'ready' : 'loading';
    return {
      state,
      pid: child && !child.hasExited ? (child.process.pid ?? null) : null,
      computeFactor: slot.computeFactor,
      spare,
      incarnations: slot.incarnations,
    };
  }

  /** SIGKILL of the device's process (it is gone at once, as a crashed wearable); a warm spare starts loading. */
  kill(id: string): void {
    const slot = this.slot(id);
    slot.child?.signal('SIGKILL');
    slot.child = null;
    this.ensureSpare(slot);
    this.emit('change');
  }

  /**
   * Brings a killed device back: its warm spare connects (or, without one, a fresh process
   * starts). Resolves when the replacement process has been told to connect; the aggregator
   * authenticates it shortly after (wait with {@link waitFor}). No-op when the device runs.
   */
  async revive(id: string, timeoutMs: number): Promise<void> {
    const slot = this.slot(id);
    if (slot.child && !slot.child.hasExited) return;
    const spare = slot.spare && !slot.spare.hasExited ? slot.spare : null;
    slot.spare = null;
    if (spare) {
      slot.child = spare;
      await Promise.race([spare.waitFor(isEvent('loaded'), timeoutMs, 'its model loaded'), this.failure]);
      spare.send({ command: 'connect' });
    } else {
      slot.child = this.spawnDevice(slot, false);
    }
    this.emit('change');
  }

  /** SIGKILL and a fresh process at once (a reboot: the device is away for its start-up time). */
  restart(id: string): void {
    const slot = this.slot(id);
    slot.child?.signal('SIGKILL');
    slot.child = this.spawnDevice(slot, false);
    this.emit('change');
  }

  /** SIGSTOP (`true`) or SIGCONT (`false`) of the device's process; false when it has none. */
  pause(id: string, paused: boolean): boolean {
    const child = this.slot(id).child;
    const done = child ? child.signal(paused ? 'SIGSTOP' : 'SIGCONT') : false;
    this.emit('change');
    return done;
  }

  /** Sets the device's modelled compute-time multiplier (kept for any later process of the device). */
  setComputeFactor(id: string, factor: number): void {
    const slot = this.slot(id);
    slot.computeFactor = factor;
    slot.child?.send({ command: 'slow', factor });
    slot.spare?.send({ command: 'slow', factor });
    this.emit('change');
  }

  /** Adds a stage to a device's link (`link` null: medium-wide) through the medium's stage routes. */
  addStage(link: string | null, spec: StageSpec): Promise<Stage> {
    return this.mediumApi.addStage(link, spec);
  }

  /** Removes a stage by name; false when it was not there. */
  removeStage(link: string | null, name: string): Promise<boolean> {
    return this.mediumApi.removeStage(link, name);
  }

  /** The medium's `GET /links`: link states, stages, counters and medium-wide stages. */
  links(): Promise<LinksView> {
    return this.mediumApi.links();
  }

  /** Lets the aggregator issue requests up to `upTo` in all. */
  allowRequests(upTo: number): void {
    this.aggregator.send({ command: 'allow', upTo });
  }

  /** Records the aggregator wrote since the last call. */
  newRecords(): RequestRecord[] {
    return this.records.read();
  }

  /**
   * Resolves once `predicate` holds (checked now and on every change); rejects with
   * `E_SETTLE_TIMEOUT` after `timeoutMs`, or when the medium or the aggregator fails.
   */
  waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (predicate()) return Promise.resolve();
    if (this.failedWith) return Promise.reject(this.failedWith);
    return new Promise((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        this.off('change', check);
        this.off('failure', onFailure);
      };
      const check = (): void => {
        if (!predicate()) return;
        cleanup();
        resolve();
      };
      const onFailure = (err: Error): void => {
        cleanup();
        reject(err);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new LauncherError('E_SETTLE_TIMEOUT', `${what} did not happen within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.on('change', check);
      this.on('failure', onFailure);
    });
  }

  /** Stops the workload early (the aggregator finalises what is in flight and reports its summary). */
  stopWorkload(): void {
    if (!this.aggregator.hasExited) this.aggregator.process.kill('SIGTERM');
  }

  /** Whether the aggregator has reported its summary. */
  get finished(): boolean {
    return this.summary !== undefined;
  }

  /**
   * Stops every process: spares and devices first (paused ones are continued so they can stop),
   * then the aggregator, then the medium (SIGTERM, SIGKILL after 5 s), so each reports its usage.
   */
  async teardown(): Promise<void> {
    this.tornDown = true;
    const slots = [...this.devices.values()];
    await Promise.all(
      slots
        .flatMap((slot) => [slot.spare, slot.child])
        .filter((c): c is RoleChild => c !== null)
        .map((c) => c.terminate()),
    );
    // Processes replaced earlier (killed ones) are already gone; make sure of it.
    await Promise.all(this.children.filter((c) => c !== this.aggregator && c !== this.medium).map((c) => c.terminate()));
    for (const child of [this.aggregator, this.medium]) if (child) await child.terminate();
    // Every process that could read it is gone: the secret of a finished run is left nowhere.
    this.secret.remove();
  }

  private async spawnCore(): Promise<void> {
    const { topology, outDir } = this.options;
    const readyTimeoutMs = this.options.readyTimeoutMs ?? 30000;
    const at = { epochMs: this.epochMs, outDir, host: '127.0.0.1', runId: this.runId, secretFile: this.secret.file };
    this.medium = this.spawn('medium', mediumConfig(topology, at));
    const mediumReady = await this.medium.waitFor(isEvent('ready'), readyTimeoutMs, 'ready');
    this.mediumPort = mediumReady.port ?? 0;
    const mediumUrl = `ws://${at.host}:${this.mediumPort}`;
    const aggregatorRole = aggregatorConfig(topology, at, mediumUrl);
    if (this.options.issueLimit !== undefined) aggregatorRole.issueLimit = this.options.issueLimit;
    if (this.options.metricsPort !== undefined) aggregatorRole.metricsPort = this.options.metricsPort;
    this.aggregator = this.spawn('aggregator', aggregatorRole);
    this.aggregator.on('event', (event: RoleEvent) => this.fromAggregator(event));
    for (const child of [this.medium, this.aggregator]) {
      child.once('exit', (exit: { code: number | null; signal: string | null }) => {
        if (!this.summary)
          this.rejectFailure(
            new LauncherError(
              'E_CHILD_FAILED',
              `${child.name} exited during the run (code ${exit.code}, signal ${exit.signal})${child.ownError()}; see ${path.join(outDir, 'logs', `${child.name}.log`)}`,
            ),
          );
      });
    }
    const aggregatorReady = await this.aggregator.waitFor(isEvent('ready'), readyTimeoutMs, 'ready');
    this.metricsPort = aggregatorReady.metricsPort ?? 0;
    // At most `startConcurrency` devices load at once; the workload starts when all are authenticated.
    runStartPipeline({
      items: [...this.devices.values()],
      concurrency: this.startConcurrency,
      shouldContinue: () => !this.tornDown,
      // A device's first process (unless a fault or the control API started one); its slot frees once it has loaded, exited or timed out.
      start: async (slot) => {
        if (slot.incarnations > 0) return;
        slot.child = this.spawnDevice(slot, false);
        await slot.child.waitFor(isEvent('loaded'), readyTimeoutMs, 'its model loaded').catch(() => undefined);
      },
    }).catch((err: Error) => this.rejectFailure(err));
  }

  private fromAggregator(event: RoleEvent): void {
    if (event.event === 'progress') {
      this.progress = event;
      this.emit('progress', event);
    } else if (event.event === 'devices') {
      this.authenticated = new Set(event.authenticated);
    } else if (event.event === 'started') {
      this.workloadStartMs = this.clock.nowMs();
      this.startupMs = hostNowMs() - this.epochMs;
    } else if (event.event === 'done') {
      this.summary = event.summary;
      this.resolveDone(event.summary);
    } else return;
    this.emit('change');
  }

  private ensureSpare(slot: DeviceSlot): void {
    if (slot.spare && !slot.spare.hasExited) return;
    slot.spare = this.spawnDevice(slot, true);
  }

  private spawnDevice(slot: DeviceSlot, standby: boolean): RoleChild {
    const { topology, outDir } = this.options;
    const at = { epochMs: this.epochMs, outDir, host: '127.0.0.1', runId: this.runId, secretFile: this.secret.file };
    const base = deviceConfigs(topology, at, `ws://${at.host}:${this.mediumPort}`).find((c) => c.deviceId === slot.id) as DeviceRoleConfig;
    const config: DeviceRoleConfig = {
      ...base,
      ...(standby ? { standby: true } : {}),
      ...(slot.computeFactor !== 1 ? { computeFactor: slot.computeFactor } : {}),
    };
    const name = slot.incarnations === 0 ? slot.id : `${slot.id}~${slot.incarnations}`;
    slot.incarnations += 1;
    const child = this.spawn(name, config, slot.id);
    child.on('event', (event: RoleEvent) => {
      if (event.event === 'loaded' || event.event === 'ready') this.emit('change');
    });
    child.once('exit', (exit: ChildExit) => {
      // A device process that dies on its own before loading its bundle fails the run, with its own code.
      const failed = child.startFailure(exit);
      if (failed !== undefined && !this.summary) this.rejectFailure(new LauncherError('E_DEVICE_FAILED', failed));
      this.emit('change');
    });
    return child;
  }

  private spawn(name: string, config: RoleConfig, logName = name): RoleChild {
    const { outDir, cliBin } = this.options;
    const configFile = path.join(outDir, 'config', `${name}.json`);
    writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
    // Devices run their own lean entry point; the medium and the aggregator run through the CLI.
    const command = config.role === 'device' ? [...DEVICE_NODE_FLAGS, this.options.deviceBin ?? defaultDeviceBin()] : [cliBin, config.role];
    const child = new RoleChild({ name, command, configFile, logFile: path.join(outDir, 'logs', `${logName}.log`), env: this.env });
    this.children.push(child);
    return child;
  }

  private slot(id: string): DeviceSlot {
    const slot = this.devices.get(id);
    if (!slot) throw new LauncherError('E_UNKNOWN_DEVICE', `unknown device "${id}" (known: ${[...this.devices.keys()].join(', ')})`);
    return slot;
  }
}
