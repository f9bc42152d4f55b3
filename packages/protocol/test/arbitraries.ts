import fc from 'fast-check';
import { packVector, PROTOCOL_VERSION, type Message, type VectorEncoding } from '../src/index';

const id = fc.string({ minLength: 1, maxLength: 24 });
const float32 = fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e4, max: 1e4 });

/** Any valid device <-> aggregator message. */
export const anyMessage: fc.Arbitrary<Message> = fc.oneof(
  fc.record({
    v: fc.constant(PROTOCOL_VERSION),
    type: fc.constant('hello' as const),
    deviceId: id,
    deviceIndex: fc.nat(64),
    deviceClass: id,
    bundle: fc.record({
      part: fc.nat(16),
      outputLength: fc.integer({ min: 1, max: 512 }),
      macs: fc.nat(),
      weightsSha256: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), maxLength: 64 }),
    }),
  }),
  fc.record({
    v: fc.constant(PROTOCOL_VERSION),
    type: fc.constant('welcome' as const),
    deviceId: id,
    heartbeatMs: fc.integer({ min: 1, max: 60000 }),
    encoding: fc.constantFrom<VectorEncoding>('float32', 'float16', 'int8'),
  }),
  fc.record(
    {
      v: fc.constant(PROTOCOL_VERSION),
      type: fc.constant('infer' as const),
      requestId: fc.nat(),
      sample: fc.nat(),
      image: fc.uint8Array({ maxLength: 3072 }),
    },
    { requiredKeys: ['v', 'type', 'requestId', 'sample'] },
  ),
  fc
    .record({
      requestId: fc.nat(),
      values: fc.array(float32, { minLength: 0, maxLength: 128 }),
      encoding: fc.constantFrom<VectorEncoding>('float32', 'float16', 'int8'),
      computeMs: fc.double({ min: 0, max: 1e4, noNaN: true }),
      hostMs: fc.double({ min: 0, max: 1e4, noNaN: true }),
    })
    .map(({ requestId, values, encoding, computeMs, hostMs }): Message => ({
      v: PROTOCOL_VERSION,
      type: 'result',
      requestId,
      vector: packVector(Float32Array.from(values), encoding),
      computeMs,
      hostMs,
    })),
  fc.record({ v: fc.constant(PROTOCOL_VERSION), type: fc.constant('heartbeat' as const), seq: fc.nat(), reply: fc.boolean() }),
  fc.record(
    {
      v: fc.constant(PROTOCOL_VERSION),
      type: fc.constant('error' as const),
      code: fc.constantFrom('E_AUTH_FAILED', 'E_BAD_MESSAGE', 'E_SOMETHING_ELSE'),
      message: fc.string({ maxLength: 100 }),
      requestId: fc.nat(),
    },
    { requiredKeys: ['v', 'type', 'code', 'message'] },
  ),
  fc.record({ v: fc.constant(PROTOCOL_VERSION), type: fc.constant('bye' as const), reason: fc.string({ maxLength: 100 }) }),
  fc.record({ requestId: fc.nat(), messageId: fc.nat(), values: fc.array(float32, { maxLength: 64 }) }).map(({ requestId, messageId, values }): Message => ({
    v: PROTOCOL_VERSION,
    type: 'band',
    requestId,
    messageId,
    data: new Uint8Array(Float32Array.from(values).buffer),
  })),
);
