import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { decodeHandshake, encodeHandshake, handshakeProof, verifyProof, msgpackCodec, controlCredential } from '../src/index';

const secret = new Uint8Array(Buffer.from('a-cluster-secret-of-32-bytes-0123'));

describe('handshake', () => {
  it('round-trips every handshake message', () => {
    const nonce = new Uint8Array(randomBytes(32));
    for (const message of [
      { v: 1, type: 'challenge', nonce, runId: 'run-1' },
      { v: 1, type: 'auth', role: 'device', id: 'device-3', proof: handshakeProof({ secret, role: 'device', id: 'device-3', runId: 'run-1', nonce }) },
      { v: 1, type: 'accepted', id: 'hub' },
      { v: 1, type: 'refused', code: 'E_AUTH_FAILED', message: 'wrong proof' },
    ] as const) {
      expect(decodeHandshake(encodeHandshake(message))).toEqual(message);
    }
  });

  it('accepts the proof over the same nonce, id, role and run id only', () => {
    const nonce = new Uint8Array(randomBytes(32));
    const input = { secret, role: 'device', id: 'device-1', runId: 'run-a', nonce } as const;
    const proof = handshakeProof(input);
    expect(verifyProof(input, proof)).toBe(true);
    expect(verifyProof({ ...input, nonce: new Uint8Array(randomBytes(32)) }, proof)).toBe(false);
    expect(verifyProof({ ...input, id: 'device-2' }, proof)).toBe(false);
    expect(verifyProof({ ...input, role: 'hub' }, proof)).toBe(false);
    expect(verifyProof({ ...input, runId: 'run-b' }, proof)).toBe(false);
    expect(verifyProof({ ...input, secret: new Uint8Array(Buffer.from('another-secret-of-enough-bytes!!')) }, proof)).toBe(false);
    expect(verifyProof(input, proof.subarray(0, 16))).toBe(false);
  });

  it('keeps fields apart: moving bytes between id and run id changes the proof', () => {
    const nonce = new Uint8Array(32);
    const a = handshakeProof({ secret, role: 'device', id: 'ab', runId: 'c', nonce });
    const b = handshakeProof({ secret, role: 'device', id: 'a', runId: 'bc', nonce });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('derives a control credential that is not the secret', () => {
    const credential = controlCredential(secret, 'run-1');
    expect(credential).toMatch(/^[0-9a-f]{64}$/);
    expect(credential).not.toContain(Buffer.from(secret).toString('hex'));
    expect(controlCredential(secret, 'run-2')).not.toBe(credential);
  });

  it('refuses a handshake frame over 1 KiB with E_MESSAGE_TOO_LARGE before decoding it', () => {
    expect(() => decodeHandshake(new Uint8Array(2000))).toThrow(expect.objectContaining({ code: 'E_MESSAGE_TOO_LARGE' }));
  });

  it('refuses a nonce or proof that is not 32 bytes', () => {
    const bytes = msgpackCodec.encode({ v: 1, type: 'auth', role: 'device', id: 'd', proof: new Uint8Array(31) });
    expect(() => decodeHandshake(bytes)).toThrow(expect.objectContaining({ code: 'E_INVALID_MESSAGE', path: 'proof' }));
  });

  it('decodes random bytes and random values to a handshake message or a coded error, never a crash', () => {
    const codes = ['E_MESSAGE_TOO_LARGE', 'E_DECODE_FAILED', 'E_INVALID_MESSAGE', 'E_UNSUPPORTED_VERSION', 'E_UNKNOWN_TYPE'];
    const check = (data: Uint8Array): void => {
      try {
        decodeHandshake(data);
      } catch (err) {
        expect(codes).toContain((err as { code?: string }).code);
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 1500 }), check));
    fc.assert(fc.property(fc.anything(), (value) => check(msgpackCodec.encode(value))));
  });
});
