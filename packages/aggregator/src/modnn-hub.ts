import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ModelClock } from '@wearnet/link';
import { silentLogger, type Logger } from '@wearnet/logger';
import { HUB, HubRunner, readModnnBundleSet, type BandPayload, type ModnnPlan } from '@wearnet/modnn';
import { PROTOCOL_VERSION, decodeMessage, resolveLimits, resolveSecret, type HubMessage, type Limits, type Message } from '@wearnet/protocol';
import { loadDatasetSlice, type DatasetSlice } from '@wearnet/workload';
import { HubLink } from './hub-link';
import { MODNN_HUB, ModnnLedger, type ModnnTransfer } from './modnn-ledger';
import type { ModnnHubOptions, ModnnRecord, ModnnRunSummary } from './modnn-types';
import { RecordWriter } from './record-writer';
import { summariseModnn } from './modnn-summary';

/** A running MoDNN hub. */
export interface ModnnHubHandle {
  /** Resolves when the workload starts, with the number of devices welcomed. */
  started: Promise<number>;
  /** Resolves with the summary once every request has a record. */
  done: Promise<ModnnRunSummary>;
  /** The gathered logits of each completed request, by request id. */
  logits: Map<number, Float32Array>;
  /** Starts the workload now with the devices welcomed so far (it starts by itself once all are, or after `startTimeoutMs`). */
  begin(): void;
  /** Says bye to the devices and closes the hub connection. */
  close(): Promise<void>;
}

interface Current {
  id: number;
  sample: number;
  startMs: number;
  timer: NodeJS.Timeout | null;
}

/**
 * Starts the aggregator of a MoDNN run: the hub end of the layer-wise schedule ({@link HubRunner}).
 * It welcomes the devices, issues the requests one at a time (closed loop), sends each device its
 * `infer`, sums the partial pools, sends the pooled vector to the owners of dense-layer neurons and
 * gathers their logits. A request that has not gathered every slice by its modelled deadline
 * stalled (a missing device blocks its band and, within a few layers, every band): its record
 * says `stalled`, which messages the hub still waited for and which devices were not connected.
 * Writes `requests.jsonl` and `summary.json` (bytes per device, direction and layer, latency
 * against the analytic bound of the layer-wise schedule, energy per device) to `outDir`.
 */
export async function startModnnHub(options: ModnnHubOptions): Promise<ModnnHubHandle> {
  const set = await readModnnBundleSet(options.setDir);
  const slice = await loadDatasetSlice(options.dataset);
  const hub = new ModnnHub(options, set.plan, slice);
  await hub.connect();
  return hub.handle();
}

class ModnnHub {
  private readonly logger: Logger;
  private readonly clock: ModelClock;
  private readonly limits: Limits;
  private readonly link: HubLink;
  private readonly runner: HubRunner;
  private readonly ledger: ModnnLedger;
  private readonly writer: RecordWriter<ModnnRecord>;
  private readonly records: ModnnRecord[] = [];
  private readonly logits = new Map<number, Float32Array>();
  private readonly index = new Map<string, number>();
  private readonly welcomed = new Set<string>();
  private readonly connected = new Set<string>();
  /** Downlink sequence number -> the request and plan message it carried (`-1`: the infer). */
  private readonly downlinks = new Map<number, { requestId: number; messageId: number }>();
  private readonly total: number;
  private readonly deadlineMs: number;
  private current: Current | null = null;
  private nextStartMs = 0;
  private running = false;
  private finished = false;
  private startTimer: NodeJS.Timeout | null = null;
  private resolveStarted!: (n: number) => void;
  private resolveDone!: (s: ModnnRunSummary) => void;
  private readonly started = new Promise<number>((resolve) => (this.resolveStarted = resolve));
  private readonly done = new Promise<ModnnRunSummary>((resolve) => (this.resolveDone = resolve));

