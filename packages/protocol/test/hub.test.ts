import fc from 'fast-check';
import { decodeHubMessage, decodeTimedFrame, encodeMessage, encodeTimedFrame, msgpackCodec, ProtocolError, type HubMessage } from '../src/index';

const stats = { payloadBytes: 10, frames: 1, attempts: 2, retries: 1, lostFrames: 1, dataBits: 4000, ackBits: 144, airtimeMs: 3.5, queuedMs: 0.25, readyAtMs: 100, endAtMs: 104 };

describe('hub messages', () => {
  it('round-trips an uplink with its transfer stats', () => {
    const message: HubMessage = { v: 1, type: 'uplink', deviceId: 'device-0', atMs: 104, payload: new Uint8Array([1, 2, 3]), stats };
    const decoded = decodeHubMessage(encodeMessage(message));
    expect(decoded).toEqual({ ...message, payload: expect.any(Uint8Array) });
    expect(Array.from((decoded as { payload: Uint8Array }).payload)).toEqual([1, 2, 3]);
  });

  it('rejects a downlink report with negative airtime with E_INVALID_MESSAGE naming the field', () => {
    const bytes = msgpackCodec.encode({ v: 1, type: 'downlink-report', deviceId: 'd', seq: 1, delivered: true, atMs: 0, stats: { ...stats, airtimeMs: -1 } });
    expect(() => decodeHubMessage(bytes)).toThrow(expect.objectContaining({ code: 'E_INVALID_MESSAGE', path: 'stats.airtimeMs' }));
  });

  it('never lets random bytes crash the hub decoder', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          decodeHubMessage(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(ProtocolError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('timed frames', () => {
  it('round-trips the modelled time and the payload', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.uint8Array({ maxLength: 100 }), (atMs, payload) => {
        const frame = decodeTimedFrame(encodeTimedFrame({ atMs, payload }));
        expect(Object.is(frame.atMs, atMs) || frame.atMs === atMs).toBe(true);
        expect(Array.from(frame.payload)).toEqual(Array.from(payload));
      }),
    );
  });

  it('rejects a frame shorter than its header with E_INVALID_FRAME', () => {
    expect(() => decodeTimedFrame(new Uint8Array(7))).toThrow(expect.objectContaining({ code: 'E_INVALID_FRAME' }));
  });

  it('rejects a frame whose time is NaN with E_INVALID_FRAME', () => {
    expect(() => decodeTimedFrame(encodeTimedFrame({ atMs: NaN, payload: new Uint8Array(1) }))).toThrow(expect.objectContaining({ code: 'E_INVALID_FRAME' }));
  });
});
