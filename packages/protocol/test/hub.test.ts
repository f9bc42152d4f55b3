import fc from 'fast-check';
import {
  DEFAULT_LIMITS,
  PROTOCOL_VERSION,
  decodeHubMessage,
  decodeTimedFrame,
  encodeHubMessage,
  encodeMessage,
  encodeTimedFrame,
  maxDeviceFrameBytes,
  maxHubFrameBytes,
  msgpackCodec,
  ProtocolError,
  PEER_FRAME_EXTRA_BYTES,
  type HubMessage,
} from '../src/index';

const stats = {
  payloadBytes: 10,
  frames: 1,
  attempts: 2,
  retries: 1,
  lostFrames: 1,
  dataBits: 4000,
  ackBits: 144,
  airtimeMs: 3.5,
  queuedMs: 0.25,
  readyAtMs: 100,
  endAtMs: 104,
};

describe('hub messages', () => {
  it('round-trips an uplink with its transfer stats', () => {
    const message: HubMessage = { v: 1, type: 'uplink', deviceId: 'device-0', atMs: 104, payload: new Uint8Array([1, 2, 3]), stats };
    const decoded = decodeHubMessage(encodeMessage(message));
    expect(decoded).toEqual({ ...message, payload: expect.any(Uint8Array) });
    expect(Array.from((decoded as { payload: Uint8Array }).payload)).toEqual([1, 2, 3]);
  });

  it('round-trips a peer report (a device-to-device transfer) with its receiver and stats', () => {
    const message: HubMessage = {
      v: 1,
      type: 'peer-report',
      deviceId: 'device-0',
      to: 'device-1',
      delivered: true,
      atMs: 104,
      stats,
      payload: new Uint8Array([7]),
    };
    expect(decodeHubMessage(encodeHubMessage(message))).toEqual({ ...message, payload: expect.any(Uint8Array) });
    expect(() => decodeHubMessage(msgpackCodec.encode({ ...message, to: '' }))).toThrow(expect.objectContaining({ code: 'E_INVALID_MESSAGE' }));
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

describe('frame limits', () => {
  it('fits the largest device message in a hub envelope, and the hub frame limit is the one both ends apply', () => {
    const limits = { ...DEFAULT_LIMITS, maxMessageBytes: 2048 };
    const payload = new Uint8Array(limits.maxMessageBytes);
    const stats = {
      payloadBytes: 1,
      frames: 1,
      attempts: 1,
      retries: 0,
      lostFrames: 0,
      dataBits: 1,
      ackBits: 1,
      airtimeMs: 1,
      queuedMs: 0,
      readyAtMs: 0,
      endAtMs: 1,
    };
    const encoded = encodeHubMessage({ v: PROTOCOL_VERSION, type: 'uplink-dropped', deviceId: 'd', atMs: 1, stats, payload }, { limits });
    expect(encoded.length).toBeLessThanOrEqual(maxHubFrameBytes(limits));
    expect(decodeHubMessage(encoded, { limits })).toMatchObject({ type: 'uplink-dropped', payload });
    expect(maxDeviceFrameBytes(limits)).toBe(limits.maxMessageBytes + 8 + PEER_FRAME_EXTRA_BYTES);
    expect(maxHubFrameBytes(limits)).toBeGreaterThan(maxDeviceFrameBytes(limits));
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

  it('rejects a payload larger than maxPayloadBytes with E_MESSAGE_TOO_LARGE', () => {
    const frame = encodeTimedFrame({ atMs: 1, payload: new Uint8Array(DEFAULT_LIMITS.maxMessageBytes + 1) });
    expect(() => decodeTimedFrame(frame, DEFAULT_LIMITS.maxMessageBytes)).toThrow(expect.objectContaining({ code: 'E_MESSAGE_TOO_LARGE' }));
    expect(decodeTimedFrame(frame.subarray(0, frame.length - 1), DEFAULT_LIMITS.maxMessageBytes).payload.length).toBe(DEFAULT_LIMITS.maxMessageBytes);
  });

  it('round-trips a peer-addressed frame with its receiver, and a plain frame has none', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_.-]{1,64}$/),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.uint8Array({ maxLength: 100 }),
        (to, atMs, payload) => {
          const frame = decodeTimedFrame(encodeTimedFrame({ atMs, payload, to }));
          expect(frame.to).toBe(to);
          expect(frame.atMs === atMs || Object.is(frame.atMs, atMs)).toBe(true);
          expect(Array.from(frame.payload)).toEqual(Array.from(payload));
          expect(decodeTimedFrame(encodeTimedFrame({ atMs, payload })).to).toBeUndefined();
        },
      ),
    );
  });

  it('refuses a receiver that is not a device id, and a truncated peer frame, with E_INVALID_FRAME', () => {
    expect(() => encodeTimedFrame({ atMs: 1, payload: new Uint8Array(1), to: '../hub' })).toThrow(expect.objectContaining({ code: 'E_INVALID_FRAME' }));
    const frame = encodeTimedFrame({ atMs: 1, payload: new Uint8Array(0), to: 'device-1' });
    expect(() => decodeTimedFrame(frame.subarray(0, frame.length - 1))).toThrow(expect.objectContaining({ code: 'E_INVALID_FRAME' }));
    expect(maxDeviceFrameBytes(DEFAULT_LIMITS)).toBeGreaterThanOrEqual(
      encodeTimedFrame({ atMs: 1, payload: new Uint8Array(0), to: 'd'.repeat(64) }).length + DEFAULT_LIMITS.maxMessageBytes,
    );
  });

  it('rejects a frame whose time is NaN with E_INVALID_FRAME', () => {
    expect(() => decodeTimedFrame(encodeTimedFrame({ atMs: NaN, payload: new Uint8Array(1) }))).toThrow(expect.objectContaining({ code: 'E_INVALID_FRAME' }));
  });
});
