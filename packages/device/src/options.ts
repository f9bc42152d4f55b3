import { readFileSync } from 'node:fs';
import type { DeviceClass } from '@wearnet/hardware';
import { resolveLimits, resolveSecret, type Limits } from '@wearnet/protocol';
import type { DatasetSpec } from '@wearnet/workload';
import { silentLogger, type Logger } from '@wearnet/logger';

/** Reconnection backoff, real ms. */
export interface BackoffOptions {
  /** First delay; default 100. */
  initialMs: number;
  /** Largest delay; default 5000. */
  maxMs: number;
  /** Growth per failed attempt; default 2. */
  factor: number;
}

/** Options of {@link startDevice}. */
export interface DeviceOptions {
  /** Device id, for example `device-3`; also its link's address on the medium. */
  deviceId: string;
  /** Directory of this device's bundle (`<set>/device-<i>`). */
  bundleDir: string;
  /** Medium base URL, `ws://host:port` (or `wss://` with a certificate the system or `caFile` trusts). */
  mediumUrl: string;
  /** PEM file of the CA that signed the medium's certificate (`wss://`); default: the system's CAs. */
  caFile?: string;
  /** Cluster secret (at least 16 bytes): proved to the medium by HMAC over its challenge, never sent or logged. */
  secret: Uint8Array | string;
  /** Compute model of the wearable. */
  deviceClass: DeviceClass;
  /** Host wall-clock ms at which modelled time is 0. */
  epochMs: number;
  /** Modelled seconds per real second; default 1. */
  timeScale?: number;
  /** `local`: the device reads images from its own copy of `dataset`; `broadcast`: images arrive in requests. Default `broadcast`. */
  inputMode?: 'broadcast' | 'local';
  /** The slice sample ids refer to (local mode only). */
  dataset?: DatasetSpec;
  /** Heartbeats missed in a row (no message at all from the aggregator) before the device reconnects; default 5. */
  heartbeatMisses?: number;
  backoff?: Partial<BackoffOptions>;
  /** Seed of the reconnection jitter; default 1. */
  seed?: number;
  /**
   * Connect to the medium as soon as the bundle is loaded; default true. False keeps the device
   * in standby (model loaded and warm, no connection) until `connect()` is called: the launcher
   * keeps such a spare to bring a crashed device back within milliseconds.
   */
  autoConnect?: boolean;
  limits?: Partial<Limits>;
  logger?: Logger;
}

/** {@link DeviceOptions} with defaults applied. */
export interface ResolvedDeviceOptions extends Omit<Required<DeviceOptions>, 'dataset' | 'backoff' | 'limits' | 'secret' | 'caFile'> {
  /** The CA read from `caFile`, or undefined. */
  ca: Buffer | undefined;
  secret: Uint8Array;
  dataset: DatasetSpec | undefined;
  backoff: BackoffOptions;
  limits: Limits;
}

/** Applies defaults and checks options. @throws RangeError/TypeError naming the option. */
export function resolveDeviceOptions(options: DeviceOptions): ResolvedDeviceOptions {
  for (const key of ['deviceId', 'bundleDir', 'mediumUrl'] as const) {
    if (typeof options[key] !== 'string' || options[key].length === 0) throw new TypeError(`${key} must be a non-empty string`);
  }
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(options.deviceId)) throw new RangeError(`deviceId must match [A-Za-z0-9_.-]{1,64}, got ${options.deviceId}`);
  if (typeof options.deviceClass !== 'object' || !(options.deviceClass.macsPerSecond > 0)) throw new TypeError('deviceClass must be a resolved device class');
  if (!Number.isFinite(options.epochMs)) throw new RangeError(`epochMs must be finite, got ${String(options.epochMs)}`);
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0 && Number.isFinite(timeScale))) throw new RangeError(`timeScale must be a positive number, got ${String(timeScale)}`);
  const inputMode = options.inputMode ?? 'broadcast';
  if (inputMode !== 'broadcast' && inputMode !== 'local') throw new RangeError(`inputMode must be broadcast or local, got ${String(inputMode)}`);
  if (inputMode === 'local' && options.dataset === undefined) throw new TypeError('dataset is required in local input mode');
  const heartbeatMisses = options.heartbeatMisses ?? 5;
  if (!Number.isInteger(heartbeatMisses) || heartbeatMisses < 1) throw new RangeError(`heartbeatMisses must be a positive integer, got ${heartbeatMisses}`);
  const backoff: BackoffOptions = { initialMs: 100, maxMs: 5000, factor: 2, ...options.backoff };
  if (!(backoff.initialMs > 0) || !(backoff.maxMs >= backoff.initialMs) || !(backoff.factor >= 1)) {
    throw new RangeError('backoff needs initialMs > 0, maxMs >= initialMs and factor >= 1');
  }
  return {
    deviceId: options.deviceId,
    bundleDir: options.bundleDir,
    mediumUrl: options.mediumUrl.replace(/\/$/, ''),
    ca: options.caFile === undefined ? undefined : readCa(options.caFile),
    secret: resolveSecret(options.secret),
    deviceClass: options.deviceClass,
    epochMs: options.epochMs,
    timeScale,
    inputMode,
    dataset: options.dataset,
    heartbeatMisses,
    backoff,
    seed: options.seed ?? 1,
    autoConnect: options.autoConnect ?? true,
    limits: resolveLimits(options.limits),
    logger: options.logger ?? silentLogger,
  };
}

/** Reads the CA file. @throws TypeError naming `caFile`. */
function readCa(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new TypeError(`caFile: cannot read ${file}: ${(err as Error).message}`);
  }
}
