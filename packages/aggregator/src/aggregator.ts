import { timingSafeEqual } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { classify, fuseVectors, readAggregatorBundle, type AggregatorBundle } from '@wearnet/bundle';
import { computeEnergyNj, computeTimeMs } from '@wearnet/hardware';
import { ModelClock, hostNowMs, radioEnergyNj, roundBound } from '@wearnet/link';
import {
  decodeHubMessage,
  decodeMessage,
  encodeMessage,
  unpackVector,
  type HelloMessage,
  type HubMessage,
  type Message,
  type ResultMessage,
  type TransferStats,
} from '@wearnet/protocol';
import { loadDatasetSlice, openLoopStarts, sampleOrder, type DatasetSlice } from '@wearnet/workload';
import { WebSocket, type RawData } from 'ws';
import { AggregatorError } from './errors';
import type { Logger } from './logger';
import { createAggregatorMetrics, type AggregatorMetrics } from './metrics';
import { resolveAggregatorOptions, type AggregatorOptions, type ExpectedDevice, type Progress, type ResolvedAggregatorOptions } from './options';
import { RecordWriter } from './record-writer';
import type { DeviceOutcome, MissingReason, RequestRecord } from './request-record';
import { distribution } from './stats';
import { summarise, type RunSummary } from './summary';

/** A running aggregator. */
export interface AggregatorHandle {
  /** Port of the metrics HTTP server (`GET /metrics`, `GET /status`). */
  metricsPort: number;
  /** Resolves with the number of authenticated devices when the workload starts. */
  started: Promise<number>;
  /** Resolves with the summary when every request is finalised (or after `stop`); rejects on a fatal error. */
  done: Promise<RunSummary>;
  /**
   * Sets how many requests the aggregator may issue in all: `upTo`, but never below what it has
   * issued nor beyond the workload; it starts issuing at once if it was waiting.
   */
  allowRequests(upTo: number): void;
  /** Stops issuing, finalises what is in flight as it stands, writes the summary. */
  stop(reason: string): Promise<RunSummary>;
  /** Says bye to devices, closes the hub connection and the metrics server. */
  close(): Promise<void>;
}

/**
 * Starts the aggregator (hub): connects to the medium, authenticates devices, drives the workload,
 * fuses what arrives by each deadline as the bundle says, classifies, and writes one JSON line
 * per request to `<outDir>/requests.jsonl` and the summary to `<outDir>/summary.json`.
 */
export async function startAggregator(options: AggregatorOptions): Promise<AggregatorHandle> {
  const config = resolveAggregatorOptions(options);
  const bundle = await readAggregatorBundle(config.bundleDir);
  for (const [i, d] of config.devices.entries()) {
    if (d.deviceIndex >= bundle.manifest.devices) {
      throw new AggregatorError('E_BUNDLE_MISMATCH', `devices[${i}].deviceIndex ${d.deviceIndex} is outside the bundle set of ${bundle.manifest.devices} devices`);
    }
  }
  const slice = await loadDatasetSlice(config.workload.dataset);
  const aggregator = new Aggregator(config, bundle, slice);
  await aggregator.listen();
  await aggregator.connectHub();
  return aggregator.handle();
}

interface Session {
  device: ExpectedDevice;
  linkOpen: boolean;
  authenticated: boolean;
  macs: number;
}

interface DeviceSlot {
  status: 'waiting' | 'arrived' | 'failed';
  vector?: Float32Array;
  atMs?: number;
  computeMs?: number;
  missing?: MissingReason;
}

interface Pending {
  id: number;
  sample: number;
  startMs: number;
  hostStartMs: number;
  slots: Map<string, DeviceSlot>;
  notConnected: string[];
  bytesDown: number;
  bytesUp: number;
  retries: number;
  lostFrames: number;
  downBytesByDevice: Map<string, number>;
  timer: NodeJS.Timeout | null;
}

