import { parseFault, patchFault, planFault, type FaultAction, type FaultPeriod, type FaultPlan, type FaultSpec } from '@wearnet/faults';
import type { FaultState, FaultView } from '@wearnet/roles';
import type { FaultCluster } from './fault-cluster';
import { DeviceFaultState } from './device-fault-state';
import { LauncherError } from './errors';
import type { ActiveFault } from './run-metrics';

/** Options of {@link FaultRunner}. */
export interface FaultRunnerOptions {
  /** Seed of flapping schedules. */
  seed: number;
  /** Real ms to wait for a device to go away or come back after a crash, restore or pause; default 30 000. */
  settleTimeoutMs?: number;
  /** Called when a fault fails to apply or clear in the background (time-scheduled faults). */
  onError?: (err: Error, fault: FaultView) => void;
  /** Vets each validated fault before it is scheduled (throw to refuse it); default: every fault is accepted. */
  accept?: (spec: FaultSpec) => void;
}

interface FaultEntry {
  spec: FaultSpec;
  plan: FaultPlan;
  state: FaultState;
  timers: NodeJS.Timeout[];
  appliedAtMs?: number;
  clearedAtMs?: number;
  error?: string;
  /** Fault periods recorded so far, per target; `endMs` undefined while open. */
  periods: { startMs: number; endMs?: number; target: string }[];
}

interface Mark {
  /** Apply when this many requests are finalised (before request `count` is issued). */
  count: number;
  entry: FaultEntry;
  run: () => Promise<void>;
}

/**
 * Runs faults on a {@link FaultCluster} (the launcher's processes, or the compose controller's remote view): schedules them in modelled time from the start of the
 * workload or at exact request counts (by holding the aggregator's issue limit at the count until
 * the fault is applied), applies and clears their planned actions, counts overlapping faults per
 * device (a device stays crashed or paused until the last such fault clears; slow-downs
 * multiply), waits for a crash or a restore to be seen by the aggregator, and records each fault's
 * periods on the records' clock (`summary.faults`).
 */
export class FaultRunner {
  private readonly entries = new Map<string, FaultEntry>();
  private readonly devices: DeviceFaultState;
  private marks: Mark[] = [];
  private userLimit: number;
  private lastAllowed = -1;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly settleTimeoutMs: number;

  /**
   * @param gated whether requests are issued only as asked (`runRequests`); otherwise the whole
   *   workload is allowed, minus holds at request-count marks.
   */
  constructor(
    private readonly cluster: FaultCluster,
    private readonly options: FaultRunnerOptions,
    gated: boolean,
  ) {
    this.userLimit = gated ? 0 : Number.MAX_SAFE_INTEGER;
    this.settleTimeoutMs = options.settleTimeoutMs ?? 30000;
    this.devices = new DeviceFaultState(cluster, this.settleTimeoutMs);
    cluster.on('progress', () => this.onProgress());
  }

  /**
   * Adds a fault from the control API or the topology. Validated against the cluster's devices
   * (@throws FaultError `E_FAULT_INVALID`). A fault due now (no start, a start in the past, or a
   * request count already reached) is applied before this resolves; later ones are scheduled.
   */
  async add(input: unknown): Promise<FaultView> {
    if (this.closed) throw new LauncherError('E_RUN_FINISHED', 'the run has ended; no more faults');
    const spec = parseFault(input, { devices: this.cluster.deviceIds(), usedIds: new Set(this.entries.keys()), defaultId: this.freeId(input) });
    return this.schedule(spec);
  }

  /** Schedules an already validated fault (the topology's). */
  async schedule(spec: FaultSpec): Promise<FaultView> {
    this.options.accept?.(spec);
    const entry: FaultEntry = { spec, plan: planFault(spec, { seed: this.options.seed }), state: 'scheduled', timers: [], periods: [] };
    this.entries.set(spec.id, entry);
    const start = spec.start;
    if ('afterRequests' in start) {
      if (this.done() >= start.afterRequests && this.cluster.workloadStartMs !== undefined) await this.begin(entry);
      else this.addMark(start.afterRequests, entry, () => this.begin(entry));
      return this.view(entry);
    }
    const startMs = this.cluster.workloadStartMs;
    if (startMs === undefined) return this.view(entry); // timed when the workload starts (see workloadStarted)
    const delay = this.realDelay(startMs + start.atMs);
    if (delay <= 0) await this.begin(entry);
    else entry.timers.push(setTimeout(() => this.background(entry, () => this.begin(entry)), delay));
    return this.view(entry);
  }

