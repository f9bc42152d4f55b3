import { PEER_FRAME_EXTRA_BYTES, TIMED_FRAME_HEADER_BYTES } from './timed-frame';

/** Resource limits applied to every incoming message before any handler sees it. */
export interface Limits {
  /** Largest encoded message accepted, in bytes. Default 1 MiB. */
  maxMessageBytes: number;
  /** Largest result vector accepted, in elements. Default 65 536. */
  maxVectorLength: number;
  /** Largest image accepted in an inference request, in bytes. Default 262 144 (256 KiB). */
  maxImageBytes: number;
  /** Longest string field accepted (ids, tokens, messages), in UTF-16 code units. Default 1 024. */
  maxStringLength: number;
}

/**
 * Bytes a hub message may add around the one device message it carries (type, ids, modelled
 * times, transfer stats): the medium <-> hub leg accepts `maxMessageBytes` plus this.
 */
export const HUB_ENVELOPE_BYTES = 4096;

/** Largest WebSocket frame on the device <-> medium leg: one device message behind its timed-frame header (a peer-addressed one's included). */
export function maxDeviceFrameBytes(limits: Limits): number {
  return limits.maxMessageBytes + TIMED_FRAME_HEADER_BYTES + PEER_FRAME_EXTRA_BYTES;
}

/** Largest WebSocket frame on the medium <-> hub leg: one device message in its hub envelope. */
export function maxHubFrameBytes(limits: Limits): number {
  return limits.maxMessageBytes + HUB_ENVELOPE_BYTES;
}

/** Default {@link Limits}. */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxMessageBytes: 1024 * 1024,
  maxVectorLength: 65536,
  maxImageBytes: 256 * 1024,
  maxStringLength: 1024,
});

/**
 * Resolves partial limits to a complete {@link Limits}.
 * @throws RangeError naming the option when a limit is not a positive safe integer.
 */
export function resolveLimits(options: Partial<Limits> = {}): Limits {
  const limits: Limits = { ...DEFAULT_LIMITS, ...stripUndefined(options) };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]) {
    const value = limits[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(`limits.${key} must be a positive integer, got ${String(value)}`);
    }
  }
  return limits;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (entry !== undefined) (out as Record<string, unknown>)[key] = entry;
  }
  return out;
}