class Aggregator {
  private readonly logger: Logger;
  private readonly clock: ModelClock;
  private readonly metrics: AggregatorMetrics = createAggregatorMetrics();
  private readonly sessions = new Map<string, Session>();
  private readonly pending = new Map<number, Pending>();
  private readonly downlinkTags = new Map<number, { requestId: number; deviceId: string }>();
  private readonly records: RequestRecord[] = [];
  private readonly bounds: number[] = [];
  private readonly issueLags: number[] = [];
  private readonly energyNj: Record<string, { radioTx: number; radioRx: number; compute: number }> = {};
  private readonly hubEnergyNj = { radioTx: 0, radioRx: 0 };
  private readonly writer: RecordWriter;
  private readonly samples: Uint32Array;
  private readonly opens: Float64Array | undefined;
  private readonly total: number;
  private readonly startById: Float64Array;
  private hostLateResults = 0;
  private readonly http: Server;
  private hub: WebSocket | null = null;
  private seq = 0;
  private issued = 0;
  private allowed: number;
  /** Open-loop arrivals that came while the issue limit was reached; issued when allowed. */
  private held = 0;
  private running = false;
  private finished = false;
  private wallStart = 0;
  private startTimer: NodeJS.Timeout | null = null;
  private openTimers = new Set<NodeJS.Timeout>();
  private resolveStarted!: (devices: number) => void;
  private resolveDone!: (summary: RunSummary) => void;
  private rejectDone!: (err: Error) => void;
  private readonly startedPromise = new Promise<number>((resolve) => (this.resolveStarted = resolve));
  private readonly donePromise = new Promise<RunSummary>((resolve, reject) => {
    this.resolveDone = resolve;
    this.rejectDone = reject;
  });