  /** Times every fault scheduled by modelled time, once the workload has started. */
  workloadStarted(): void {
    for (const entry of this.entries.values()) {
      if (entry.state !== 'scheduled' || !('atMs' in entry.spec.start) || entry.timers.length > 0) continue;
      const delay = this.realDelay((this.cluster.workloadStartMs ?? this.cluster.nowMs()) + entry.spec.start.atMs);
      entry.timers.push(setTimeout(() => this.background(entry, () => this.begin(entry)), Math.max(0, delay)));
    }
    this.updateLimit();
    this.checkMarks(0, 0);
  }

  /** Clears a fault (undoing whatever it applied) or cancels it if it has not started. @throws LauncherError `E_FAULT_NOT_FOUND`. */
  async remove(id: string): Promise<FaultView> {
    const entry = this.entries.get(id);
    if (!entry) throw new LauncherError('E_FAULT_NOT_FOUND', `no fault "${id}" (known: ${[...this.entries.keys()].join(', ') || 'none'})`);
    await this.clear(entry);
    return this.view(entry);
  }

  /**
   * Updates a fault in place (`PATCH /faults/<id>`): `patch` holds some of its kind's changeable
   * fields (see `PATCHABLE_FAULT_FIELDS` of `@wearnet/faults`). An active fault's stages are replaced
   * by name (no message passes the link between the old and the new effect of one stage) and a
   * slow-down takes its new factor; a scheduled one is applied as patched when due. Its timing, its
   * periods and its request-count marks are unchanged.
   * @throws LauncherError `E_FAULT_NOT_FOUND`, `E_FAULT_CLEARED`; FaultError `E_FAULT_INVALID`.
   */
  async update(id: string, patch: unknown): Promise<FaultView> {
    const entry = this.entries.get(id);
    if (!entry) throw new LauncherError('E_FAULT_NOT_FOUND', `no fault "${id}" (known: ${[...this.entries.keys()].join(', ') || 'none'})`);
    if (entry.state === 'cleared') throw new LauncherError('E_FAULT_CLEARED', `fault "${id}" has been cleared; add a new one`);
    const spec = patchFault(entry.spec, patch);
    const plan = planFault(spec, { seed: this.options.seed });
    const before = entry.plan.steps[0].actions;
    entry.spec = spec;
    entry.plan = plan;
    if (entry.state !== 'active') return this.view(entry);
    const now = plan.steps[0].actions;
    const key = (link: string | null, name: string): string => `${link ?? '*'}/${name}`;
    const kept = new Set(now.flatMap((a) => (a.op === 'add-stage' ? [key(a.link, a.stage.name)] : [])));
    for (const action of now) await this.devices.apply(id, action);
    for (const action of before) {
      if (action.op === 'add-stage' && !kept.has(key(action.link, action.stage.name)))
        await this.devices.apply(id, { op: 'remove-stage', link: action.link, name: action.stage.name });
    }
    return this.view(entry);
  }

  /** Clears every fault, active or scheduled; resolves with how many there were. */
  async reset(): Promise<number> {
    const live = [...this.entries.values()].filter((e) => e.state !== 'cleared');
    for (const entry of live) await this.clear(entry);
    return live.length;
  }

  /** Every fault of the run, in the order added. */
  views(): FaultView[] {
    return [...this.entries.values()].map((e) => this.view(e));
  }

  /** One fault by id, or undefined. */
  find(id: string): FaultView | undefined {
    const entry = this.entries.get(id);
    return entry && this.view(entry);
  }

