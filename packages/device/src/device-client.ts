import { computeTimeMs } from '@wearnet/hardware';
import { ModelClock, createStream, type RandomStream } from '@wearnet/link';
import {
  IMAGE_BYTES,
  PROTOCOL_VERSION,
  decodeHandshake,
  decodeMessage,
  encodeHandshake,
  handshakeProof,
  decodeTimedFrame,
  maxDeviceFrameBytes,
  encodeMessage,
  encodeTimedFrame,
  packVector,
  type InferMessage,
  type Message,
  type VectorEncoding,
} from '@wearnet/protocol';
import { loadDatasetSlice, type DatasetSlice } from '@wearnet/workload';
import { WebSocket, type RawData } from 'ws';
import { DeviceError } from './errors';
import type { Logger } from '@wearnet/logger';
import { resolveDeviceOptions, type DeviceOptions, type ResolvedDeviceOptions } from './options';
import { loadStudent, type Student } from './student';

/** Counters of a device process. */
export interface DeviceStats {
  requests: number;
  errors: number;
  connects: number;
  /** Modelled compute time spent, ms. */
  computeMs: number;
  /** Host time spent in the student, ms. */
  hostMs: number;
}

/** A running device. */
export interface DeviceHandle {
  readonly deviceId: string;
  /** Resolves when the device is authenticated for the first time. */
  readonly ready: Promise<void>;
  /** Resolves when the device stops for good (close, bye or auth failure); rejects on a fatal error. */
  readonly stopped: Promise<void>;
  stats(): DeviceStats;
  /** Connects a device started with `autoConnect: false` (no-op once connected). */
  connect(): void;
  /**
   * Multiplies the modelled compute time of every following request by `factor` (>= 1; 1 = the
   * device class's speed): a slow-down fault. @throws RangeError for a factor below 1.
   */
  setComputeFactor(factor: number): void;
  /** Sends bye, closes the connection and frees the model. */
  close(): Promise<void>;
}

/**
 * Starts a device: loads its bundle, connects to the medium, authenticates, answers requests with
 * its student's vector (stamped ready at arrival + the device class's compute time), heartbeats,
 * and reconnects with backoff. Call `initRuntime` first.
 */
export async function startDevice(options: DeviceOptions): Promise<DeviceHandle> {
  const config = resolveDeviceOptions(options);
  const student = await loadStudent(config.bundleDir);
  const slice = config.inputMode === 'local' && config.dataset ? await loadDatasetSlice(config.dataset) : undefined;
  const device = new Device(config, student, slice);
  if (config.autoConnect) device.connect();
  return device.handle();
}

class Device {
  private readonly logger: Logger;
  private readonly clock: ModelClock;
  private readonly jitter: RandomStream;
  private readonly baseComputeMs: number;
  private computeFactor = 1;
  private connecting = false;
  private ws: WebSocket | null = null;
  private authenticated = false;
  /** Where the current connection is in the medium's handshake. */
  private handshake: 'challenge' | 'verdict' | 'open' = 'challenge';
  private encoding: VectorEncoding = 'float32';
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private helloTimer: NodeJS.Timeout | null = null;
  private heartbeatSeq = 0;
  private silentBeats = 0;
  /** A message from the hub arrived since the last heartbeat tick (the link is not idle). */
  private heardSinceBeat = false;
  private failures = 0;
  private busyUntilMs = 0;
  private lastHeardAtMs = 0;
  private stopping = false;
  private readonly counters: DeviceStats = { requests: 0, errors: 0, connects: 0, computeMs: 0, hostMs: 0 };
  private resolveReady!: () => void;
  private resolveStopped!: () => void;
  private rejectStopped!: (err: Error) => void;
  private readonly readyPromise = new Promise<void>((resolve) => (this.resolveReady = resolve));
  private readonly stoppedPromise = new Promise<void>((resolve, reject) => {
    this.resolveStopped = resolve;
    this.rejectStopped = reject;
  });

