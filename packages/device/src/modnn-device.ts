import { fillBatch, IMAGE_BYTES } from '@wearnet/data';
import type { DeviceClass } from '@wearnet/hardware';
import { ModelClock } from '@wearnet/link';
import { silentLogger, type Logger } from '@wearnet/logger';
import { DeviceBandRunner, HUB, readModnnBundleSet, type BandPayload, type ModnnPlan } from '@wearnet/modnn';
import {
  PROTOCOL_VERSION,
  decodeHandshake,
  decodeMessage,
  decodeTimedFrame,
  encodeHandshake,
  encodeMessage,
  encodeTimedFrame,
  handshakeProof,
  maxDeviceFrameBytes,
  resolveLimits,
  resolveSecret,
  type Limits,
  type Message,
} from '@wearnet/protocol';
import { loadDatasetSlice, type DatasetSlice, type DatasetSpec } from '@wearnet/workload';
import { WebSocket, type RawData } from 'ws';
import { DeviceError } from './errors';

/** Options of {@link startModnnDevice}. */
export interface ModnnDeviceOptions {
  /** Device id, also its link's address on the medium. */
  deviceId: string;
  /** Its index in the MoDNN plan (its row bands and dense-layer units). */
  deviceIndex: number;
  /** Directory of the MoDNN bundle set (`wearnet export --mode modnn`). */
  setDir: string;
  /** Medium base URL, `ws://host:port`. */
  mediumUrl: string;
  /** Cluster secret (at least 16 bytes): proved to the medium by HMAC over its challenge. */
  secret: Uint8Array | string;
  deviceClass: DeviceClass;
  /** Host wall-clock ms at which modelled time is 0. */
  epochMs: number;
  /** Modelled seconds per real second; default 1. */
  timeScale?: number;
  /** The slice sample ids refer to: each device reads its image rows itself (`local` input, the plan's default). */
  dataset: DatasetSpec;
  /** Device id of every plan index, where halos go; default `device-<i>`. */
  peerIds?: readonly string[];
  limits?: Partial<Limits>;
  logger?: Logger;
}

/** A running MoDNN device. */
export interface ModnnDeviceHandle {
  readonly deviceId: string;
  /** Resolves when the hub welcomed the device. */
  readonly ready: Promise<void>;
  /** Inferences whose program this device ran to its end. */
  finished(): number;
  /** Closes the connection and frees the tensors. */
  close(): Promise<void>;
}

/**
 * Starts a MoDNN device: loads its share of the teacher from a MoDNN bundle set, connects to the
 * medium (challenge, hello), and for each `infer` runs its band program ({@link DeviceBandRunner}):
 * the halo rows its neighbours read go to them through the medium (peer-addressed frames, one
 * transmission on the shared body each), partial pool sums and logits to the hub. Every message is
 * stamped ready at the modelled time the device class needs for the layers computed before it.
 * No reconnection and no heartbeats: a device that is gone stalls its band (the hub records it).
 * Call `initRuntime` first. @throws DeviceError `E_BUNDLE_UNSUPPORTED` for a plan in `broadcast` input mode.
 */
export async function startModnnDevice(options: ModnnDeviceOptions): Promise<ModnnDeviceHandle> {
  const set = await readModnnBundleSet(options.setDir);
  const own = set.devices[options.deviceIndex];
  if (!own) throw new RangeError(`deviceIndex ${options.deviceIndex} is not in a set of ${set.devices.length} devices`);
  if (set.plan.inputMode !== 'local') throw new DeviceError('E_BUNDLE_UNSUPPORTED', `${options.setDir}: only local-input MoDNN plans run on the cluster`);
  const slice = await loadDatasetSlice(options.dataset);
  const runner = new DeviceBandRunner({ plan: set.plan, device: options.deviceIndex, weights: own.weights });
  const node = new ModnnDevice(options, set.plan, {
    runner,
    slice,
    mean: own.manifest.input.mean as Loaded['mean'],
    std: own.manifest.input.std as Loaded['std'],
  });
  node.connect();
  return node.handle();
}

interface Loaded {
  runner: DeviceBandRunner;
  slice: DatasetSlice;
  mean: [number, number, number];
  std: [number, number, number];
}

