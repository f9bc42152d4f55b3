import { BodyTimeline, resolveLinkConfig, type Direction, type StageSpec, type TransmitResult } from '../src/index';

/** A lossless hbc-1m3 link (or one with `maxRetries` retries), so that only the stages under test act. */
const clean = (maxRetries = 3) =>
  resolveLinkConfig({ preset: 'hbc-1m3', overrides: { lossProbability: 0, burst: null, fade: null, bodyFade: null, maxRetries } });

interface Message {
  linkId?: string;
  direction?: Direction;
  payloadBytes?: number;
  readyAtMs: number;
}

/** Sends `messages` through a fresh timeline with `stages` on link `d0` (seed 7 unless given); returns the outcomes. */
function send(stages: StageSpec[], messages: Message[], options: { seed?: number; maxRetries?: number } = {}): TransmitResult[] {
  const timeline = new BodyTimeline({ link: clean(options.maxRetries), seed: options.seed ?? 7 });
  timeline.addLink('d0');
  timeline.addLink('d1');
  for (const stage of stages) timeline.addStage('d0', stage);
  return messages.map((m) =>
    timeline.transmit({ linkId: m.linkId ?? 'd0', direction: m.direction ?? 'uplink', payloadBytes: m.payloadBytes ?? 100, readyAtMs: m.readyAtMs }),
  );
}

/** `n` messages of `payloadBytes`, one every `gapMs` from 0 (gaps wide enough that the medium is idle for each). */
const spaced = (n: number, gapMs: number, extra: Partial<Message> = {}): Message[] => Array.from({ length: n }, (_, i) => ({ readyAtMs: i * gapMs, ...extra }));