  constructor(
    private readonly options: ModnnHubOptions,
    private readonly plan: ModnnPlan,
    private readonly slice: DatasetSlice,
  ) {
    if (options.devices.length !== plan.devices) throw new RangeError(`devices lists ${options.devices.length} devices, the MoDNN plan has ${plan.devices}`);
    this.logger = (options.logger ?? silentLogger).child({ role: 'aggregator', mode: 'modnn' });
    this.clock = new ModelClock({ epochMs: options.epochMs, timeScale: options.timeScale ?? 1 });
    this.limits = resolveLimits(options.limits);
    this.total = options.requests ?? slice.count;
    this.deadlineMs = options.deadlineMs ?? 5000;
    if (!(this.deadlineMs > 0)) throw new RangeError(`deadlineMs must be positive, got ${this.deadlineMs}`);
    if (!(Number.isSafeInteger(this.total) && this.total >= 1)) throw new RangeError(`requests must be a positive integer, got ${this.total}`);
    for (const d of options.devices) this.index.set(d.deviceId, d.deviceIndex);
    this.runner = new HubRunner(plan);
    this.ledger = new ModnnLedger(options.link, Object.fromEntries(options.devices.map((d) => [d.deviceId, d.deviceClass])));
    mkdirSync(options.outDir, { recursive: true });
    this.writer = new RecordWriter<ModnnRecord>(path.join(options.outDir, 'requests.jsonl'));
    this.link = new HubLink({
      mediumUrl: options.mediumUrl.replace(/\/$/, ''),
      secret: resolveSecret(options.secret),
      limits: this.limits,
      logger: this.logger,
      onMessage: (m) => this.fromMedium(m),
      onLost: () => this.finish(),
    });
  }

  async connect(): Promise<void> {
    await this.link.connect();
    this.startTimer = setTimeout(() => this.begin(), this.options.startTimeoutMs ?? 60000);
  }

  handle(): ModnnHubHandle {
    return { started: this.started, done: this.done, logits: this.logits, begin: () => this.begin(), close: () => this.close() };
  }

  private begin(): void {
    if (this.running || this.finished) return;
    if (this.startTimer) clearTimeout(this.startTimer);
    this.running = true;
    this.logger.info({ devices: this.welcomed.size, requests: this.total, deadlineMs: this.deadlineMs }, 'MoDNN workload started');
    this.resolveStarted(this.welcomed.size);
    this.nextStartMs = this.clock.nowMs();
    this.issue(0);
  }

  private issue(id: number): void {
    if (!this.running || this.finished) return;
    const startMs = Math.max(this.clock.nowMs(), this.nextStartMs);
    const current: Current = { id, sample: id % this.slice.count, startMs, timer: null };
    this.current = current;
    this.runner.begin(1);
    current.timer = setTimeout(() => this.expire(current), this.clock.realDelayUntilMs(startMs + this.deadlineMs) + (this.options.graceMs ?? 250));
    this.send(this.runner.run(), startMs);
  }

