import fc from 'fast-check';
import { decodeActivations, encodeActivations } from '@wearnet/partition';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

function withHeader(header: unknown, dataBytes: number, raw?: string): Uint8Array {
  const json = new TextEncoder().encode(raw ?? JSON.stringify(header));
  const offset = (8 + json.length + 3) & ~3;
  const bytes = new Uint8Array(offset + dataBytes);
  bytes.set([0x57, 0x4e, 0x41, 0x43]);
  new DataView(bytes.buffer).setUint32(4, json.length, true);
  bytes.set(json, 8);
  return bytes;
}

const header = { format: 'wearnet-activations', version: 1, images: 2, filters: 3, dtype: 'float32', layout: 'images-major' };

describe('encodeActivations / decodeActivations', () => {
  it('round-trips any float32 matrix and its provenance', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 6 })
          .chain((filters) =>
            fc.array(fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: filters, maxLength: filters }), { minLength: 1, maxLength: 8 }),
          ),
        fc.dictionary(fc.string(), fc.string()),
        (rows, source) => {
          const bytes = encodeActivations(rows, { source });
          const decoded = decodeActivations(bytes);
          expect(decoded.images).toBe(rows.length);
          expect(decoded.filters).toBe(rows[0]!.length);
          expect(Array.from(decoded.data)).toEqual(rows.flat());
          expect(decoded.header.source).toEqual(source);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('writes "WNAC", the header length, the JSON header and float32 data at a 4-byte-aligned offset', () => {
    const bytes = encodeActivations([[1.5, -2]]);
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('WNAC');
    const view = new DataView(bytes.buffer);
    const h = view.getUint32(4, true);
    expect(JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + h)))).toEqual({ ...header, images: 1, filters: 2 });
    const offset = (8 + h + 3) & ~3;
    expect(bytes.length).toBe(offset + 8);
    expect(view.getFloat32(offset, true)).toBe(1.5);
    expect(view.getFloat32(offset + 4, true)).toBe(-2);
  });

  it('reads a file whose bytes sit at an odd offset of a larger buffer', () => {
    const bytes = encodeActivations([[1, 2, 3]]);
    const big = new Uint8Array(bytes.length + 1);
    big.set(bytes, 1);
    expect(Array.from(decodeActivations(big.subarray(1)).data)).toEqual([1, 2, 3]);
  });

  it('rejects a bad magic, a short file, an oversized or truncated header with E_ACTIVATIONS_INVALID', () => {
    const good = encodeActivations([[1]]);
    const badMagic = good.slice();
    badMagic[0] = 0x58;
    expect(() => decodeActivations(badMagic)).toThrow(/bad magic/);
    expect(codeOf(() => decodeActivations(good.subarray(0, 6)))).toBe('E_ACTIVATIONS_INVALID');
    expect(() => decodeActivations(good, { maxHeaderBytes: 10 })).toThrow(
      expect.objectContaining({ code: 'E_ACTIVATIONS_INVALID', message: expect.stringContaining('maxHeaderBytes') }),
    );
    const truncated = good.slice(0, 20);
    expect(codeOf(() => decodeActivations(truncated))).toBe('E_ACTIVATIONS_INVALID');
  });

  it('rejects a header that is not JSON, or not version 1 of the format, with E_ACTIVATIONS_INVALID', () => {
    expect(() => decodeActivations(withHeader(null, 24, '{"format": '))).toThrow(
      expect.objectContaining({ code: 'E_ACTIVATIONS_INVALID', cause: expect.any(SyntaxError) }),
    );
    expect(codeOf(() => decodeActivations(withHeader({ ...header, version: 2 }, 24)))).toBe('E_ACTIVATIONS_INVALID');
    expect(codeOf(() => decodeActivations(withHeader({ ...header, dtype: 'float64' }, 24)))).toBe('E_ACTIVATIONS_INVALID');
    expect(codeOf(() => decodeActivations(withHeader({ ...header, images: -1 }, 24)))).toBe('E_ACTIVATIONS_INVALID');
  });

  it('names the expected and the actual byte count when the data length does not match the header', () => {
    const bytes = withHeader(header, 20);
    const expected = bytes.length + 4;
    expect(() => decodeActivations(bytes)).toThrow(new RegExp(`is ${bytes.length} bytes, expected ${expected}`));
  });

  it('rejects zero images or filters with E_EMPTY and NaN data with E_NON_FINITE', () => {
    expect(codeOf(() => decodeActivations(withHeader({ ...header, images: 0 }, 0)))).toBe('E_EMPTY');
    const bytes = withHeader(header, 24);
    const offset = bytes.length - 24;
    new DataView(bytes.buffer).setFloat32(offset + 8, NaN, true);
    expect(() => decodeActivations(bytes)).toThrow(expect.objectContaining({ code: 'E_NON_FINITE', message: expect.stringContaining('image 0, filter 2') }));
  });

  it('refuses to encode a value that overflows float32 with E_NON_FINITE', () => {
    expect(codeOf(() => encodeActivations([[1e39]]))).toBe('E_NON_FINITE');
  });
});
