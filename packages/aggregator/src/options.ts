import { readFileSync } from 'node:fs';
import type { DeviceClass } from '@wearnet/hardware';
import type { LinkConfig } from '@wearnet/link';
import { resolveLimits, resolveSecret, type Limits, type VectorEncoding } from '@wearnet/protocol';
import type { Arrival, DatasetSpec } from '@wearnet/workload';
import { silentLogger, type Logger } from '@wearnet/logger';

/** One expected device. */
export interface ExpectedDevice {
  deviceId: string;
  /** Index of its bundle in the set. */
  deviceIndex: number;
  /** Its compute model (for the latency bound and energy). */
  deviceClass: DeviceClass;
}

/** What the aggregator asks of the cluster. */
export interface WorkloadOptions {
  dataset: DatasetSpec;
  /** Requests to issue; default the slice size. */
  requests?: number;
  /** Sample order; default `sequential`. */
  order?: 'sequential' | 'shuffled';
  /** Default closed loop with one request outstanding. */
  arrival?: Arrival;
  /** `broadcast`: the image crosses the medium to every device; `local`: only the sample id does. Default `broadcast`. */
  inputMode?: 'broadcast' | 'local';
  /** Modelled deadline per request, ms; what has not arrived by then is missing. Default 1000. */
  deadlineMs?: number;
  /** Encoding devices must use for their vectors; default `float32`. */
  encoding?: VectorEncoding;
}

/** Options of {@link startAggregator}. */
export interface AggregatorOptions {
  /** Medium base URL, `ws://host:port`. */
  mediumUrl: string;
  /** Cluster secret (at least 16 bytes): the hub link proves it to the medium; never sent or logged. */
  secret: Uint8Array | string;
  /** Directory of the aggregator bundle (`<set>/aggregator`). */
  bundleDir: string;
  devices: ExpectedDevice[];
  workload: WorkloadOptions;
  /** The link config of the medium (for the analytic bound and energy). */
  link: LinkConfig;
  epochMs: number;
  /** Default 1. */
  timeScale?: number;
  /** Seed of the sample order and arrivals; default 1. */
  seed?: number;
  /** Heartbeat interval devices must keep, modelled ms; default 2000. */
  heartbeatMs?: number;
  /** Real ms to wait for devices before starting with those present; default 60 000. */
  startTimeoutMs?: number;
  /** Real ms to keep retrying a medium that cannot be reached yet (Swarm has no start order); default 0: one attempt. */
  hubConnectTimeoutMs?: number;
  /** PEM file of the CA that signed the medium's certificate (a `wss://` mediumUrl); default: the system's CAs. */
  caFile?: string;
  /** Real ms to wait past a modelled deadline for deliveries already due (host slack); default 250. */
  graceMs?: number;
  /** Where `requests.jsonl` and `summary.json` go (created). */
  outDir: string;
  /** Host and port of the metrics HTTP server; default 127.0.0.1:0. */
  host?: string;
  metricsPort?: number;
  limits?: Partial<Limits>;
  logger?: Logger;
  /**
   * How many requests the aggregator may issue before it is allowed more through
   * `handle.allowRequests`; default all of them. A supervisor that gates the workload (a fault
   * after n requests, a sweep segment) starts it at 0 and raises it step by step.
   */
  issueLimit?: number;
  /** Called after each finalised request. */
  onProgress?: (progress: Progress) => void;
  /** Called with the ids of the authenticated devices whenever that set changes. */
  onDevices?: (authenticated: string[]) => void;
}

/** Progress of the run. */
export interface Progress {
  /** Requests finalised. */
  done: number;
  /** Requests of the whole workload. */
  total: number;
  /** Requests issued so far. */
  issued: number;
  /** Requests the aggregator may issue so far (see `issueLimit`); `done === allowed` means it is idle, waiting to be allowed more. */
  allowed: number;
  correct: number;
  deadlineMisses: number;
  /** Median modelled latency so far, ms. */
  p50LatencyMs: number;
}

/** {@link AggregatorOptions} with defaults applied. */
export interface ResolvedAggregatorOptions extends Omit<
  Required<AggregatorOptions>,
  'workload' | 'limits' | 'onProgress' | 'onDevices' | 'issueLimit' | 'secret' | 'caFile' | 'hubConnectTimeoutMs'
