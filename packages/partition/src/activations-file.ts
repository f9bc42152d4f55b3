import { type ActivationsInput, toActivationMatrix } from './activation-matrix';
import { PartitionError, invalidOption } from './errors';

/** The four magic bytes that open an activations file: ASCII "WNAC". */
export const ACTIVATIONS_MAGIC = 'WNAC';

/** Default largest accepted JSON header, in bytes (1 MiB). */
export const DEFAULT_MAX_HEADER_BYTES = 1 << 20;

/** The JSON header of an activations file (format version 1). */
export interface ActivationsHeader {
  readonly format: 'wearnet-activations';
  readonly version: 1;
  /** Number of images (rows). */
  readonly images: number;
  /** Number of filters (columns). */
  readonly filters: number;
  readonly dtype: 'float32';
  readonly layout: 'images-major';
  /** Free-form provenance (model, dataset, split, seed, hashes...); never interpreted here. */
  readonly source?: Record<string, unknown>;
}

/** A decoded activations file. `data[i * filters + f]` is filter `f` on image `i`. */
export interface DecodedActivations {
  readonly header: ActivationsHeader;
  readonly images: number;
  readonly filters: number;
  readonly data: Float32Array;
}

/** Options of {@link encodeActivations}. */
export interface EncodeActivationsOptions {
  /** Free-form provenance written into the header's `source` field. */
  readonly source?: Record<string, unknown>;
}

/** Options of {@link decodeActivations}. */
export interface DecodeActivationsOptions {
  /** Largest accepted JSON header in bytes; default {@link DEFAULT_MAX_HEADER_BYTES}. */
  readonly maxHeaderBytes?: number;
}

/**
 * Encodes activations (images x filters) into the activations file format: "WNAC", uint32 LE
 * header length H, H bytes of UTF-8 JSON header, zero padding to a multiple of 4 bytes, then
 * images*filters float32 LE values, images-major. Validates the input like
 * {@link toActivationMatrix}; a value that overflows float32 throws `E_NON_FINITE`.
 */
export function encodeActivations(activations: ActivationsInput, options: EncodeActivationsOptions = {}): Uint8Array {
  const matrix = toActivationMatrix(activations);
  const header: ActivationsHeader = {
    format: 'wearnet-activations',
    version: 1,
    images: matrix.images,
    filters: matrix.filters,
    dtype: 'float32',
    layout: 'images-major',
    ...(options.source === undefined ? {} : { source: options.source }),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const dataOffset = align4(8 + json.length);
  const bytes = new Uint8Array(dataOffset + matrix.data.length * 4);
  const view = new DataView(bytes.buffer);
  for (let k = 0; k < 4; k++) bytes[k] = ACTIVATIONS_MAGIC.charCodeAt(k);
  view.setUint32(4, json.length, true);
  bytes.set(json, 8);
  for (let k = 0; k < matrix.data.length; k++) {
    const v = Math.fround(matrix.data[k] as number);
    if (!Number.isFinite(v)) {
      const image = Math.floor(k / matrix.filters);
      throw new PartitionError('E_NON_FINITE', `activation at image ${image}, filter ${k - image * matrix.filters} overflows float32`);
    }
    view.setFloat32(dataOffset + 4 * k, v, true);
  }
  return bytes;
}

/**
 * Decodes an activations file. Throws `E_ACTIVATIONS_INVALID` for a bad magic, a header longer
 * than `maxHeaderBytes` or than the file, a header that is not valid JSON or not format
 * version 1, and a byte length that differs from the one the header implies (the message names
 * both); `E_EMPTY` for zero images or filters; `E_NON_FINITE` for NaN/Inf values.
 */
export function decodeActivations(bytes: Uint8Array, options: DecodeActivationsOptions = {}): DecodedActivations {
  const maxHeaderBytes = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  if (!Number.isSafeInteger(maxHeaderBytes) || maxHeaderBytes < 2) {
    invalidOption('maxHeaderBytes', 'an integer >= 2', maxHeaderBytes);
  }
  if (!(bytes instanceof Uint8Array)) throw new PartitionError('E_ACTIVATIONS_INVALID', 'activations file must be bytes (Uint8Array)');
  if (bytes.length < 8) throw new PartitionError('E_ACTIVATIONS_INVALID', `activations file is ${bytes.length} bytes, shorter than its 8-byte preamble`);
  const magic = String.fromCharCode(bytes[0] as number, bytes[1] as number, bytes[2] as number, bytes[3] as number);
  if (magic !== ACTIVATIONS_MAGIC) {
    throw new PartitionError('E_ACTIVATIONS_INVALID', `activations file has bad magic ${JSON.stringify(magic)}, expected "${ACTIVATIONS_MAGIC}"`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerBytes = view.getUint32(4, true);
  if (headerBytes > maxHeaderBytes) {
    throw new PartitionError('E_ACTIVATIONS_INVALID', `activations header is ${headerBytes} bytes, more than maxHeaderBytes ${maxHeaderBytes}`);
  }
  if (8 + headerBytes > bytes.length) {
    throw new PartitionError(
      'E_ACTIVATIONS_INVALID',
      `activations header claims ${headerBytes} bytes but the file has only ${bytes.length - 8} after the preamble`,
    );
  }
  const header = parseHeader(bytes.subarray(8, 8 + headerBytes));
  const dataOffset = align4(8 + headerBytes);
  const count = header.images * header.filters;
  const expected = dataOffset + 4 * count;
  if (bytes.length !== expected) {
    throw new PartitionError(
      'E_ACTIVATIONS_INVALID',
      `activations file is ${bytes.length} bytes, expected ${expected} (header ${headerBytes} B + ${header.images} x ${header.filters} float32)`,
    );
  }
  const data = new Float32Array(count);
  for (let k = 0; k < count; k++) data[k] = view.getFloat32(dataOffset + 4 * k, true);
  toActivationMatrix({ images: header.images, filters: header.filters, data });
  return { header, images: header.images, filters: header.filters, data };
}

function parseHeader(raw: Uint8Array): ActivationsHeader {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch (cause) {
    throw new PartitionError('E_ACTIVATIONS_INVALID', 'activations header is not valid UTF-8 JSON', { cause });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new PartitionError('E_ACTIVATIONS_INVALID', 'activations header is not a JSON object');
  }
  const h = parsed as Record<string, unknown>;
  const expect = (field: string, value: unknown): void => {
    if (h[field] !== value) {
      throw new PartitionError(
        'E_ACTIVATIONS_INVALID',
        `activations header field '${field}' must be ${JSON.stringify(value)}, got ${JSON.stringify(h[field])}`,
      );
    }
  };
  expect('format', 'wearnet-activations');
  expect('version', 1);
  expect('dtype', 'float32');
  expect('layout', 'images-major');
  for (const field of ['images', 'filters']) {
    const v = h[field];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      throw new PartitionError('E_ACTIVATIONS_INVALID', `activations header field '${field}' must be a non-negative integer, got ${JSON.stringify(v)}`);
    }
  }
  if (h.images === 0 || h.filters === 0) {
    throw new PartitionError('E_EMPTY', `activations are empty (${String(h.images)} images x ${String(h.filters)} filters)`);
  }
  if (h.source !== undefined && (h.source === null || typeof h.source !== 'object' || Array.isArray(h.source))) {
    throw new PartitionError('E_ACTIVATIONS_INVALID', "activations header field 'source' must be an object when present");
  }
  return h as unknown as ActivationsHeader;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
