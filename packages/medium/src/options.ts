import type { LinkConfig, LossChannel } from '@wearnet/link';
import { resolveLimits, resolveSecret, type Limits } from '@wearnet/protocol';
import { silentLogger, type Logger } from '@wearnet/logger';
import { readFileSync } from 'node:fs';
import type { AdaptiveReorderOptions } from './reorder-window';

/** Options of {@link startMedium}. */
export interface MediumOptions {
  /** Complete link config (see `resolveLinkConfig`). */
  link: LinkConfig;
  /** Seed of all link randomness. */
  seed: number;
  /**
   * Cluster secret (at least 16 bytes; a string is taken as its UTF-8 bytes): every device and hub
   * connection proves it by HMAC over a fresh nonce before it carries anything. Never sent or logged.
   */
  secret: Uint8Array | string;
  /** Run id every proof covers (so a proof of another run never fits); default `wearnet`. */
  runId?: string;
  /** Real ms a connection has to answer its challenge; default 5 000. */
  authTimeoutMs?: number;
  /** Most connections waiting to authenticate at once (more get HTTP 503 `E_TOO_MANY_PENDING`); default 64. */
  maxPendingConnections?: number;
  /** Host wall-clock ms at which modelled time is 0. */
  epochMs: number;
  /** Modelled seconds per real second; default 1. */
  timeScale?: number;
  /** Interface to bind; default `127.0.0.1`. */
  host?: string;
  /** Port; default 0 (any free port). */
  port?: number;
  /**
   * Serve HTTPS and `wss://` with this PEM certificate and key (links that cross hosts); default
   * none: plain HTTP and `ws://`.
   */
  tls?: { certFile: string; keyFile: string };
  /** Message limits; defaults of `@wearnet/protocol`. */
  limits?: Partial<Limits>;
  /** Most messages waiting for the medium; default 10 000. */
  maxQueuedMessages?: number;
  /** Furthest a sender may date a message into the future, modelled ms; default 60 000. */
  maxLeadMs?: number;
  /** Real ms each message is held so late-arriving, earlier-stamped ones keep stamp order (see `Relay`); default 0. */
  reorderWindowMs?: number;
  /** Reorder window following the measured host lag (see `AdaptiveReorderWindow`); on by default, `false` turns it off. */
  adaptiveReorder?: AdaptiveReorderOptions | false;
  /** Real ms to wait at most for a device's answer before later-stamped traffic takes the medium (see `Relay`); default 200. */
  maxReplyWaitMs?: number;
  /** An extra channel per link, for example a replayed trace (`traceReplay` of `@wearnet/link`); default none. */
  channelFor?: (linkId: string) => LossChannel | undefined;
  logger?: Logger;
}

/** {@link MediumOptions} with every default applied. */
export type ResolvedMediumOptions = Required<Omit<MediumOptions, 'limits' | 'adaptiveReorder' | 'channelFor' | 'secret' | 'tls'>> & {
  /** The certificate and key read from `tls` (PEM), or undefined: plain HTTP. */
  tls: { cert: Buffer; key: Buffer } | undefined;
  limits: Limits;
  secret: Uint8Array;
  adaptiveReorder: AdaptiveReorderOptions | false;
  channelFor: ((linkId: string) => LossChannel | undefined) | undefined;
};

/** Applies defaults and checks options. @throws RangeError/TypeError naming the option. */
export function resolveMediumOptions(options: MediumOptions): ResolvedMediumOptions {
  if (typeof options.link !== 'object' || options.link === null) throw new TypeError('link must be a resolved link config');
  if (!Number.isSafeInteger(options.seed)) throw new RangeError(`seed must be a safe integer, got ${String(options.seed)}`);
  const secret = resolveSecret(options.secret);
  const runId = options.runId ?? 'wearnet';
  if (typeof runId !== 'string' || !/^[A-Za-z0-9_.:-]{1,128}$/.test(runId)) throw new RangeError('runId must match [A-Za-z0-9_.:-]{1,128}');
  const authTimeoutMs = options.authTimeoutMs ?? 5000;
  if (!(authTimeoutMs > 0 && Number.isFinite(authTimeoutMs))) throw new RangeError(`authTimeoutMs must be a positive number, got ${String(authTimeoutMs)}`);
  const maxPendingConnections = options.maxPendingConnections ?? 64;
  if (!Number.isSafeInteger(maxPendingConnections) || maxPendingConnections < 1)
    throw new RangeError(`maxPendingConnections must be a positive integer, got ${String(maxPendingConnections)}`);
  if (!Number.isFinite(options.epochMs)) throw new RangeError(`epochMs must be a finite number, got ${String(options.epochMs)}`);
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new RangeError(`timeScale must be a positive number, got ${String(timeScale)}`);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port must be an integer in [0, 65535], got ${String(port)}`);
  return {
    tls: options.tls === undefined ? undefined : { cert: readPem(options.tls.certFile, 'tls.certFile'), key: readPem(options.tls.keyFile, 'tls.keyFile') },
    link: options.link,
    seed: options.seed,
    secret,
    runId,
    authTimeoutMs,
    maxPendingConnections,
    epochMs: options.epochMs,
    timeScale,
    host: options.host ?? '127.0.0.1',
    port,
    limits: resolveLimits(options.limits),
    maxQueuedMessages: options.maxQueuedMessages ?? 10000,
    maxLeadMs: options.maxLeadMs ?? 60000,
    reorderWindowMs: options.reorderWindowMs ?? 0,
    adaptiveReorder: options.adaptiveReorder ?? {},
    maxReplyWaitMs: options.maxReplyWaitMs ?? 200,
    channelFor: options.channelFor,
    logger: options.logger ?? silentLogger,
  };
}

/** Reads a PEM file named by option `name`. @throws TypeError naming the option and the file. */
function readPem(file: unknown, name: string): Buffer {
  if (typeof file !== 'string' || file.length === 0) throw new TypeError(`${name} must name a PEM file`);
  try {
    return readFileSync(file);
  } catch (err) {
    throw new TypeError(`${name}: cannot read ${file}: ${(err as Error).message}`);
  }
}