/** Requests ahead of the current one whose early messages a device keeps (a halo may overtake its request by one); more are dropped. */
const MAX_EARLY_REQUESTS = 4;

class ModnnDevice {
  private readonly logger: Logger;
  private readonly clock: ModelClock;
  private readonly limits: Limits;
  private readonly peers: readonly string[];
  private ws: WebSocket | null = null;
  private handshake: 'challenge' | 'verdict' | 'open' = 'challenge';
  private requestId = -1;
  private busyUntilMs = 0;
  private first = true;
  private done = 0;
  /** Messages of a request not begun yet (a halo that overtook its request), by request id; at most {@link MAX_EARLY_REQUESTS} requests. */
  private readonly early = new Map<number, BandPayload[]>();
  private resolveReady!: () => void;
  private readonly readyPromise = new Promise<void>((resolve) => (this.resolveReady = resolve));

  constructor(
    private readonly options: ModnnDeviceOptions,
    private readonly plan: ModnnPlan,
    private readonly loaded: Loaded,
  ) {
    this.logger = (options.logger ?? silentLogger).child({ deviceId: options.deviceId });
    this.clock = new ModelClock({ epochMs: options.epochMs, timeScale: options.timeScale ?? 1 });
    this.limits = resolveLimits(options.limits);
    this.peers = options.peerIds ?? plan.programs.map((_, i) => `device-${i}`);
  }

  handle(): ModnnDeviceHandle {
    return { deviceId: this.options.deviceId, ready: this.readyPromise, finished: () => this.done, close: () => this.close() };
  }

  connect(): void {
    const ws = new WebSocket(`${this.options.mediumUrl.replace(/\/$/, '')}/device/${this.options.deviceId}`, { maxPayload: maxDeviceFrameBytes(this.limits) });
    this.ws = ws;
    ws.on('message', (data: RawData) => this.receive(toBytes(data)));
    ws.on('error', (err) => this.logger.warn({ err: err.message }, 'socket error'));
    ws.on('close', () => this.logger.info({}, 'medium connection closed'));
  }

  private receive(bytes: Uint8Array): void {
    if (this.handshake !== 'open') return this.answerHandshake(bytes);
    let atMs: number;
    let message: Message;
    try {
      const frame = decodeTimedFrame(bytes, this.limits.maxMessageBytes);
      atMs = frame.atMs;
      message = decodeMessage(frame.payload, { limits: this.limits });
    } catch (err) {
      this.logger.warn({ code: (err as { code?: string }).code, err: (err as Error).message }, 'bad message from the medium');
      return;
    }
    try {
      if (message.type === 'welcome') this.resolveReady();
      else if (message.type === 'infer') this.begin(message.requestId, message.sample, atMs);
      else if (message.type === 'band') this.band(message.requestId, { id: message.messageId, data: toFloat32(message.data) }, atMs);
      else if (message.type === 'heartbeat' && !message.reply) this.send({ v: PROTOCOL_VERSION, type: 'heartbeat', seq: message.seq, reply: true }, atMs);
      else if (message.type === 'bye') void this.close();
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'E_INFERENCE_FAILED';
      this.logger.warn({ code, err: (err as Error).message, requestId: this.requestId }, 'band program failed');
    }
  }

  private answerHandshake(frame: Uint8Array): void {
    const ws = this.ws as WebSocket;
    const message = decodeHandshake(frame);
    const { deviceId } = this.options;
    if (this.handshake === 'challenge' && message.type === 'challenge') {
      const proof = handshakeProof({ secret: resolveSecret(this.options.secret), role: 'device', id: deviceId, runId: message.runId, nonce: message.nonce });
      this.handshake = 'verdict';
      ws.send(encodeHandshake({ v: PROTOCOL_VERSION, type: 'auth', role: 'device', id: deviceId, proof }));
    } else if (this.handshake === 'verdict' && message.type === 'accepted') {
      this.handshake = 'open';
      const units = this.plan.denseUnits[this.options.deviceIndex];
      const bundle = { part: 0, outputLength: Math.max(1, units.end - units.start), macs: this.loaded.runner.totalMacs, weightsSha256: '' };
      const hello = { deviceId, deviceIndex: this.options.deviceIndex, deviceClass: this.options.deviceClass.name, bundle };
      this.send({ v: PROTOCOL_VERSION, type: 'hello', ...hello }, this.clock.nowMs());
    } else {
      this.logger.warn({ type: message.type }, 'medium refused the connection or sent an unexpected handshake');
      ws.close();
    }
  }