/** Modelled delay each message gained from the stages: its delivery against the same traffic on the same link without them. */
function measuredDelays(stages: StageSpec[], messages: Message[]): number[] {
  const plain = send([], messages);
  return send(stages, messages).map((r, i) => r.atMs - plain[i].atMs);
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const dropped = (results: TransmitResult[]): number => results.filter((r) => !r.delivered).length / results.length;

describe('latency stage', () => {
  it('delays each uplink message by latencyMs plus jitter uniform in ±jitterMs (measured mean within 1 ms), leaving the downlink alone', () => {
    const stage: StageSpec = { type: 'latency', name: 'lat', direction: 'uplink', attributes: { latencyMs: 40, jitterMs: 10 } };
    const delays = measuredDelays([stage], spaced(4000, 100));
    expect(Math.abs(mean(delays) - 40)).toBeLessThan(1);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(30);
    expect(Math.max(...delays)).toBeLessThanOrEqual(50);
    // The jitter is spread over its range, not a constant.
    expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(19);
    const down = measuredDelays([stage], spaced(200, 100, { direction: 'downlink' }));
    expect(Math.max(...down.map(Math.abs))).toBe(0);
  });

  it('keeps a link in message order: a message jittered early is not delivered before the one ahead of it', () => {
    const results = send([{ type: 'latency', attributes: { latencyMs: 50, jitterMs: 50 } }], spaced(500, 1));
    for (let i = 1; i < results.length; i += 1) expect(results[i].atMs).toBeGreaterThanOrEqual(results[i - 1].atMs);
  });

  it('refuses jitterMs above latencyMs with E_INVALID_STAGE', () => {
    expect(() => send([{ type: 'latency', attributes: { latencyMs: 5, jitterMs: 6 } }], [])).toThrow(expect.objectContaining({ code: 'E_INVALID_STAGE' }));
  });
});

describe('bandwidth stage', () => {
  it('caps the payload goodput of a saturated link at rateBps (measured within 2 %), in modelled time', () => {
    const rateBps = 20000;
    const results = send([{ type: 'bandwidth', direction: 'uplink', attributes: { rateBps } }], spaced(200, 0, { payloadBytes: 1000 }));
    const bits = 200 * 1000 * 8;
    const measuredBps = bits / (Math.max(...results.map((r) => r.atMs)) / 1000);
    expect(Math.abs(measuredBps - rateBps) / rateBps).toBeLessThan(0.02);
    // Without the cap the same traffic goes at the medium's rate, far above it.
    const plain = send([], spaced(200, 0, { payloadBytes: 1000 }));
    expect(bits / (Math.max(...plain.map((r) => r.atMs)) / 1000)).toBeGreaterThan(10 * rateBps);
  });

  it('delivers one message no earlier than its payload takes at the cap, and does not hold the medium for the other links', () => {
    const results = send(
      [{ type: 'bandwidth', attributes: { rateBps: 8000 } }],
      [
        { readyAtMs: 0, payloadBytes: 1000 },
        { readyAtMs: 0, payloadBytes: 1000, linkId: 'd1' },
      ],
    );
    expect(results[0].atMs).toBeCloseTo(1000, 6);
    const plain = send(
      [],
      [
        { readyAtMs: 0, payloadBytes: 1000 },
        { readyAtMs: 0, payloadBytes: 1000, linkId: 'd1' },
      ],
    );
    expect(results[1].atMs).toBe(plain[1].atMs);
    expect(results[1].delayMs).toBe(0);
  });
});

describe('toxicity', () => {
  it('applies a down stage to that fraction of messages (measured within 2 %), every frame of a message or none', () => {
    const results = send([{ type: 'down', toxicity: 0.3 }], spaced(20000, 50, { payloadBytes: 600 }));
    expect(Math.abs(dropped(results) - 0.3) / 0.3).toBeLessThan(0.02);
    // A message the stage hit loses all its frames (no retries would help); the others none.
    for (const r of results) expect(r.stats.lostFrames === 0 || !r.delivered).toBe(true);
  });

  it('delays that fraction of messages by the whole latency (measured within 2 %)', () => {
    const delays = measuredDelays([{ type: 'latency', toxicity: 0.25, attributes: { latencyMs: 30 } }], spaced(20000, 100));
    const hit = delays.filter((d) => Math.abs(d - 30) < 1e-9).length / delays.length;
    expect(delays.every((d) => Math.abs(d) < 1e-9 || Math.abs(d - 30) < 1e-9)).toBe(true);
    expect(Math.abs(hit - 0.25) / 0.25).toBeLessThan(0.02);
  });

  it('picks the same messages for the same seed and other messages for another seed', () => {
    const pick = (seed: number) =>
      send([{ type: 'down', toxicity: 0.5 }], spaced(200, 50), { seed })
        .map((r, i) => (r.delivered ? -1 : i))
        .filter((i) => i >= 0);
    expect(pick(3)).toEqual(pick(3));
    expect(pick(3)).not.toEqual(pick(4));
  });

  it('calls a link with a down stage that hits only some messages degraded, not down', () => {
    const timeline = new BodyTimeline({ link: clean(), seed: 1 });
    timeline.addLink('d0');
    timeline.addStage('d0', { type: 'down', name: 'some', toxicity: 0.5 });
    expect(timeline.linkState('d0')).toBe('degraded');
    timeline.addStage('d0', { type: 'down', name: 'all' });
    expect(timeline.linkState('d0')).toBe('down');
  });

  it('refuses a toxicity outside [0, 1] with E_INVALID_STAGE', () => {
    expect(() => send([{ type: 'down', toxicity: 1.5 }], [])).toThrow(expect.objectContaining({ code: 'E_INVALID_STAGE' }));
  });
});

describe('stacked stages on one link', () => {
  it('add two latencies', () => {
    const delays = measuredDelays(
      [
        { type: 'latency', name: 'a', attributes: { latencyMs: 10 } },
        { type: 'latency', name: 'b', attributes: { latencyMs: 15 } },
      ],
      spaced(100, 100),
    );
    for (const d of delays) expect(d).toBeCloseTo(25, 9);
  });

  it('keep the lowest of two bandwidth caps', () => {
    const results = send(
      [
        { type: 'bandwidth', name: 'a', attributes: { rateBps: 40000 } },
        { type: 'bandwidth', name: 'b', attributes: { rateBps: 16000 } },
      ],
      spaced(100, 0, { payloadBytes: 1000 }),
    );
    const measuredBps = (100 * 8000) / (Math.max(...results.map((r) => r.atMs)) / 1000);
    expect(Math.abs(measuredBps - 16000) / 16000).toBeLessThan(0.02);
  });

  it('combine two losses as independent events, 1 - (1 - a)(1 - b) (measured within 2 %)', () => {
    const results = send(
      [
        { type: 'loss', name: 'a', attributes: { probability: 0.2 } },
        { type: 'loss', name: 'b', attributes: { probability: 0.3 } },
      ],
      spaced(50000, 5, { payloadBytes: 100 }),
      { maxRetries: 0 },
    );
    const expected = 1 - 0.8 * 0.7;
    expect(Math.abs(dropped(results) - expected) / expected).toBeLessThan(0.02);
  });
});

describe('toxicity groups', () => {
  it('make the stages of one group apply to the same messages, and stages of different groups to independent ones', () => {
    const both = (groups: [string | undefined, string | undefined]) => {
      const results = send(
        [
          { type: 'latency', name: 'f.lat', group: groups[0], toxicity: 0.5, attributes: { latencyMs: 10 } },
          { type: 'latency', name: 'f.lat2', group: groups[1], toxicity: 0.5, attributes: { latencyMs: 100 } },
        ],
        spaced(4000, 500),
      );
      const plain = send([], spaced(4000, 500));
      const delays = results.map((r, i) => Math.round(r.atMs - plain[i].atMs));
      return {
        none: delays.filter((d) => d === 0).length,
        one: delays.filter((d) => d === 10 || d === 100).length,
        all: delays.filter((d) => d === 110).length,
      };
    };
    const grouped = both(['f', 'f']);
    expect(grouped.one).toBe(0);
    expect(grouped.all).toBeGreaterThan(1800);
    const apart = both([undefined, undefined]);
    // Independent draws: about half of the messages get exactly one of the two.
    expect(apart.one).toBeGreaterThan(1800);
  });
});
