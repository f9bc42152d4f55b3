import fc from 'fast-check';
import {
  decodeMessage,
  encodeMessage,
  jsonCodec,
  msgpackCodec,
  packVector,
  ProtocolError,
  PROTOCOL_ERROR_CODES,
  resolveLimits,
  type Message,
} from '../src/index';
import { anyMessage } from './arbitraries';

function normalise(message: Message): unknown {
  return JSON.parse(JSON.stringify(message, (_k, value: unknown) => (value instanceof Uint8Array ? Array.from(value) : value)));
}

function expectCoded(run: () => unknown): void {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolError);
    expect(PROTOCOL_ERROR_CODES).toContain((err as ProtocolError).code);
    return;
  }
}

describe('wire encoding', () => {
  it.each([msgpackCodec, jsonCodec])('round-trips every valid message through the $name codec', (codec) => {
    fc.assert(
      fc.property(anyMessage, (message) => {
        const decoded = decodeMessage(encodeMessage(message, { codec }), { codec });
        expect(normalise(decoded)).toEqual(normalise(message));
      }),
      { numRuns: 300 },
    );
  });

  it('rejects an encoded message larger than maxMessageBytes with E_MESSAGE_TOO_LARGE on both ends', () => {
    const limits = resolveLimits({ maxMessageBytes: 100 });
    const message: Message = { v: 1, type: 'infer', requestId: 1, sample: 2, image: new Uint8Array(200) };
    expect(() => encodeMessage(message, { limits })).toThrow(expect.objectContaining({ code: 'E_MESSAGE_TOO_LARGE' }));
    const bytes = encodeMessage(message);
    expect(() => decodeMessage(bytes, { limits })).toThrow(expect.objectContaining({ code: 'E_MESSAGE_TOO_LARGE' }));
  });

  it('rejects a band message whose data is not whole finite float32 elements with E_INVALID_MESSAGE naming data', () => {
    const band = { v: 1 as const, type: 'band' as const, requestId: 1, messageId: 2 };
    expect(() => decodeMessage(encodeMessage({ ...band, data: new Uint8Array(6) }))).toThrow(
      expect.objectContaining({ code: 'E_INVALID_MESSAGE', path: 'data' }),
    );
    const nan = new Uint8Array(Float32Array.from([1, NaN]).buffer);
    expect(() => decodeMessage(encodeMessage({ ...band, data: nan }))).toThrow(expect.objectContaining({ code: 'E_INVALID_MESSAGE', path: 'data[1]' }));
  });

  it('rejects a version other than 1 with E_UNSUPPORTED_VERSION', () => {
    const bytes = msgpackCodec.encode({ v: 2, type: 'bye', reason: 'x' });
    expect(() => decodeMessage(bytes)).toThrow(expect.objectContaining({ code: 'E_UNSUPPORTED_VERSION' }));
  });

  it('rejects an unknown type with E_UNKNOWN_TYPE', () => {
    const bytes = msgpackCodec.encode({ v: 1, type: 'teleport' });
    expect(() => decodeMessage(bytes)).toThrow(expect.objectContaining({ code: 'E_UNKNOWN_TYPE' }));
  });

  it('rejects a vector longer than maxVectorLength with E_VECTOR_TOO_LONG', () => {
    const message: Message = { v: 1, type: 'result', requestId: 1, vector: packVector(new Float32Array(20)), computeMs: 1, hostMs: 1 };
    expect(() => decodeMessage(encodeMessage(message), { limits: resolveLimits({ maxVectorLength: 10 }) })).toThrow(
      expect.objectContaining({ code: 'E_VECTOR_TOO_LONG', path: 'vector.length' }),
    );
  });

  it('rejects a vector whose byte count does not match its length with E_INVALID_MESSAGE naming the field', () => {
    const bytes = msgpackCodec.encode({
      v: 1,
      type: 'result',
      requestId: 1,
      vector: { encoding: 'float32', length: 3, bytes: new Uint8Array(8) },
      computeMs: 0,
      hostMs: 0,
    });
    expect(() => decodeMessage(bytes)).toThrow(expect.objectContaining({ code: 'E_INVALID_MESSAGE', path: 'vector.bytes' }));
  });

  it('rejects a hello without a device class with E_INVALID_MESSAGE naming deviceClass', () => {
    const bytes = msgpackCodec.encode({
      v: 1,
      type: 'hello',
      deviceId: 'd',
      deviceIndex: 0,
      bundle: { part: 0, outputLength: 1, macs: 1, weightsSha256: '' },
    });
    expect(() => decodeMessage(bytes)).toThrow(expect.objectContaining({ code: 'E_INVALID_MESSAGE', path: 'deviceClass' }));
  });

  it('drops a token a hello still carries: no secret reaches a handler', () => {
    const bytes = msgpackCodec.encode({
      v: 1,
      type: 'hello',
      deviceId: 'd',
      token: 'old-style-token',
      deviceIndex: 0,
      deviceClass: 'x',
      bundle: { part: 0, outputLength: 1, macs: 1, weightsSha256: '' },
    });
    expect(decodeMessage(bytes)).not.toHaveProperty('token');
  });

  it('returns only known fields, so extra fields never reach a handler', () => {
    const bytes = msgpackCodec.encode({ v: 1, type: 'bye', reason: 'done', extra: 'x' });
    expect(decodeMessage(bytes)).toEqual({ v: 1, type: 'bye', reason: 'done' });
  });

  it('does not let a __proto__ key change the prototype of a decoded message', () => {
    const json = Buffer.from('{"v":1,"type":"bye","reason":"r","__proto__":{"polluted":true}}');
    const decoded = decodeMessage(json, { codec: jsonCodec }) as unknown as Record<string, unknown>;
    expect(decoded.polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('protocol fuzzing', () => {
  it.each([msgpackCodec, jsonCodec])('never lets random bytes crash the $name decoder: they parse or give a coded error', (codec) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        expectCoded(() => decodeMessage(bytes, { codec }));
      }),
      { numRuns: 2000 },
    );
  });

  it('never lets random values crash the parser', () => {
    fc.assert(
      fc.property(fc.anything({ withTypedArray: true, withMap: true, withSet: true, withBigInt: true, withNullPrototype: true }), (value) => {
        let bytes: Uint8Array;
        try {
          bytes = msgpackCodec.encode(value);
        } catch {
          return; // the generator made something msgpack cannot encode (for example a 65-bit BigInt)
        }
        expectCoded(() => decodeMessage(bytes));
      }),
      { numRuns: 1000 },
    );
  });

  it('never lets a valid message with one field replaced by a random value crash the parser', () => {
    fc.assert(
      fc.property(anyMessage, fc.nat(), fc.anything({ withTypedArray: true }), (message, which, replacement) => {
        const keys = Object.keys(message);
        const mutated: Record<string, unknown> = { ...message, [keys[which % keys.length]]: replacement };
        let bytes: Uint8Array;
        try {
          bytes = msgpackCodec.encode(mutated);
        } catch {
          return;
        }
        expectCoded(() => decodeMessage(bytes));
      }),
      { numRuns: 1000 },
    );
  });

  it('never lets truncated or bit-flipped valid messages crash the decoder', () => {
    fc.assert(
      fc.property(anyMessage, fc.nat(), fc.nat(255), (message, position, flip) => {
        const bytes = Uint8Array.from(encodeMessage(message));
        const at = position % bytes.length;
        expectCoded(() => decodeMessage(bytes.subarray(0, at)));
        bytes[at] ^= flip;
        expectCoded(() => decodeMessage(bytes));
      }),
      { numRuns: 1000 },
    );
  });
});