> {
  secret: Uint8Array;
  workload: Required<WorkloadOptions>;
  limits: Limits;
  /** Undefined = every request. */
  issueLimit: number | undefined;
  hubConnectTimeoutMs: number;
  /** The CA read from `caFile`, or undefined. */
  ca: Buffer | undefined;
  onProgress: ((progress: Progress) => void) | undefined;
  onDevices: ((authenticated: string[]) => void) | undefined;
}

/** Applies defaults and checks options. @throws RangeError/TypeError naming the option. */
export function resolveAggregatorOptions(options: AggregatorOptions): ResolvedAggregatorOptions {
  for (const key of ['mediumUrl', 'bundleDir', 'outDir'] as const) {
    if (typeof options[key] !== 'string' || options[key].length === 0) throw new TypeError(`${key} must be a non-empty string`);
  }
  if (!Array.isArray(options.devices) || options.devices.length === 0) throw new RangeError('devices must list at least one device');
  const ids = new Set<string>();
  for (const [i, d] of options.devices.entries()) {
    if (ids.has(d.deviceId)) throw new RangeError(`devices[${i}].deviceId "${d.deviceId}" is repeated`);
    ids.add(d.deviceId);
  }
  const w = options.workload;
  const arrival: Arrival = w.arrival ?? { mode: 'closed', concurrency: 1 };
  if (arrival.mode === 'closed' && !(Number.isInteger(arrival.concurrency) && arrival.concurrency >= 1)) {
    throw new RangeError(`workload.arrival.concurrency must be a positive integer, got ${String(arrival.concurrency)}`);
  }
  if (arrival.mode === 'open' && !(arrival.ratePerSecond > 0))
    throw new RangeError(`workload.arrival.ratePerSecond must be positive, got ${String(arrival.ratePerSecond)}`);
  const deadlineMs = w.deadlineMs ?? 1000;
  if (!(deadlineMs > 0)) throw new RangeError(`workload.deadlineMs must be positive, got ${deadlineMs}`);
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0 && Number.isFinite(timeScale))) throw new RangeError(`timeScale must be a positive number, got ${String(timeScale)}`);
  if (options.issueLimit !== undefined && !(Number.isSafeInteger(options.issueLimit) && options.issueLimit >= 0))
    throw new RangeError(`issueLimit must be a non-negative integer, got ${String(options.issueLimit)}`);
  return {
    mediumUrl: options.mediumUrl.replace(/\/$/, ''),
    secret: resolveSecret(options.secret),
    bundleDir: options.bundleDir,
    devices: options.devices,
    workload: {
      dataset: w.dataset,
      requests: w.requests ?? 0,
      order: w.order ?? 'sequential',
      arrival,
      inputMode: w.inputMode ?? 'broadcast',
      deadlineMs,
      encoding: w.encoding ?? 'float32',
    },
    link: options.link,
    epochMs: options.epochMs,
    timeScale,
    seed: options.seed ?? 1,
    heartbeatMs: options.heartbeatMs ?? 2000,
    startTimeoutMs: options.startTimeoutMs ?? 60000,
    graceMs: options.graceMs ?? 250,
    outDir: options.outDir,
    host: options.host ?? '127.0.0.1',
    metricsPort: options.metricsPort ?? 0,
    limits: resolveLimits(options.limits),
    logger: options.logger ?? silentLogger,
    issueLimit: options.issueLimit,
    hubConnectTimeoutMs: nonNegative(options.hubConnectTimeoutMs ?? 0, 'hubConnectTimeoutMs'),
    ca: options.caFile === undefined ? undefined : readCa(options.caFile),
    onProgress: options.onProgress,
    onDevices: options.onDevices,
  };
}

function nonNegative(value: number, name: string): number {
  if (!(value >= 0 && Number.isFinite(value))) throw new RangeError(`${name} must be a non-negative number, got ${String(value)}`);
  return value;
}

/** Reads the CA file. @throws TypeError naming `caFile`. */
function readCa(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new TypeError(`caFile: cannot read ${file}: ${(err as Error).message}`);
  }
}
