import { ProtocolError } from './errors';
import type { Limits } from './limits';

/** A plain record read from decoded wire data. */
export type WireRecord = Record<string, unknown>;

/** Throws `E_INVALID_MESSAGE` naming `path`. */
export function invalid(path: string, expected: string, value: unknown): never {
  throw new ProtocolError('E_INVALID_MESSAGE', `${path || 'message'}: expected ${expected}, got ${describe(value)}`, { path });
}

/** Describes a value for an error message without echoing large payloads. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (Array.isArray(value)) return `array(${value.length})`;
  if (typeof value === 'string') return value.length > 40 ? `string(${value.length})` : JSON.stringify(value);
  if (typeof value === 'object') return 'object';
  return `${typeof value} ${String(value)}`;
}

/** Reads `value` as a plain object (not an array, not bytes). */
export function record(value: unknown, path: string): WireRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
    return invalid(path, 'an object', value);
  }
  return value as WireRecord;
}

/** Reads a string field no longer than `limits.maxStringLength`. */
export function str(obj: WireRecord, key: string, path: string, limits: Limits, minLength = 0): string {
  const value = obj[key];
  const at = join(path, key);
  if (typeof value !== 'string') return invalid(at, 'a string', value);
  if (value.length > limits.maxStringLength) return invalid(at, `at most ${limits.maxStringLength} characters`, value);
  if (value.length < minLength) return invalid(at, `at least ${minLength} characters`, value);
  return value;
}

/** Reads an integer field within [min, max]. */
export function int(obj: WireRecord, key: string, path: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const value = obj[key];
  const at = join(path, key);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    return invalid(at, `an integer in [${min}, ${max}]`, value);
  }
  return value;
}

/** Reads a finite number field within [min, max]. */
export function num(obj: WireRecord, key: string, path: string, min = -Number.MAX_VALUE, max = Number.MAX_VALUE): number {
  const value = obj[key];
  const at = join(path, key);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    return invalid(at, `a finite number in [${min}, ${max}]`, value);
  }
  return value;
}

/** Reads a boolean field. */
export function bool(obj: WireRecord, key: string, path: string): boolean {
  const value = obj[key];
  if (typeof value !== 'boolean') return invalid(join(path, key), 'a boolean', value);
  return value;
}

/** Reads a byte-array field no longer than `maxBytes` (returns a plain Uint8Array view, not a copy). */
export function bytes(obj: WireRecord, key: string, path: string, maxBytes: number): Uint8Array {
  const value = obj[key];
  const at = join(path, key);
  if (!(value instanceof Uint8Array)) return invalid(at, 'bytes', value);
  if (value.length > maxBytes) return invalid(at, `at most ${maxBytes} bytes`, value);
  return value.constructor === Uint8Array ? value : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

/** Reads a string field that must be one of `choices`. */
export function oneOf<T extends string>(obj: WireRecord, key: string, path: string, choices: readonly T[]): T {
  const value = obj[key];
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    return invalid(join(path, key), `one of ${choices.join(', ')}`, value);
  }
  return value as T;
}

/** Joins a parent path and a key. */
export function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