  constructor(
    private readonly config: ResolvedDeviceOptions,
    private readonly student: Student,
    private readonly slice: DatasetSlice | undefined,
  ) {
    this.logger = config.logger.child({ deviceId: config.deviceId });
    this.clock = new ModelClock({ epochMs: config.epochMs, timeScale: config.timeScale });
    this.jitter = createStream(config.seed, `${config.deviceId}/backoff`);
    this.baseComputeMs = computeTimeMs(config.deviceClass, student.manifest.macs);
    this.stoppedPromise.catch(() => undefined);
  }

  handle(): DeviceHandle {
    return {
      deviceId: this.config.deviceId,
      ready: this.readyPromise,
      stopped: this.stoppedPromise,
      stats: () => ({ ...this.counters }),
      connect: () => {
        if (!this.connecting) this.connect();
      },
      setComputeFactor: (factor) => {
        if (!(factor >= 1 && Number.isFinite(factor))) throw new RangeError(`factor must be a finite number >= 1, got ${String(factor)}`);
        this.computeFactor = factor;
        this.logger.info({ factor }, 'compute factor set');
      },
      close: () => this.close(),
    };
  }

  connect(): void {
    if (this.stopping) return;
    this.connecting = true;
    const url = `${this.config.mediumUrl}/device/${this.config.deviceId}`;
    const ws = new WebSocket(url, { maxPayload: maxDeviceFrameBytes(this.config.limits), ...(this.config.ca ? { ca: this.config.ca } : {}) });
    this.ws = ws;
    this.authenticated = false;
    this.handshake = 'challenge';
    ws.on('open', () => {
      this.counters.connects += 1;
      this.logger.info({ url }, 'connected to the medium: waiting for its challenge');
    });
    ws.on('message', (data: RawData) => this.receive(data));
    ws.on('error', (err) => this.logger.debug({ err: err.message }, 'socket error'));
    ws.on('close', () => {
      this.clearHelloTimer();
      if (this.ws !== ws) return;
      this.ws = null;
      this.stopHeartbeat();
      if (!this.stopping) this.scheduleReconnect();
    });
  }

  /**
   * Sends the hello, and sends it again with backoff until the welcome arrives: on a lossy body
   * either frame can be lost after its retries, and nothing else would ever bring the device in.
   */
  private hello(ws: WebSocket, attempt: number): void {
    if (this.ws !== ws || this.authenticated || this.stopping) return;
    const m = this.student.manifest;
    this.send(
      {
        v: PROTOCOL_VERSION,
        type: 'hello',
        deviceId: this.config.deviceId,
        deviceIndex: m.deviceIndex,
        deviceClass: this.config.deviceClass.name,
        bundle: { part: m.part, outputLength: m.output.length, macs: m.macs, weightsSha256: m.sha256[m.files.weights] ?? '' },
      },
      this.clock.nowMs(),
    );
    if (attempt > 0) this.logger.info({ attempt }, 'no welcome yet: hello again');
    const { initialMs, maxMs, factor } = this.config.backoff;
    const base = Math.min(maxMs, Math.max(initialMs, 250) * factor ** attempt);
    this.clearHelloTimer();
    this.helloTimer = setTimeout(() => this.hello(ws, attempt + 1), base / 2 + this.jitter.next() * (base / 2));
  }

  private clearHelloTimer(): void {
    if (this.helloTimer) clearTimeout(this.helloTimer);
    this.helloTimer = null;
  }

