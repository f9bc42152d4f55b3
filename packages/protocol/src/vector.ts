import { fromFloat16Bits, toFloat16Bits } from './float16';

/**
 * How a result vector is carried on the wire.
 * - `float32`: exact, 4 bytes per element (default).
 * - `float16`: IEEE binary16, 2 bytes per element.
 * - `int8`: symmetric linear quantisation `value = q * scale`, 1 byte per element.
 */
export type VectorEncoding = 'float32' | 'float16' | 'int8';

/** Every {@link VectorEncoding}. */
export const VECTOR_ENCODINGS: readonly VectorEncoding[] = ['float32', 'float16', 'int8'];

/** A result vector as carried on the wire: little-endian element bytes plus what is needed to decode them. */
export interface VectorPayload {
  /** Element encoding. */
  encoding: VectorEncoding;
  /** Number of elements. */
  length: number;
  /** Element bytes, little-endian; `length * bytesPerElement(encoding)` long. */
  bytes: Uint8Array;
  /** Dequantisation step of `int8` (`value = q * scale`); absent for float encodings. */
  scale?: number;
}

/** Bytes per element of an encoding. */
export function bytesPerElement(encoding: VectorEncoding): number {
  return encoding === 'float32' ? 4 : encoding === 'float16' ? 2 : 1;
}

/** Packs a float vector for the wire with the given encoding (float32 keeps every bit). */
export function packVector(values: Float32Array, encoding: VectorEncoding = 'float32'): VectorPayload {
  const length = values.length;
  const bytes = new Uint8Array(length * bytesPerElement(encoding));
  const view = new DataView(bytes.buffer);
  if (encoding === 'float32') {
    for (let i = 0; i < length; i += 1) view.setFloat32(i * 4, values[i], true);
    return { encoding, length, bytes };
  }
  if (encoding === 'float16') {
    for (let i = 0; i < length; i += 1) view.setUint16(i * 2, toFloat16Bits(values[i]), true);
    return { encoding, length, bytes };
  }
  let maxAbs = 0;
  for (let i = 0; i < length; i += 1) {
    const magnitude = Math.abs(values[i]);
    if (Number.isFinite(magnitude) && magnitude > maxAbs) maxAbs = magnitude;
  }
  const scale = maxAbs > 0 ? maxAbs / 127 : 1;
  for (let i = 0; i < length; i += 1) {
    const q = Number.isFinite(values[i]) ? Math.round(values[i] / scale) : 0;
    view.setInt8(i, Math.max(-127, Math.min(127, q)));
  }
  return { encoding, length, bytes, scale };
}

/** Unpacks a wire vector into a fresh Float32Array. The payload is assumed validated (see `parseMessage`). */
export function unpackVector(payload: VectorPayload): Float32Array {
  const { encoding, length, bytes } = payload;
  const out = new Float32Array(length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (encoding === 'float32') {
    for (let i = 0; i < length; i += 1) out[i] = view.getFloat32(i * 4, true);
  } else if (encoding === 'float16') {
    for (let i = 0; i < length; i += 1) out[i] = fromFloat16Bits(view.getUint16(i * 2, true));
  } else {
    const scale = payload.scale ?? 1;
    for (let i = 0; i < length; i += 1) out[i] = view.getInt8(i) * scale;
  }
  return out;
}

/** Largest int8 quantisation scale accepted: 127 x scale must stay a finite float32. */
export const MAX_INT8_SCALE = 3.4e38 / 127;