  /** Sends what the hub program produced, ready at modelled `atMs` (the hub's own work takes no modelled time). */
  private send(out: BandPayload[], atMs: number): void {
    const current = this.current as Current;
    for (const p of out) {
      const m = this.plan.messages[p.id];
      const deviceId = this.options.devices[m.to].deviceId;
      const message: Message =
        m.kind === 'request'
          ? { v: PROTOCOL_VERSION, type: 'infer', requestId: current.id, sample: current.sample }
          : {
              v: PROTOCOL_VERSION,
              type: 'band',
              requestId: current.id,
              messageId: p.id,
              data: new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength),
            };
      this.link.send(message, { deviceId, readyAtMs: atMs });
      this.downlinks.set(this.link.lastSeq, { requestId: current.id, messageId: m.kind === 'request' ? -1 : p.id });
    }
    if (this.runner.finished && this.current === current) this.complete(atMs);
  }

  private fromMedium(message: HubMessage): void {
    if (message.type === 'link-open') this.connected.add(message.deviceId);
    else if (message.type === 'link-close') this.connected.delete(message.deviceId);
    else if (message.type === 'downlink-report') {
      const tag = this.downlinks.get(message.seq);
      this.downlinks.delete(message.seq);
      if (tag) this.account({ ...tag, from: MODNN_HUB, to: message.deviceId, delivered: message.delivered, stats: message.stats });
    } else if (message.type === 'uplink' || message.type === 'uplink-dropped' || message.type === 'peer-report') {
      const decoded = this.decode(message.payload);
      const to = message.type === 'peer-report' ? message.to : MODNN_HUB;
      const delivered = message.type === 'uplink' || (message.type === 'peer-report' && message.delivered);
      if (decoded?.type === 'band')
        this.account({ requestId: decoded.requestId, messageId: decoded.messageId, from: message.deviceId, to, delivered, stats: message.stats });
      if (message.type === 'uplink' && decoded) this.fromDevice(message.deviceId, decoded, message.atMs);
    }
  }

  private decode(payload: Uint8Array): Message | undefined {
    try {
      return decodeMessage(payload, { limits: this.limits });
    } catch (err) {
      this.logger.warn({ code: (err as { code?: string }).code }, 'bad device message');
      return undefined;
    }
  }

  private account(t: { requestId: number; messageId: number } & Omit<ModnnTransfer, 'requestId' | 'kind' | 'layer'>): void {
    const m = t.messageId >= 0 ? this.plan.messages[t.messageId] : undefined;
    if (t.messageId >= 0 && !m) return;
    this.ledger.add({ ...t, kind: m?.kind ?? 'request', layer: m?.tensor ?? 'request' });
  }

  private fromDevice(deviceId: string, message: Message, atMs: number): void {
    const index = this.index.get(deviceId);
    if (index === undefined) return;
    if (message.type === 'hello') {
      if (message.deviceIndex !== index) {
        const text = `device ${deviceId} is index ${index} of the MoDNN plan, its hello says ${message.deviceIndex}`;
        this.link.send({ v: PROTOCOL_VERSION, type: 'error', code: 'E_AUTH_FAILED', message: text }, { deviceId, readyAtMs: atMs });
        return;
      }
      this.welcomed.add(deviceId);
      this.link.send({ v: PROTOCOL_VERSION, type: 'welcome', deviceId, heartbeatMs: 3.6e6, encoding: 'float32' }, { deviceId, readyAtMs: atMs });
      if (this.welcomed.size === this.plan.devices) setImmediate(() => this.begin());
      return;
    }
    const current = this.current;
    if (message.type !== 'band' || !current || message.requestId !== current.id) return;
    const m = this.plan.messages[message.messageId];
    if (!m || m.from !== index || m.to !== HUB) return;
    const data = new Float32Array(message.data.length / 4);
    new Uint8Array(data.buffer).set(message.data);
    this.runner.deliver({ id: m.id, data });
    this.send(this.runner.run(), atMs);
  }

  private complete(atMs: number): void {
    const current = this.current as Current;
    if (current.timer) clearTimeout(current.timer);
    const logits = this.runner.logits as Float32Array;
    this.logits.set(current.id, logits);
    let predicted = 0;
    for (let j = 1; j < logits.length; j += 1) if (logits[j] > logits[predicted]) predicted = j;
    const label = this.slice.labels[current.sample];
    const latencyMs = atMs - current.startMs;
    const status = latencyMs <= this.deadlineMs ? 'ok' : 'late';
    this.ledger.complete(current.id);
    this.record({
      id: current.id,
      sample: current.sample,
      label,
      status,
      predicted,
      correct: status === 'ok' && predicted === label,
      startMs: current.startMs,
      latencyMs,
    });
    this.nextStartMs = atMs;
  }

  private expire(current: Current): void {
    if (this.current !== current) return;
    const waitingFor = this.runner.waitingFor.map((id) => {
      const m = this.plan.messages[id];
      return { messageId: id, kind: m.kind, layer: m.tensor, from: this.options.devices[m.from].deviceId };
    });
    const missingDevices = this.options.devices.map((d) => d.deviceId).filter((id) => !this.connected.has(id) || !this.welcomed.has(id));
    this.logger.warn({ requestId: current.id, waitingFor: waitingFor.length, missingDevices }, 'MoDNN request stalled until its deadline');
    const base = { id: current.id, sample: current.sample, label: this.slice.labels[current.sample], startMs: current.startMs };
    this.record({ ...base, status: 'stalled', predicted: null, correct: false, latencyMs: null, waitingFor, missingDevices });
    this.nextStartMs = current.startMs + this.deadlineMs;
  }

  private record(record: ModnnRecord): void {
    if (this.finished) return;
    this.current = null;
    this.records.push(record);
    this.writer.write(record);
    if (this.records.length >= this.total) this.finish();
    else setImmediate(() => this.issue(record.id + 1));
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.startTimer) clearTimeout(this.startTimer);
    if (this.current?.timer) clearTimeout(this.current.timer);
    this.running = false;
    this.writer.close();
    const deviceClasses = this.options.devices.map((d) => d.deviceClass);
    const deviceIds = this.options.devices.map((d) => d.deviceId);
    const summary = summariseModnn({ plan: this.plan, records: this.records, ledger: this.ledger, link: this.options.link, deviceClasses, deviceIds });
    writeFileSync(path.join(this.options.outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    this.logger.info({ completed: summary.requests.completed, stalled: summary.requests.stalled, p50: summary.latencyMs.p50 }, 'MoDNN workload finished');
    this.resolveDone(summary);
  }

  private async close(): Promise<void> {
    this.finish();
    for (const deviceId of this.welcomed)
      this.link.send({ v: PROTOCOL_VERSION, type: 'bye', reason: 'run finished' }, { deviceId, readyAtMs: this.clock.nowMs() });
    await this.link.close();
  }
}