  private scheduleReconnect(): void {
    const { initialMs, maxMs, factor } = this.config.backoff;
    const base = Math.min(maxMs, initialMs * factor ** this.failures);
    const delay = base / 2 + this.jitter.next() * (base / 2);
    this.failures += 1;
    this.logger.info({ delayMs: Math.round(delay), attempt: this.failures }, 'reconnecting after backoff');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private receive(data: RawData): void {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (this.handshake !== 'open') return this.answerHandshake(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    let atMs: number;
    let message: Message;
    try {
      const frame = decodeTimedFrame(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), this.config.limits.maxMessageBytes);
      atMs = frame.atMs;
      message = decodeMessage(frame.payload, { limits: this.config.limits });
    } catch (err) {
      this.counters.errors += 1;
      this.logger.warn({ err: (err as Error).message, code: (err as { code?: string }).code }, 'bad message from the medium');
      return;
    }
    this.silentBeats = 0;
    this.heardSinceBeat = true;
    this.lastHeardAtMs = Math.max(this.lastHeardAtMs, atMs);
    switch (message.type) {
      case 'welcome':
        this.clearHelloTimer();
        this.authenticated = true;
        this.failures = 0;
        this.encoding = message.encoding;
        this.startHeartbeat(message.heartbeatMs);
        this.logger.info({ heartbeatMs: message.heartbeatMs, encoding: message.encoding }, 'authenticated');
        this.resolveReady();
        return;
      case 'infer':
        if (!this.authenticated) return;
        this.infer(message, atMs);
        return;
      case 'heartbeat':
        if (!message.reply) this.send({ v: PROTOCOL_VERSION, type: 'heartbeat', seq: message.seq, reply: true }, atMs);
        return;
      case 'error':
        this.logger.warn({ code: message.code, message: message.message }, 'error from the aggregator');
        if (message.code === 'E_AUTH_FAILED') this.fail(new DeviceError('E_AUTH_FAILED', `aggregator refused the hello: ${message.message}`));
        return;
      case 'bye':
        this.logger.info({ reason: message.reason }, 'aggregator said bye');
        void this.close();
        return;
      default:
        this.logger.warn({ type: message.type }, 'unexpected message type');
    }
  }

  /**
   * The medium's handshake on a new connection: answers the challenge with the HMAC of the secret
   * (over the nonce, the device id and the run id), then sends the hello once accepted. A refusal
   * for a wrong secret stops the device for good; any other (the id is still live from a previous
   * connection, a timeout) is retried with backoff when the medium closes the connection.
   */
  private answerHandshake(frame: Uint8Array): void {
    const ws = this.ws;
    if (!ws) return;
    let message;
    try {
      message = decodeHandshake(frame);
    } catch (err) {
      this.logger.warn({ code: (err as { code?: string }).code }, 'bad handshake frame from the medium');
      ws.terminate();
      return;
    }
    if (this.handshake === 'challenge' && message.type === 'challenge') {
      const { deviceId, secret } = this.config;
      const proof = handshakeProof({ secret, role: 'device', id: deviceId, runId: message.runId, nonce: message.nonce });
      this.handshake = 'verdict';
      ws.send(encodeHandshake({ v: PROTOCOL_VERSION, type: 'auth', role: 'device', id: deviceId, proof }));
      return;
    }
    if (this.handshake === 'verdict' && message.type === 'accepted') {
      this.handshake = 'open';
      this.logger.info({}, 'medium accepted the connection');
      this.hello(ws, 0);
      return;
    }
    if (message.type === 'refused') {
      this.logger.warn({ code: message.code, why: message.message }, 'medium refused the connection');
      if (message.code === 'E_AUTH_FAILED') this.fail(new DeviceError('E_AUTH_FAILED', `medium refused the connection: ${message.message}`));
      return;
    }
    this.logger.warn({ type: message.type }, 'unexpected handshake message');
    ws.terminate();
  }

  private infer(message: InferMessage, deliveredAtMs: number): void {
    let vector: Float32Array;
    const started = performance.now();
    try {
      vector = this.student.predict(this.imageFor(message));
    } catch (err) {
      this.counters.errors += 1;
      const code = err instanceof DeviceError ? err.code : 'E_INFERENCE_FAILED';
      this.logger.warn({ requestId: message.requestId, code, err: (err as Error).message }, 'inference failed');
      this.send({ v: PROTOCOL_VERSION, type: 'error', code, message: (err as Error).message, requestId: message.requestId }, deliveredAtMs);
      return;
    }
    const hostMs = performance.now() - started;
    // One core: a request waits for the previous one, then takes the class's compute time.
    const computeMs = this.baseComputeMs * this.computeFactor;
    const readyAtMs = Math.max(deliveredAtMs, this.busyUntilMs) + computeMs;
    this.busyUntilMs = readyAtMs;
    this.counters.requests += 1;
    this.counters.computeMs += computeMs;
    this.counters.hostMs += hostMs;
    this.send({ v: PROTOCOL_VERSION, type: 'result', requestId: message.requestId, vector: packVector(vector, this.encoding), computeMs, hostMs }, readyAtMs);
  }

  private imageFor(message: InferMessage): Uint8Array {
    if (this.config.inputMode === 'broadcast') {
      if (!message.image || message.image.length !== IMAGE_BYTES)
        throw new DeviceError('E_NO_IMAGE', `request ${message.requestId} carries no ${IMAGE_BYTES}-byte image`);
      return message.image;
    }
    const slice = this.slice as DatasetSlice;
    if (message.sample >= slice.count) throw new DeviceError('E_SAMPLE_OUT_OF_RANGE', `sample ${message.sample} is outside the slice of ${slice.count}`);
    return slice.pixels.subarray(message.sample * IMAGE_BYTES, (message.sample + 1) * IMAGE_BYTES);
  }

  private startHeartbeat(heartbeatMs: number): void {
    this.stopHeartbeat();
    this.silentBeats = 0;
    this.heartbeatTimer = setInterval(() => {
      // Heartbeats only on an idle link: a link that carried a message from the hub since the last
      // beat is alive, and a beat would take airtime in the middle of requests (their latency bound
      // leaves it out).
      if (this.heardSinceBeat) {
        this.heardSinceBeat = false;
        return;
      }
      this.silentBeats += 1;
      if (this.silentBeats > this.config.heartbeatMisses) {
        this.logger.warn({ misses: this.silentBeats - 1 }, 'aggregator silent: reconnecting');
        this.ws?.terminate();
        return;
      }
      this.heartbeatSeq += 1;
      this.send({ v: PROTOCOL_VERSION, type: 'heartbeat', seq: this.heartbeatSeq, reply: false }, this.modelledNowMs());
    }, this.clock.toRealMs(heartbeatMs));
    this.heartbeatTimer.unref();
  }

  /**
   * The device's own modelled time: the later of the last frame it heard and the end of its last
   * computation, never ahead of the clock. Background traffic stamped with it never jumps ahead
   * of request traffic when the host lags behind a fast time scale.
   */
  private modelledNowMs(): number {
    const own = Math.max(this.lastHeardAtMs, this.busyUntilMs);
    return own > 0 ? Math.min(this.clock.nowMs(), own) : this.clock.nowMs();
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  private send(message: Message, atMs: number): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    ws.send(encodeTimedFrame({ atMs, payload: encodeMessage(message, { limits: this.config.limits }) }));
  }

  private fail(err: Error): void {
    this.logger.error({ code: (err as DeviceError).code, err: err.message }, 'device stopping on a fatal error');
    this.shutdown();
    this.rejectStopped(err);
  }

  private shutdown(): void {
    this.stopping = true;
    this.clearHelloTimer();
    this.stopHeartbeat();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const ws = this.ws;
    this.ws = null;
    ws?.close();
    this.student.dispose();
  }

  private async close(): Promise<void> {
    if (this.stopping) return;
    this.send({ v: PROTOCOL_VERSION, type: 'bye', reason: 'device stopping' }, this.clock.nowMs());
    this.shutdown();
    this.resolveStopped();
  }
}