  constructor(
    private readonly config: ResolvedAggregatorOptions,
    private readonly bundle: AggregatorBundle,
    private readonly slice: DatasetSlice,
  ) {
    this.logger = config.logger.child({ role: 'aggregator' });
    this.clock = new ModelClock({ epochMs: config.epochMs, timeScale: config.timeScale });
    for (const device of config.devices) {
      this.sessions.set(device.deviceId, { device, linkOpen: false, authenticated: false, macs: 0 });
      this.energyNj[device.deviceId] = { radioTx: 0, radioRx: 0, compute: 0 };
    }
    this.total = config.workload.requests > 0 ? config.workload.requests : slice.count;
    this.allowed = Math.min(this.total, config.issueLimit ?? this.total);
    this.startById = new Float64Array(this.total).fill(NaN);
    this.samples = sampleOrder({ requests: this.total, sliceCount: slice.count, order: config.workload.order, seed: config.seed });
    this.opens = openLoopStarts(config.workload.arrival, this.total, config.seed);
    this.writer = new RecordWriter(path.join(config.outDir, 'requests.jsonl'));
    this.http = createServer((req, res) => {
      const route = (req.url ?? '').split('?')[0];
      if (req.method === 'GET' && route === '/metrics') {
        void this.metrics.registry.metrics().then((text) => {
          res.setHeader('content-type', this.metrics.registry.contentType);
          res.end(text);
        });
        return;
      }
      if (req.method === 'GET' && route === '/status') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(this.status()));
        return;
      }
      res.statusCode = 404;
      res.end();
    });
    this.donePromise.catch(() => undefined);
  }

  handle(): AggregatorHandle {
    return {
      metricsPort: (this.http.address() as AddressInfo).port,
      started: this.startedPromise,
      done: this.donePromise,
      allowRequests: (upTo) => this.allowRequests(upTo),
      stop: (reason) => this.stop(reason),
      close: () => this.close(),
    };
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.config.metricsPort, this.config.host, () => resolve());
    });
  }

  connectHub(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${this.config.mediumUrl}/hub`, {
        headers: { authorization: `Bearer ${this.config.token}` },
        maxPayload: this.config.limits.maxMessageBytes + 8192,
      });
      ws.once('open', () => {
        this.hub = ws;
        this.logger.info({ url: this.config.mediumUrl }, 'hub connected to the medium');
        this.startTimer = setTimeout(() => this.begin(), this.config.startTimeoutMs);
        resolve();
      });
      ws.once('unexpected-response', (_req, res) => reject(new AggregatorError('E_HUB_CONNECT_FAILED', `medium refused the hub: HTTP ${res.statusCode}`)));
      ws.once('error', (err) => {
        if (this.hub !== ws) reject(new AggregatorError('E_HUB_CONNECT_FAILED', `cannot reach the medium at ${this.config.mediumUrl}`, { cause: err }));
      });
      ws.on('message', (data: RawData) => this.fromHub(data));
      ws.on('close', () => {
        if (this.hub !== ws) return;
        this.hub = null;
        if (!this.finished) {
          this.logger.error({ code: 'E_HUB_LOST' }, 'medium closed the hub connection');
          this.fail(new AggregatorError('E_HUB_LOST', 'the medium closed the hub connection during the run'));
        }
      });
    });
  }

  // ---- hub traffic -------------------------------------------------------------------------

  private fromHub(data: RawData): void {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    let message: HubMessage;
    try {
      message = decodeHubMessage(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { limits: this.config.limits });
    } catch (err) {
      this.logger.warn({ code: (err as { code?: string }).code, err: (err as Error).message }, 'bad hub message');
      return;
    }
    const session = this.sessions.get(message.deviceId);
    switch (message.type) {
      case 'link-open':
        if (session) session.linkOpen = true;
        return;
      case 'link-close':
        if (session) {
          session.linkOpen = false;
          this.setAuthenticated(session, false);
        }
        return;
      case 'uplink':
        this.fromDevice(message.deviceId, message.payload, message.atMs, message.stats);
        return;
      case 'uplink-dropped':
        this.uplinkDropped(message.deviceId, message.stats, message.requestId);
        return;
      case 'downlink-report':
        this.downlinkReport(message.deviceId, message.seq, message.delivered, message.atMs, message.stats);
        return;
      case 'downlink':
        this.logger.warn({}, 'unexpected downlink from the medium');
    }
  }

  private fromDevice(deviceId: string, payload: Uint8Array, atMs: number, stats: TransferStats): void {
    let message: Message;
    try {
      message = decodeMessage(payload, { limits: this.config.limits });
    } catch (err) {
      this.logger.warn({ deviceId, code: (err as { code?: string }).code }, 'bad message from a device');
      this.send(deviceId, { v: 1, type: 'error', code: 'E_BAD_MESSAGE', message: (err as Error).message }, atMs);
      return;
    }
    const session = this.sessions.get(deviceId);
    if (message.type === 'hello') {
      this.hello(deviceId, session, message, atMs);
      return;
    }
    if (!session || !session.authenticated) {
      this.send(deviceId, { v: 1, type: 'error', code: 'E_NOT_AUTHENTICATED', message: 'send hello first' }, atMs);
      return;
    }
    switch (message.type) {
      case 'result':
        this.result(session, message, atMs, stats);
        return;
      case 'heartbeat':
        if (!message.reply) this.send(deviceId, { v: 1, type: 'heartbeat', seq: message.seq, reply: true }, atMs);
        return;
      case 'error':
        this.logger.warn({ deviceId, code: message.code, requestId: message.requestId }, 'device reported an error');
        if (message.requestId !== undefined) this.settleFailed(message.requestId, deviceId, 'error', atMs);
        return;
      case 'bye':
        this.setAuthenticated(session, false);
        return;
      default:
        this.logger.warn({ deviceId, type: message.type }, 'unexpected message from a device');
    }
  }

  private hello(deviceId: string, session: Session | undefined, hello: HelloMessage, atMs: number): void {
    const refuse = (why: string): void => {
      this.logger.warn({ deviceId, code: 'E_AUTH_FAILED', why }, 'hello refused');
      this.send(deviceId, { v: 1, type: 'error', code: 'E_AUTH_FAILED', message: why }, atMs);
    };
    if (!tokenMatches(hello.token, this.config.token)) return refuse('wrong token');
    if (!session || hello.deviceId !== deviceId) return refuse(`unknown device "${hello.deviceId}"`);
    const m = this.bundle.manifest;
    if (hello.deviceIndex !== session.device.deviceIndex) return refuse(`device index ${hello.deviceIndex}, expected ${session.device.deviceIndex}`);
    if (hello.bundle.part !== m.devicePart[hello.deviceIndex] || hello.bundle.outputLength !== m.partWidths[hello.bundle.part]) {
      return refuse(`bundle part ${hello.bundle.part} / length ${hello.bundle.outputLength} does not fit the aggregator bundle`);
    }
    session.macs = hello.bundle.macs;
    session.linkOpen = true;
    this.setAuthenticated(session, true);
    this.send(deviceId, { v: 1, type: 'welcome', deviceId, heartbeatMs: this.config.heartbeatMs, encoding: this.config.workload.encoding }, atMs);
    this.logger.info({ deviceId, deviceClass: hello.deviceClass, macs: hello.bundle.macs }, 'device authenticated');
    if (!this.running && [...this.sessions.values()].every((s) => s.authenticated)) this.begin();
  }

  private setAuthenticated(session: Session, value: boolean): void {
    const changed = session.authenticated !== value;
    session.authenticated = value;
    const authenticated = [...this.sessions.values()].filter((s) => s.authenticated).map((s) => s.device.deviceId);
    this.metrics.devicesConnected.set(authenticated.length);
    if (changed) this.config.onDevices?.(authenticated);
  }

  private result(session: Session, message: ResultMessage, atMs: number, stats: TransferStats): void {
    const deviceId = session.device.deviceId;
    this.addEnergy(deviceId, 'uplink', stats);
    this.energyNj[deviceId].compute += computeEnergyNj(session.device.deviceClass, session.macs);
    const pending = this.pending.get(message.requestId);
    this.metrics.payloadBytes.inc({ direction: 'up' }, stats.payloadBytes);
    this.metrics.retries.inc(stats.retries);
    this.metrics.lostFrames.inc(stats.lostFrames);
    if (!pending) {
      const startMs = this.startById[message.requestId];
      if (atMs <= startMs + this.config.workload.deadlineMs) {
        // In time on the modelled clock, but the host delivered it after the real-time grace.
        this.hostLateResults += 1;
        this.logger.warn({ deviceId, requestId: message.requestId }, 'result in time in the model arrived after the host grace: the host is not keeping up');
      }
      return;
    }
    pending.bytesUp += stats.payloadBytes;
    pending.retries += stats.retries;
    pending.lostFrames += stats.lostFrames;
    const slot = pending.slots.get(deviceId);
    if (!slot || slot.status !== 'waiting') return;
    if (atMs > pending.startMs + this.config.workload.deadlineMs) {
      slot.status = 'failed';
      slot.missing = 'late';
      slot.atMs = atMs;
      return;
    }
    const expected = this.bundle.manifest.partWidths[this.bundle.manifest.devicePart[session.device.deviceIndex]];
    if (message.vector.length !== expected) {
      this.logger.warn({ deviceId, length: message.vector.length, expected }, 'result vector of the wrong length');
      this.settleFailed(message.requestId, deviceId, 'error', atMs);
      return;
    }
    slot.status = 'arrived';
    slot.vector = unpackVector(message.vector);
    slot.atMs = atMs;
    slot.computeMs = message.computeMs;
    this.maybeFinalise(pending);
  }

  private uplinkDropped(deviceId: string, stats: TransferStats, requestId: number | undefined): void {
    this.addEnergy(deviceId, 'uplink', stats);
    // A result lost on the way was still computed.
    const session = this.sessions.get(deviceId);
    if (requestId !== undefined && session) this.energyNj[deviceId].compute += computeEnergyNj(session.device.deviceClass, session.macs);
    this.metrics.retries.inc(stats.retries);
    this.metrics.lostFrames.inc(stats.lostFrames);
    const pending = requestId === undefined ? undefined : this.pending.get(requestId);
    if (!pending) return;
    pending.bytesUp += stats.payloadBytes;
    pending.retries += stats.retries;
    pending.lostFrames += stats.lostFrames;
    const slot = pending.slots.get(deviceId);
    // Instrumentation only: a real hub cannot tell which request a lost frame carried, so this
    // labels the record but never finalises the request early.
    if (slot && slot.status === 'waiting') slot.missing = 'uplink-lost';
  }

  private downlinkReport(deviceId: string, seq: number, delivered: boolean, atMs: number, stats: TransferStats): void {
    this.addEnergy(deviceId, 'downlink', stats);
    const tag = this.downlinkTags.get(seq);
    this.downlinkTags.delete(seq);
    if (!tag) return;
    this.metrics.retries.inc(stats.retries);
    this.metrics.lostFrames.inc(stats.lostFrames);
    const pending = this.pending.get(tag.requestId);
    if (!pending) return;
    pending.retries += stats.retries;
    pending.lostFrames += stats.lostFrames;
    if (!delivered) this.settleFailed(tag.requestId, deviceId, 'downlink-lost', atMs);
  }

  private addEnergy(deviceId: string, direction: 'uplink' | 'downlink', stats: TransferStats): void {
    const energy = this.energyNj[deviceId];
    if (!energy) return;
    // The device transmits data and receives ACKs on the uplink, and the reverse on the downlink; the hub the opposite.
    const data = stats.dataBits;
    const acks = stats.ackBits;
    const deviceTx = direction === 'uplink' ? data : acks;
    const deviceRx = direction === 'uplink' ? acks : data;
    energy.radioTx += radioEnergyNj(this.config.link, { txBits: deviceTx, rxBits: 0 });
    energy.radioRx += radioEnergyNj(this.config.link, { txBits: 0, rxBits: deviceRx });
    this.hubEnergyNj.radioTx += radioEnergyNj(this.config.link, { txBits: deviceRx, rxBits: 0 });
    this.hubEnergyNj.radioRx += radioEnergyNj(this.config.link, { txBits: 0, rxBits: deviceTx });
  }

  private send(deviceId: string, message: Message, readyAtMs: number, requestId?: number): number {
    const payload = encodeMessage(message, { limits: this.config.limits });
    const hub = this.hub;
    this.seq += 1;
    if (requestId !== undefined) this.downlinkTags.set(this.seq, { requestId, deviceId });
    if (hub && hub.readyState === WebSocket.OPEN) {
      hub.send(encodeMessage({ v: 1, type: 'downlink', deviceId, seq: this.seq, readyAtMs, payload }, { limits: { ...this.config.limits, maxMessageBytes: this.config.limits.maxMessageBytes + 4096 } }));
    }
    return payload.length;
  }

  // ---- workload ----------------------------------------------------------------------------

  private begin(): void {
    if (this.running || this.finished) return;
    if (this.startTimer) clearTimeout(this.startTimer);
    const ready = [...this.sessions.values()].filter((s) => s.authenticated).length;
    if (ready === 0) {
      this.fail(new AggregatorError('E_NO_DEVICES', `no device authenticated within ${this.config.startTimeoutMs} ms`));
      return;
    }
    this.running = true;
    this.wallStart = hostNowMs();
    this.logger.info({ devices: ready, requests: this.total, arrival: this.config.workload.arrival }, 'workload started');
    this.resolveStarted(ready);
    const t0 = this.clock.nowMs();
    const arrival = this.config.workload.arrival;
    if (this.opens) {
      for (let i = 0; i < this.total; i += 1) {
        const startMs = t0 + this.opens[i];
        const timer = setTimeout(() => {
          this.openTimers.delete(timer);
          this.issue(startMs);
        }, this.clock.realDelayUntilMs(startMs));
        this.openTimers.add(timer);
      }
    } else if (arrival.mode === 'closed') {
      for (let i = 0; i < Math.min(arrival.concurrency, this.total); i += 1) this.issue(t0);
    }
  }

  private allowRequests(upTo: number): void {
    if (!Number.isSafeInteger(upTo) || upTo < 0) throw new RangeError(`upTo must be a non-negative integer, got ${String(upTo)}`);
    // Never below what is already issued, never beyond the workload.
    this.allowed = Math.min(this.total, Math.max(this.issued, upTo));
    if (!this.running) return;
    const arrival = this.config.workload.arrival;
    if (this.opens) {
      while (this.held > 0 && this.issued < this.allowed) {
        this.held -= 1;
        this.issue(this.clock.nowMs(), true);
      }
      return;
    }
    if (arrival.mode !== 'closed') return;
    const now = this.clock.nowMs();
    while (this.issued - this.records.length < arrival.concurrency && this.issued < this.allowed) this.issue(now);
  }

  /**
   * Starts request `issued` at modelled `startMs`. A closed loop starts no earlier than now: when
   * the host lags, the gap becomes idle time between requests instead of leaking into a request's
   * latency (traffic stamped "now", such as heartbeats, would otherwise queue ahead of it).
   */
  private issue(intendedMs: number, released = false): void {
    if (!this.running || this.issued >= this.total) return;
    if (this.issued >= this.allowed) {
      // Gated: a closed loop resumes when allowed more; an open-loop arrival waits for it.
      if (this.opens) this.held += 1;
      return;
    }
    const now = this.clock.nowMs();
    // An open-loop arrival held at the issue limit starts when it is released, not in the past.
    const startMs = this.opens && !released ? intendedMs : Math.max(intendedMs, now);
    this.issueLags.push(Math.max(0, now - intendedMs));
    const id = this.issued;
    this.issued += 1;
    const sample = this.samples[id];
    const pending: Pending = {
      id,
      sample,
      startMs,
      hostStartMs: hostNowMs(),
      slots: new Map(),
      notConnected: [],
      bytesDown: 0,
      bytesUp: 0,
      retries: 0,
      lostFrames: 0,
      downBytesByDevice: new Map(),
      timer: null,
    };
    this.pending.set(id, pending);
    this.startById[id] = startMs;
    const image = this.config.workload.inputMode === 'broadcast' ? this.slice.pixels.subarray(sample * 3072, (sample + 1) * 3072) : undefined;
    for (const session of this.sessions.values()) {
      const deviceId = session.device.deviceId;
      if (!session.authenticated) {
        pending.notConnected.push(deviceId);
        continue;
      }
      pending.slots.set(deviceId, { status: 'waiting' });
      const message: Message = image ? { v: 1, type: 'infer', requestId: id, sample, image } : { v: 1, type: 'infer', requestId: id, sample };
      const bytes = this.send(deviceId, message, startMs, id);
      pending.bytesDown += bytes;
      pending.downBytesByDevice.set(deviceId, bytes);
      this.metrics.payloadBytes.inc({ direction: 'down' }, bytes);
    }
    const deadlineAt = startMs + this.config.workload.deadlineMs;
    pending.timer = setTimeout(() => this.finalise(pending), this.clock.realDelayUntilMs(deadlineAt) + this.config.graceMs);
    this.maybeFinalise(pending);
  }

  private settleFailed(requestId: number, deviceId: string, reason: MissingReason, atMs: number): void {
    const pending = this.pending.get(requestId);
    const slot = pending?.slots.get(deviceId);
    if (!pending || !slot || slot.status !== 'waiting') return;
    slot.status = 'failed';
    slot.missing = reason;
    slot.atMs = atMs;
    this.maybeFinalise(pending);
  }

  private maybeFinalise(pending: Pending): void {
    for (const slot of pending.slots.values()) if (slot.status === 'waiting') return;
    this.finalise(pending);
  }

  private finalise(pending: Pending): void {
    if (!this.pending.has(pending.id)) return;
    this.pending.delete(pending.id);
    if (pending.timer) clearTimeout(pending.timer);
    const deadlineMs = this.config.workload.deadlineMs;
    const m = this.bundle.manifest;
    const vectors: (Float32Array | undefined)[] = new Array(m.devices).fill(undefined);
    const devices: Record<string, DeviceOutcome> = {};
    const arrived: string[] = [];
    let waiting = false;
    let lastMs = pending.startMs;
    for (const [deviceId, slot] of pending.slots) {
      const session = this.sessions.get(deviceId) as Session;
      if (slot.status === 'arrived') {
        vectors[session.device.deviceIndex] = slot.vector;
        arrived.push(deviceId);
        devices[deviceId] = { latencyMs: (slot.atMs as number) - pending.startMs, computeMs: slot.computeMs };
        lastMs = Math.max(lastMs, slot.atMs as number);
      } else {
        if (slot.status === 'waiting') waiting = true;
        else lastMs = Math.max(lastMs, Math.min(slot.atMs ?? lastMs, pending.startMs + deadlineMs));
        devices[deviceId] = { missing: slot.missing ?? 'no-reply' };
      }
    }
    for (const deviceId of pending.notConnected) devices[deviceId] = { missing: 'not-connected' };
    // Fused at the deadline: something was still awaited, or arrived stamped too late.
    const deadlineMissed = waiting || [...pending.slots.values()].some((slot) => slot.missing === 'late');
    const latencyMs = (deadlineMissed ? pending.startMs + deadlineMs : lastMs) - pending.startMs;
    const { prediction } = classify(this.bundle.head, fuseVectors(m, vectors));
    const label = this.slice.labels[pending.sample];
    const record: RequestRecord = {
      id: pending.id,
      sample: pending.sample,
      label,
      prediction,
      correct: prediction === label,
      startMs: pending.startMs,
      latencyMs,
      deadlineMissed,
      arrived,
      devices,
      bytesDown: pending.bytesDown,
      bytesUp: pending.bytesUp,
      retries: pending.retries,
      lostFrames: pending.lostFrames,
      hostMs: hostNowMs() - pending.hostStartMs,
    };
    if (arrived.length === pending.slots.size && arrived.length > 0) this.bounds.push(this.boundFor(pending, arrived));
    this.writer.write(record);
    this.records.push(record);
    this.metrics.requests.inc({ outcome: record.correct ? 'correct' : 'wrong' });
    if (deadlineMissed) this.metrics.deadlineMisses.inc();
    this.metrics.latencyMs.observe(latencyMs);
    for (const [deviceId, outcome] of Object.entries(devices)) this.metrics.deviceResults.inc({ device: deviceId, outcome: outcome.missing ?? 'arrived' });
    this.config.onProgress?.(this.progress());
    if (this.records.length >= this.total) {
      this.complete(true);
      return;
    }
    if (this.config.workload.arrival.mode === 'closed') this.issue(pending.startMs + latencyMs);
  }

  private boundFor(pending: Pending, arrived: string[]): number {
    const sessions = arrived.map((id) => this.sessions.get(id) as Session);
    const up = pending.bytesUp / Math.max(1, arrived.length);
    return roundBound({
      link: this.config.link,
      downlinkBytes: sessions.map((s) => pending.downBytesByDevice.get(s.device.deviceId) ?? 0),
      computeMs: sessions.map((s) => computeTimeMs(s.device.deviceClass, s.macs)),
      uplinkBytes: sessions.map(() => Math.round(up)),
    }).roundMs;
  }

  private progress(): Progress {
    const recent = this.records.slice(-500).map((r) => r.latencyMs);
    return {
      done: this.records.length,
      total: this.total,
      issued: this.issued,
      allowed: this.allowed,
      correct: this.records.filter((r) => r.correct).length,
      deadlineMisses: this.records.filter((r) => r.deadlineMissed).length,
      p50LatencyMs: distribution(recent).p50,
    };
  }

  private status(): object {
    return {
      running: this.running,
      finished: this.finished,
      ...this.progress(),
      devices: [...this.sessions.values()].map((s) => ({ deviceId: s.device.deviceId, linkOpen: s.linkOpen, authenticated: s.authenticated })),
    };
  }

  private complete(complete: boolean): RunSummary {
    this.finished = true;
    this.running = false;
    for (const timer of this.openTimers) clearTimeout(timer);
    this.openTimers.clear();
    if (this.startTimer) clearTimeout(this.startTimer);
    this.writer.close();
    const summary = summarise(this.records, {
      issued: this.issued,
      complete,
      wallMs: this.wallStart === 0 ? 0 : hostNowMs() - this.wallStart,
      devices: this.config.devices.map((d) => ({ deviceId: d.deviceId, deviceIndex: d.deviceIndex, deviceClass: d.deviceClass.name })),
      energyNj: this.energyNj,
      hubEnergyNj: this.hubEnergyNj,
      bounds: this.bounds,
      hostLateResults: this.hostLateResults,
      issueLags: this.issueLags,
    });
    writeFileSync(path.join(this.config.outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    this.logger.info({ finalised: summary.requests.finalised, accuracy: summary.requests.accuracy, p50: summary.latencyMs.p50 }, 'workload finished');
    this.resolveDone(summary);
    return summary;
  }

  private async stop(reason: string): Promise<RunSummary> {
    if (this.finished) return this.donePromise;
    this.logger.warn({ reason }, 'stopping the workload early');
    this.running = false;
    for (const pending of [...this.pending.values()]) this.finalise(pending);
    if (this.finished) return this.donePromise;
    return this.complete(false);
  }

  private fail(err: Error): void {
    if (this.finished) return;
    this.finished = true;
    this.running = false;
    for (const pending of this.pending.values()) if (pending.timer) clearTimeout(pending.timer);
    this.writer.close();
    this.rejectDone(err);
  }

  private async close(): Promise<void> {
    for (const session of this.sessions.values()) {
      if (session.authenticated) this.send(session.device.deviceId, { v: 1, type: 'bye', reason: 'run finished' }, this.clock.nowMs());
    }
    const hub = this.hub;
    this.hub = null;
    this.finished = true;
    for (const pending of this.pending.values()) if (pending.timer) clearTimeout(pending.timer);
    if (hub) await new Promise<void>((resolve) => {
      hub.once('close', () => resolve());
      hub.close();
      setTimeout(resolve, 500).unref();
    });
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeAllConnections?.();
  }
}

function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
