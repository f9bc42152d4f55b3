import fc from 'fast-check';
import { decodeMessage, fromFloat16Bits, msgpackCodec, packVector, toFloat16Bits, unpackVector } from '../src/index';

const values = fc.array(fc.float({ noNaN: true, noDefaultInfinity: true, min: -1000, max: 1000 }), { maxLength: 200 });

describe('vector packing', () => {
  it('keeps every float32 bit with the float32 encoding', () => {
    fc.assert(
      fc.property(values, (list) => {
        const input = Float32Array.from(list);
        expect(Array.from(unpackVector(packVector(input, 'float32')))).toEqual(Array.from(input));
      }),
    );
  });

  it('keeps float16 within half a unit in the last place (relative 2^-11) for normal values', () => {
    fc.assert(
      fc.property(values, (list) => {
        const input = Float32Array.from(list);
        const output = unpackVector(packVector(input, 'float16'));
        input.forEach((x, i) => expect(Math.abs(output[i] - x)).toBeLessThanOrEqual(Math.max(Math.abs(x) * 2 ** -11, 2 ** -24)));
      }),
    );
  });

  it('keeps int8 within half a quantisation step of the input', () => {
    fc.assert(
      fc.property(values, (list) => {
        const input = Float32Array.from(list);
        const packed = packVector(input, 'int8');
        const output = unpackVector(packed);
        const step = packed.scale ?? 1;
        input.forEach((x, i) => expect(Math.abs(output[i] - x)).toBeLessThanOrEqual(step / 2 + 1e-6 * Math.abs(x)));
      }),
    );
  });

  it('uses 4, 2 and 1 bytes per element', () => {
    const input = new Float32Array(10);
    expect(packVector(input, 'float32').bytes.length).toBe(40);
    expect(packVector(input, 'float16').bytes.length).toBe(20);
    expect(packVector(input, 'int8').bytes.length).toBe(10);
  });

  it('converts float16 special values: infinity, zero, the largest finite value and subnormals', () => {
    expect(fromFloat16Bits(toFloat16Bits(Infinity))).toBe(Infinity);
    expect(fromFloat16Bits(toFloat16Bits(1e6))).toBe(Infinity);
    expect(fromFloat16Bits(toFloat16Bits(0))).toBe(0);
    expect(fromFloat16Bits(toFloat16Bits(65504))).toBe(65504);
    expect(fromFloat16Bits(toFloat16Bits(2 ** -24))).toBe(2 ** -24);
    expect(Number.isNaN(fromFloat16Bits(toFloat16Bits(NaN)))).toBe(true);
  });
});

describe('hostile vectors', () => {
  const result = (vector: Record<string, unknown>): Uint8Array => msgpackCodec.encode({ v: 1, type: 'result', requestId: 1, vector, computeMs: 1, hostMs: 1 });
  const f32 = (values: number[]): Uint8Array => new Uint8Array(Float32Array.from(values).buffer);

  it('refuses NaN and Infinity in a float32 vector with E_INVALID_MESSAGE naming the element', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      expect(() => decodeMessage(result({ encoding: 'float32', length: 3, bytes: f32([1, bad, 2]) }))).toThrow(
        expect.objectContaining({ code: 'E_INVALID_MESSAGE', path: 'vector.bytes[1]' }),
      );
    }
  });

  it('refuses a non-finite float16 element (0x7c00 is +Infinity)', () => {
    const bytes = new Uint8Array([0x00, 0x7c, 0x00, 0x3c]);
    expect(() => decodeMessage(result({ encoding: 'float16', length: 2, bytes }))).toThrow(
      expect.objectContaining({ code: 'E_INVALID_MESSAGE', path: 'vector.bytes[0]' }),
    );
  });

  it('refuses an int8 scale of 1e300, Infinity or NaN with E_INVALID_MESSAGE naming vector.scale', () => {
    for (const scale of [1e300, Infinity, NaN, -1]) {
      expect(() => decodeMessage(result({ encoding: 'int8', length: 2, bytes: new Uint8Array([127, 1]), scale }))).toThrow(
        expect.objectContaining({ code: 'E_INVALID_MESSAGE', path: 'vector.scale' }),
      );
    }
    expect(decodeMessage(result({ encoding: 'int8', length: 2, bytes: new Uint8Array([127, 1]), scale: 0.5 }))).toMatchObject({ type: 'result' });
  });
});
