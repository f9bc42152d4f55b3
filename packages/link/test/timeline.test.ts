import fc from 'fast-check';
import {
  BodyTimeline,
  idleTransfer,
  resolveLinkConfig,
  saturatedGoodputBps,
  LINK_PRESET_NAMES,
  type AttemptRecord,
  type Direction,
  type LinkConfig,
  type TransmitResult,
} from '../src/index';

const presetName = fc.constantFrom(...LINK_PRESET_NAMES);
const lossyLink: fc.Arbitrary<LinkConfig> = fc
  .record({
    preset: presetName,
    lossProbability: fc.double({ min: 0, max: 0.6, noNaN: true }),
    maxRetries: fc.integer({ min: 0, max: 5 }),
    burst: fc.option(
      fc.record({
        goodMeanMs: fc.double({ min: 1, max: 500, noNaN: true }),
        badMeanMs: fc.double({ min: 1, max: 200, noNaN: true }),
        lossInGood: fc.double({ min: 0, max: 0.2, noNaN: true }),
        lossInBad: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
    ),
  })
  .map(({ preset, ...overrides }) => resolveLinkConfig({ preset, overrides }));

const message = fc.record({
  link: fc.integer({ min: 0, max: 7 }),
  direction: fc.constantFrom<Direction>('uplink', 'downlink'),
  payloadBytes: fc.integer({ min: 0, max: 4000 }),
  gapMs: fc.double({ min: 0, max: 50, noNaN: true }),
});
const workload = fc.array(message, { minLength: 1, maxLength: 40 });

function run(link: LinkConfig, seed: number, messages: { link: number; direction: Direction; payloadBytes: number; gapMs: number }[]) {
  const attempts: AttemptRecord[] = [];
  const timeline = new BodyTimeline({ link, seed, onAttempt: (record) => attempts.push(record) });
  for (let i = 0; i < 8; i += 1) timeline.addLink(`device-${i}`);
  let readyAt = 0;
  const results: TransmitResult[] = [];
  for (const m of messages) {
    readyAt += m.gapMs;
    results.push(timeline.transmit({ linkId: `device-${m.link}`, direction: m.direction, payloadBytes: m.payloadBytes, readyAtMs: readyAt }));
  }
  return { timeline, attempts, results };
}

describe('BodyTimeline properties', () => {
  it('never delivers goodput above the PHY rate, nor above the saturated goodput bound', () => {
    fc.assert(
      fc.property(lossyLink, fc.integer(), workload, (link, seed, messages) => {
        const { results } = run(link, seed, messages);
        const first = Math.min(...results.map((r) => r.stats.readyAtMs + r.stats.queuedMs));
        const last = Math.max(...results.map((r) => r.stats.endAtMs));
        const bits = results.filter((r) => r.delivered).reduce((sum, r) => sum + r.stats.payloadBytes * 8, 0);
        const seconds = (last - first) / 1000;
        expect(bits).toBeLessThanOrEqual(link.phyRateBps * seconds * (1 + 1e-9));
        expect(bits).toBeLessThanOrEqual(saturatedGoodputBps(link) * seconds * (1 + 1e-9));
      }),
      { numRuns: 200 },
    );
  });

  it('delivers every message, each frame at its first attempt, when there is no loss', () => {
    fc.assert(
      fc.property(presetName, fc.integer(), workload, (preset, seed, messages) => {
        const link = resolveLinkConfig({ preset, overrides: { lossProbability: 0, burst: null, fade: null, bodyFade: null } });
        const { results } = run(link, seed, messages);
        for (const result of results) {
          expect(result.delivered).toBe(true);
          expect(result.stats.attempts).toBe(result.stats.frames);
          expect(result.stats.lostFrames).toBe(0);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('loses a message only when one of its frames has exhausted its retries', () => {
    fc.assert(
      fc.property(lossyLink, fc.integer(), workload, (link, seed, messages) => {
        const { attempts, results } = run(link, seed, messages);
        let cursor = 0;
        for (const result of results) {
          const mine = attempts.slice(cursor, cursor + result.stats.attempts);
          cursor += result.stats.attempts;
          const byFrame = new Map<number, AttemptRecord[]>();
          for (const a of mine) byFrame.set(a.frame, [...(byFrame.get(a.frame) ?? []), a]);
          const frames = [...byFrame.values()];
          for (const list of frames.slice(0, -1)) {
            expect(list[list.length - 1].lost).toBe(false);
            expect(list.length).toBeLessThanOrEqual(link.maxRetries + 1);
          }
          const lastFrame = frames[frames.length - 1];
          const exhausted = lastFrame.length === link.maxRetries + 1 && lastFrame.every((a) => a.lost);
          expect(result.delivered).toBe(!exhausted);
          expect(lastFrame.length).toBeLessThanOrEqual(link.maxRetries + 1);
          if (result.delivered) expect(byFrame.size).toBe(result.stats.frames);
        }
        expect(cursor).toBe(attempts.length);
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same trace for the same seed and the same messages', () => {
    fc.assert(
      fc.property(lossyLink, fc.integer(), workload, (link, seed, messages) => {
        const a = run(link, seed, messages);
        const b = run(link, seed, messages);
        expect(b.attempts).toEqual(a.attempts);
        expect(b.results).toEqual(a.results);
      }),
      { numRuns: 100 },
    );
  });

  it('never overlaps two attempts on the shared medium and never starts a message before it is ready', () => {
    fc.assert(
      fc.property(lossyLink, fc.integer(), workload, (link, seed, messages) => {
        const { attempts, results } = run(link, seed, messages);
        for (let i = 1; i < attempts.length; i += 1) expect(attempts[i].startMs).toBeGreaterThanOrEqual(attempts[i - 1].endMs - 1e-9);
        for (const r of results) expect(r.stats.queuedMs).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 200 },
    );
  });

  it('delivers a lone lossless message exactly at the analytic idle transfer time', () => {
    fc.assert(
      fc.property(presetName, fc.integer({ min: 0, max: 20000 }), fc.double({ min: 0, max: 1e6, noNaN: true }), (preset, bytes, readyAtMs) => {
        const link = resolveLinkConfig({ preset, overrides: { lossProbability: 0, burst: null, fade: null, bodyFade: null, backoff: null } });
        const timeline = new BodyTimeline({ link, seed: 1 });
        timeline.addLink('d');
        const result = timeline.transmit({ linkId: 'd', direction: 'uplink', payloadBytes: bytes, readyAtMs });
        const idle = idleTransfer(link, bytes);
        expect(result.atMs - readyAtMs).toBeCloseTo(idle.deliveryMs, 6);
        expect(result.stats.endAtMs - readyAtMs).toBeCloseTo(idle.occupancyMs, 6);
        expect(result.stats.frames).toBe(idle.frames);
      }),
    );
  });
});

describe('BodyTimeline stages and link state', () => {
  const link = resolveLinkConfig({ preset: 'hbc-1m3', overrides: { lossProbability: 0 } });

  it('drops every message on a link with a down stage and reports the link down', () => {
    const timeline = new BodyTimeline({ link, seed: 3 });
    timeline.addLink('a');
    timeline.addLink('b');
    timeline.addStage('a', { type: 'down' });
    expect(timeline.linkState('a')).toBe('down');
    expect(timeline.linkState('b')).toBe('up');
    const lost = timeline.transmit({ linkId: 'a', direction: 'uplink', payloadBytes: 100, readyAtMs: 0 });
    expect(lost.delivered).toBe(false);
    expect(lost.stats.attempts).toBe(link.maxRetries + 1);
    expect(timeline.transmit({ linkId: 'b', direction: 'uplink', payloadBytes: 100, readyAtMs: 0 }).delivered).toBe(true);
    expect(timeline.removeStage('a', 'down')).toBe(true);
    expect(timeline.linkState('a')).toBe('up');
    expect(timeline.transmit({ linkId: 'a', direction: 'uplink', payloadBytes: 100, readyAtMs: 0 }).delivered).toBe(true);
  });

  it('marks a link with a one-direction down stage as degraded and only loses that direction', () => {
    const timeline = new BodyTimeline({ link, seed: 3 });
    timeline.addLink('a');
    timeline.addStage('a', { type: 'down', direction: 'uplink' });
    expect(timeline.linkState('a')).toBe('degraded');
    expect(timeline.transmit({ linkId: 'a', direction: 'uplink', payloadBytes: 10, readyAtMs: 0 }).delivered).toBe(false);
    expect(timeline.transmit({ linkId: 'a', direction: 'downlink', payloadBytes: 10, readyAtMs: 0 }).delivered).toBe(true);
  });

  it('doubles the data airtime of a frame under a rate stage with factor 0.5', () => {
    const slow = new BodyTimeline({ link, seed: 3 });
    slow.addLink('a');
    slow.addStage('a', { type: 'rate', attributes: { factor: 0.5 } });
    expect(slow.linkState('a')).toBe('degraded');
    const fast = new BodyTimeline({ link, seed: 3 });
    fast.addLink('a');
    const slowMs = slow.transmit({ linkId: 'a', direction: 'uplink', payloadBytes: 246, readyAtMs: 0 }).atMs - link.phyOverheadMs;
    const fastMs = fast.transmit({ linkId: 'a', direction: 'uplink', payloadBytes: 246, readyAtMs: 0 }).atMs - link.phyOverheadMs;
    expect(slowMs / fastMs).toBeCloseTo(2, 9);
  });

  it('loses about the configured fraction of attempts under a loss stage', () => {
    const timeline = new BodyTimeline({ link: { ...link, maxRetries: 0 }, seed: 11 });
    timeline.addLink('a');
    timeline.addStage('a', { type: 'loss', attributes: { probability: 0.3 } });
    let dropped = 0;
    for (let i = 0; i < 5000; i += 1) if (!timeline.transmit({ linkId: 'a', direction: 'uplink', payloadBytes: 10, readyAtMs: 0 }).delivered) dropped += 1;
    expect(dropped / 5000).toBeGreaterThan(0.27);
    expect(dropped / 5000).toBeLessThan(0.33);
  });

  it('rejects an unknown stage type with E_UNKNOWN_STAGE and bad attributes with E_INVALID_STAGE', () => {
    const timeline = new BodyTimeline({ link, seed: 3 });
    timeline.addLink('a');
    expect(() => timeline.addStage('a', { type: 'teleport' })).toThrow(expect.objectContaining({ code: 'E_UNKNOWN_STAGE' }));
    expect(() => timeline.addStage('a', { type: 'loss', attributes: { probability: 2 } })).toThrow(expect.objectContaining({ code: 'E_INVALID_STAGE' }));
  });

  it('rejects a transmit on an unknown link with E_UNKNOWN_LINK', () => {
    const timeline = new BodyTimeline({ link, seed: 3 });
    expect(() => timeline.transmit({ linkId: 'x', direction: 'uplink', payloadBytes: 1, readyAtMs: 0 })).toThrow(
      expect.objectContaining({ code: 'E_UNKNOWN_LINK' }),
    );
  });
});

describe('BodyTimeline medium-wide stages and stateful stages', () => {
  const link = resolveLinkConfig({ preset: 'hbc-1m3', overrides: { lossProbability: 0, maxRetries: 0 } });

  it('applies a medium-wide stage to every link, including links added after it, until it is removed', () => {
    const timeline = new BodyTimeline({ link, seed: 3 });
    timeline.addLink('a');
    timeline.addMediumStage({ name: 'noise', type: 'down' });
    timeline.addLink('b');
    expect(timeline.mediumStages().map((s) => s.name)).toEqual(['noise']);
    expect(timeline.linkState('a')).toBe('down');
    expect(timeline.stages('a')).toEqual([]);
    for (const linkId of ['a', 'b']) expect(timeline.transmit({ linkId, direction: 'uplink', payloadBytes: 10, readyAtMs: 0 }).delivered).toBe(false);
    expect(timeline.removeMediumStage('noise')).toBe(true);
    expect(timeline.removeMediumStage('noise')).toBe(false);
    expect(timeline.linkState('b')).toBe('up');
    for (const linkId of ['a', 'b']) expect(timeline.transmit({ linkId, direction: 'uplink', payloadBytes: 10, readyAtMs: 0 }).delivered).toBe(true);
  });

  it('combines a medium-wide loss with a link loss as independent events', () => {
    const timeline = new BodyTimeline({ link, seed: 17 });
    timeline.addLink('a');
    timeline.addMediumStage({ type: 'loss', attributes: { probability: 0.2 } });
    timeline.addStage('a', { type: 'loss', attributes: { probability: 0.25 } });
    let dropped = 0;
    const n = 8000;
    for (let i = 0; i < n; i += 1) if (!timeline.transmit({ linkId: 'a', direction: 'uplink', payloadBytes: 10, readyAtMs: 0 }).delivered) dropped += 1;
    // 1 - 0.8 * 0.75 = 0.4
    expect(dropped / n).toBeGreaterThan(0.37);
    expect(dropped / n).toBeLessThan(0.43);
  });

  it('loses frames under a burst stage only while its fade lasts, about the bad-time fraction of the time', () => {
    const timeline = new BodyTimeline({ link, seed: 5 });
    timeline.addLink('a');
    timeline.addStage('a', { type: 'burst', attributes: { goodMeanMs: 30, badMeanMs: 10 } }, 0);
    let dropped = 0;
    let runs = 0;
    let previousLost = false;
    const n = 20000;
    for (let i = 0; i < n; i += 1) {
      const lost = !timeline.transmit({ linkId: 'a', direction: 'uplink', payloadBytes: 10, readyAtMs: i }).delivered;
      if (lost) dropped += 1;
      if (lost && !previousLost) runs += 1;
      previousLost = lost;
    }
    expect(dropped / n).toBeGreaterThan(0.2);
    expect(dropped / n).toBeLessThan(0.3);
    // Losses come in runs (fades of ~10 ms at one message per ms), not one by one.
    expect(dropped / runs).toBeGreaterThan(5);
  });

  it('replays the same burst losses for the same seed, link and stage name', () => {
    const trace = (seed: number): boolean[] => {
      const timeline = new BodyTimeline({ link, seed });
      timeline.addLink('a');
      timeline.addStage('a', { name: 'fade', type: 'burst', attributes: { goodMeanMs: 20, badMeanMs: 20, lossInBad: 0.9 } }, 0);
      return Array.from({ length: 500 }, (_, i) => timeline.transmit({ linkId: 'a', direction: 'uplink', payloadBytes: 10, readyAtMs: i }).delivered);
    };
    expect(trace(9)).toEqual(trace(9));
    expect(trace(9)).not.toEqual(trace(10));
  });

  it('rejects a burst stage without positive holding times with E_INVALID_STAGE naming the attribute', () => {
    const timeline = new BodyTimeline({ link, seed: 3 });
    timeline.addLink('a');
    expect(() => timeline.addStage('a', { type: 'burst', attributes: { goodMeanMs: 0, badMeanMs: 5 } })).toThrow(/attributes\.goodMeanMs/);
    expect(() => timeline.addMediumStage({ type: 'burst', attributes: { goodMeanMs: 5 } })).toThrow(expect.objectContaining({ code: 'E_INVALID_STAGE' }));
  });
});