  /** A request: the device's image rows from its own copy of the slice, then its program up to the first halo it waits for. */
  private begin(requestId: number, sample: number, atMs: number): void {
    const { slice, runner, mean, std } = this.loaded;
    if (sample >= slice.count) throw new DeviceError('E_SAMPLE_OUT_OF_RANGE', `sample ${sample} is outside the slice of ${slice.count}`);
    const image = new Float32Array(IMAGE_BYTES);
    fillBatch({ split: { count: 1, pixels: slice.pixels.subarray(sample * IMAGE_BYTES, (sample + 1) * IMAGE_BYTES) }, indices: [0], out: image, mean, std });
    this.requestId = requestId;
    this.first = true;
    runner.begin(1, image);
    // The infer is the plan's `request` message to this device.
    for (const m of this.plan.messages) if (m.kind === 'request' && m.to === this.options.deviceIndex) runner.deliver({ id: m.id, data: new Float32Array(0) });
    this.step(atMs);
    for (const payload of this.early.get(requestId) ?? []) this.band(requestId, payload, atMs);
    this.early.delete(requestId);
    for (const id of this.early.keys()) if (id < requestId) this.early.delete(id);
  }

  private band(requestId: number, payload: BandPayload, atMs: number): void {
    const m = this.plan.messages[payload.id];
    if (!m || m.to !== this.options.deviceIndex)
      throw new DeviceError('E_BAD_MESSAGE', `message ${payload.id} is not addressed to device ${this.options.deviceIndex}`);
    if (requestId > this.requestId) {
      if (!this.early.has(requestId) && this.early.size >= MAX_EARLY_REQUESTS)
        throw new DeviceError('E_BAD_MESSAGE', `message for request ${requestId}, too far ahead`);
      const list = this.early.get(requestId) ?? [];
      if (list.length < this.plan.messages.length) list.push(payload);
      this.early.set(requestId, list);
      return;
    }
    if (requestId < this.requestId) return;
    this.loaded.runner.deliver(payload);
    this.step(atMs);
  }

  /** Runs the program as far as it goes from modelled `atMs` and sends what it produced, each stamped after the MACs before it. */
  private step(atMs: number): void {
    const { runner } = this.loaded;
    const cls = this.options.deviceClass;
    const startMs = Math.max(atMs, this.busyUntilMs) + (this.first ? cls.overheadMs : 0);
    this.first = false;
    const out = runner.run();
    const readyAt = (macs: number): number => startMs + (macs / cls.macsPerSecond) * 1000;
    this.busyUntilMs = readyAt(runner.lastRunMacs);
    for (const p of out) {
      const to = this.plan.messages[p.id].to;
      const message: Message = {
        v: PROTOCOL_VERSION,
        type: 'band',
        requestId: this.requestId,
        messageId: p.id,
        data: new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength),
      };
      this.send(message, readyAt(p.macs ?? 0), to === HUB ? undefined : this.peers[to]);
    }
    if (runner.finished) this.done += 1;
    this.logger.debug(
      { requestId: this.requestId, sent: out.map((p) => p.id), waitingFor: runner.waitingFor, finished: runner.finished },
      'band program stepped',
    );
  }

  private send(message: Message, atMs: number, to?: string): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    const payload = encodeMessage(message, { limits: this.limits });
    ws.send(encodeTimedFrame(to === undefined ? { atMs, payload } : { atMs, payload, to }));
  }

  private async close(): Promise<void> {
    const ws = this.ws;
    this.ws = null;
    this.loaded.runner.dispose();
    if (!ws) return;
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.close();
      setTimeout(resolve, 500).unref();
    });
  }
}

function toBytes(data: RawData): Uint8Array {
  const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Little-endian float32 bytes as a fresh (aligned) Float32Array. */
function toFloat32(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}
