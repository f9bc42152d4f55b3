import { Packr } from 'msgpackr';

/**
 * Turns messages into bytes and back. `decode` returns `unknown`: callers must validate the result
 * with `parseMessage` / `parseHubMessage` (or use `decodeMessage` / `decodeHubMessage`, which do both).
 */
export interface Codec {
  /** Codec name recorded in manifests and logs. */
  readonly name: 'msgpack' | 'json';
  encode(message: unknown): Uint8Array;
  /** @throws whatever the underlying decoder throws; `decodeMessage` converts it to `E_DECODE_FAILED`. */
  decode(bytes: Uint8Array): unknown;
}

const packr = new Packr({ useRecords: false, mapsAsObjects: true, int64AsType: 'number' });

/** Default codec: MessagePack (msgpackr, plain maps, no record extension). Byte arrays travel as `bin`. */
export const msgpackCodec: Codec = {
  name: 'msgpack',
  encode: (message) => packr.pack(message),
  decode: (bytes) => packr.unpack(bytes),
};

/** Debugging codec: JSON text; byte arrays travel as `{ "$bytes": "<base64>" }`. */
export const jsonCodec: Codec = {
  name: 'json',
  encode: (message) =>
    Buffer.from(
      JSON.stringify(message, (_key, value: unknown) => (value instanceof Uint8Array ? { $bytes: Buffer.from(value).toString('base64') } : value)),
      'utf8',
    ),
  decode: (bytes) =>
    JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), (_key, value: unknown) => {
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        const keys = Object.keys(value);
        const encoded = (value as { $bytes?: unknown }).$bytes;
        if (keys.length === 1 && typeof encoded === 'string') return new Uint8Array(Buffer.from(encoded, 'base64'));
      }
      return value;
    }),
};

/** Returns the codec of that name. @throws RangeError for an unknown name. */
export function codecByName(name: string): Codec {
  if (name === 'msgpack') return msgpackCodec;
  if (name === 'json') return jsonCodec;
  throw new RangeError(`codec must be "msgpack" or "json", got ${JSON.stringify(name)}`);
}
