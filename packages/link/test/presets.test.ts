import { LINK_PRESETS, attemptTimeMs, resolveLinkConfig, roundBound, BodyTimeline } from '../src/index';

describe('link presets', () => {
  it('takes about 107 ms for one round of 255-byte frames from 8 devices at 164 kbit/s (DESIGN.md section 4)', () => {
    const link = LINK_PRESETS['hbc-164k'];
    expect(8 * attemptTimeMs(link, 246)).toBeGreaterThan(100);
    expect(8 * attemptTimeMs(link, 246)).toBeLessThan(110);
  });

  it('merges nested overrides field by field and removes bursts with null', () => {
    const link = resolveLinkConfig({ preset: 'walking', overrides: { burst: { lossInBad: 0.5 }, maxRetries: 1 } });
    expect(link.burst).toEqual({ ...LINK_PRESETS.walking.burst, lossInBad: 0.5 });
    expect(link.maxRetries).toBe(1);
    expect(resolveLinkConfig({ preset: 'walking', overrides: { burst: null } }).burst).toBeNull();
  });

  it('rejects an unknown preset with E_UNKNOWN_PRESET', () => {
    expect(() => resolveLinkConfig({ preset: 'wifi' })).toThrow(expect.objectContaining({ code: 'E_UNKNOWN_PRESET' }));
  });

  it('names the offending field of a bad override', () => {
    expect(() => resolveLinkConfig({ overrides: { lossProbability: 1.5 } })).toThrow(/^lossProbability must be in \[0, 1\]/);
    expect(() => resolveLinkConfig({ overrides: { burst: { badMeanMs: -1 } } })).toThrow(/^burst\.badMeanMs must be positive/);
    expect(() => resolveLinkConfig({ overrides: { burst: { fadeMs: 3 } as never } })).toThrow(/^burst\.fadeMs is not a field/);
    expect(() => resolveLinkConfig({ overrides: { speed: 3 } as never })).toThrow(/^speed is not an overridable link field/);
  });
});

describe('roundBound', () => {
  it('matches the timeline on a lossless medium when the hub sends all requests first', () => {
    const link = resolveLinkConfig({ preset: 'hbc-1m3', overrides: { lossProbability: 0 } });
    const down = [3100, 3100, 3100, 40];
    const compute = [47, 5, 20, 1];
    const up = [160, 300, 160, 1000];
    const bound = roundBound({ link, downlinkBytes: down, computeMs: compute, uplinkBytes: up });
    const timeline = new BodyTimeline({ link, seed: 1 });
    const arrivals: number[] = [];
    const ready: { device: number; at: number }[] = [];
    down.forEach((bytes, i) => {
      timeline.addLink(`d${i}`);
      const r = timeline.transmit({ linkId: `d${i}`, direction: 'downlink', payloadBytes: bytes, readyAtMs: 0 });
      ready.push({ device: i, at: r.atMs + compute[i] });
    });
    ready.sort((a, b) => a.at - b.at);
    for (const { device, at } of ready)
      arrivals[device] = timeline.transmit({ linkId: `d${device}`, direction: 'uplink', payloadBytes: up[device], readyAtMs: at }).atMs;
    arrivals.forEach((ms, i) => expect(ms).toBeCloseTo(bound.arrivalMs[i], 9));
    expect(bound.roundMs).toBeCloseTo(Math.max(...arrivals), 9);
  });
});