  /**
   * Runs `n` more requests of a gated workload and resolves with their records (holding at any
   * request-count mark in between to apply its fault). Calls are served one after another.
   */
  runRequests(n: number, timeoutMs: number): Promise<number> {
    const run = this.chain.then(async () => {
      const target = Math.max(this.userLimit, this.done()) + n;
      this.userLimit = target;
      this.updateLimit();
      await this.cluster.waitFor(() => this.done() >= Math.min(target, this.total()) || this.cluster.finished, timeoutMs, `${n} requests`);
      return target;
    });
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Fault periods on the records' clock, open ones ending at `endMs` (one per fault and target; one per outage of a flap). */
  periods(endMs: number): FaultPeriod[] {
    const out: FaultPeriod[] = [];
    for (const entry of this.entries.values()) {
      for (const p of entry.periods)
        out.push({ startMs: p.startMs, endMs: Math.max(p.startMs, p.endMs ?? endMs), kind: entry.spec.kind, target: p.target, id: entry.spec.id });
    }
    return out.sort((a, b) => a.startMs - b.startMs);
  }

  /** The faults in effect now, one per fault and open target period: the source of `wearnet_faults_active`. */
  active(): ActiveFault[] {
    const out: ActiveFault[] = [];
    for (const entry of this.entries.values()) for (const p of entry.periods) if (p.endMs === undefined) out.push({ kind: entry.spec.kind, target: p.target });
    return out;
  }

  /** Stops scheduling: cancels timers (faults still active are closed in the periods by the caller's end time). */
  close(): void {
    this.closed = true;
    for (const entry of this.entries.values()) entry.timers.forEach(clearTimeout);
    this.marks = [];
  }

  // ---- life of a fault ----------------------------------------------------------------------

  private async begin(entry: FaultEntry): Promise<void> {
    if (entry.state !== 'scheduled' || this.closed) return;
    entry.state = 'active';
    entry.appliedAtMs = this.cluster.nowMs();
    const [first, ...rest] = entry.plan.steps;
    const flap = entry.spec.kind === 'flap';
    if (!flap) for (const target of this.targetsOf(entry)) entry.periods.push({ startMs: entry.appliedAtMs, target });
    await this.runStep(entry, first.actions);
    if (entry.spec.kind === 'restart') {
      // Instantaneous, but the device is away until its new process is in: that is its period.
      const targets = entry.spec.targets;
      this.background(entry, async () => {
        await this.cluster.waitFor(
          () => targets.every((d) => !this.cluster.authenticated.has(d)),
          this.settleTimeoutMs,
          `${targets.join(', ')} leaving for a restart`,
        );
        await this.cluster.waitFor(
          () => targets.every((d) => this.cluster.authenticated.has(d)),
          this.settleTimeoutMs,
          `${targets.join(', ')} back after a restart`,
        );
        if (entry.state !== 'active') return;
        entry.state = 'cleared';
        entry.clearedAtMs = this.cluster.nowMs();
        for (const p of entry.periods) if (p.endMs === undefined) p.endMs = entry.clearedAtMs;
      });
      return;
    }
    const end = entry.spec.end;
    if (end !== null && 'forRequests' in end) this.addMark(this.done() + end.forRequests, entry, () => this.clear(entry));
    // Later steps (flap outages, the clear of a timed fault) are due in modelled time from now.
    const startedAt = entry.appliedAtMs;
    for (const [i, step] of rest.entries()) {
      // Decided now: an update in place replaces the plan, not the schedule.
      const isClear = i === rest.length - 1 && end !== null && 'durationMs' in end;
      entry.timers.push(
        setTimeout(
          () => {
            if (entry.state !== 'active') return;
            this.background(entry, () => (isClear ? this.clear(entry) : this.runStep(entry, step.actions)));
          },
          Math.max(0, this.realDelay(startedAt + step.offsetMs)),
        ),
      );
    }
  }

  private async clear(entry: FaultEntry): Promise<void> {
    if (entry.state === 'cleared') return;
    entry.timers.forEach(clearTimeout);
    entry.timers = [];
    this.marks = this.marks.filter((m) => m.entry !== entry);
    const wasActive = entry.state === 'active';
    entry.state = 'cleared';
    entry.clearedAtMs = this.cluster.nowMs();
    if (wasActive) await this.runStep(entry, entry.plan.clear, true);
    for (const p of entry.periods) if (p.endMs === undefined) p.endMs = this.cluster.nowMs();
    this.updateLimit();
  }

  private async runStep(entry: FaultEntry, actions: FaultAction[], clearing = false): Promise<void> {
    const flap = entry.spec.kind === 'flap';
    for (const action of actions) {
      await this.devices.apply(entry.spec.id, action);
      if (flap && action.op === 'add-stage' && action.link !== null && !clearing) entry.periods.push({ startMs: this.cluster.nowMs(), target: action.link });
      if (flap && action.op === 'remove-stage' && action.link !== null) {
        const open = entry.periods.find((p) => p.target === action.link && p.endMs === undefined);
        if (open) open.endMs = this.cluster.nowMs();
      }
    }
    await this.settle(actions);
  }

  /** Waits until the aggregator sees crashed devices gone and restored ones back. */
  private async settle(actions: FaultAction[]): Promise<void> {
    if (this.cluster.workloadStartMs === undefined) return;
    for (const action of actions) {
      if (action.op === 'crash' && this.devices.isCrashed(action.device)) {
        await this.cluster.waitFor(() => !this.cluster.authenticated.has(action.device), this.settleTimeoutMs, `${action.device} leaving the cluster`);
      } else if (action.op === 'restore' && !this.devices.isCrashed(action.device) && !this.devices.isPaused(action.device)) {
        await this.cluster.waitFor(() => this.cluster.authenticated.has(action.device), this.settleTimeoutMs, `${action.device} coming back`);
      }
    }
  }

  // ---- request-count marks ------------------------------------------------------------------

  private addMark(count: number, entry: FaultEntry, run: () => Promise<void>): void {
    this.marks.push({ count, entry, run });
    this.marks.sort((a, b) => a.count - b.count);
    this.updateLimit();
  }

  private onProgress(): void {
    const progress = this.cluster.progress;
    if (progress) this.checkMarks(progress.done, progress.issued);
  }

  /** Runs the marks reached once nothing is in flight (the aggregator holds at the first one). */
  private checkMarks(done: number, issued: number): void {
    if (this.marks.length === 0 || this.cluster.workloadStartMs === undefined || done !== issued) return;
    const due = this.marks.filter((m) => m.count <= done);
    if (due.length === 0) return;
    this.marks = this.marks.filter((m) => !due.includes(m));
    void (async () => {
      for (const mark of due) {
        await mark.run().catch((err: Error) => {
          mark.entry.error = err.message;
          this.options.onError?.(err, this.view(mark.entry));
        });
      }
      this.updateLimit();
    })();
  }

  private updateLimit(): void {
    if (this.closed) return;
    const nextMark = this.marks.length > 0 ? this.marks[0].count : Number.MAX_SAFE_INTEGER;
    const limit = Math.min(this.userLimit, nextMark);
    if (limit === this.lastAllowed) return;
    this.lastAllowed = limit;
    this.cluster.allowRequests(limit);
  }

  // ---- helpers ------------------------------------------------------------------------------

  private background(entry: FaultEntry, work: () => Promise<void>): void {
    work().catch((err: Error) => {
      entry.error = err.message;
      this.options.onError?.(err, this.view(entry));
    });
  }

  private done(): number {
    return this.cluster.progress?.done ?? 0;
  }

  private total(): number {
    return this.cluster.progress?.total ?? Number.MAX_SAFE_INTEGER;
  }

  private realDelay(atModelledMs: number): number {
    return (atModelledMs - this.cluster.nowMs()) / this.cluster.topology.timeScale;
  }

  private targetsOf(entry: FaultEntry): string[] {
    return entry.spec.kind === 'noise' ? ['medium'] : entry.spec.targets;
  }

  private freeId(input: unknown): string {
    const kind = input && typeof input === 'object' && typeof (input as { kind?: unknown }).kind === 'string' ? (input as { kind: string }).kind : 'fault';
    let n = this.entries.size;
    while (this.entries.has(`${kind}-${n}`)) n += 1;
    return `${kind}-${n}`;
  }

  private view(entry: FaultEntry): FaultView {
    const view: FaultView = { id: entry.spec.id, kind: entry.spec.kind, targets: [...entry.spec.targets], state: entry.state, spec: entry.spec };
    if (entry.appliedAtMs !== undefined) view.appliedAtMs = entry.appliedAtMs;
    if (entry.clearedAtMs !== undefined) view.clearedAtMs = entry.clearedAtMs;
    if (entry.error !== undefined) view.error = entry.error;
    return view;
  }
}

/**
 * The issue limit the aggregator should start with: 0 for a gated workload, else the first
 * request count a fault waits for; undefined when nothing holds the workload.
 */
export function initialIssueLimit(faults: readonly FaultSpec[], gated: boolean): number | undefined {
  const counts = faults.flatMap((f) => ('afterRequests' in f.start ? [f.start.afterRequests] : []));
  const limit = Math.min(gated ? 0 : Number.MAX_SAFE_INTEGER, ...counts);
  return limit >= Number.MAX_SAFE_INTEGER ? undefined : limit;
}
