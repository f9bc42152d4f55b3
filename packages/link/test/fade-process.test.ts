import fc from 'fast-check';
import {
  BodyTimeline,
  FadeProcess,
  createStream,
  durationCdf,
  durationQuantile,
  fadeDistributions,
  ksDistance,
  ksDistanceToCdf,
  resolveLinkConfig,
  runSelftest,
  sampleDuration,
  scaleLoss,
  type FadeConfig,
  type FadePeriod,
} from '../src/index';

const lognormalFade: FadeConfig = { distribution: 'lognormal', fadeMeanMs: 80, fadeSigma: 0.8, clearMeanMs: 900, clearSigma: 1, lossInFade: 1, lossInClear: 0 };

function periodsOf(config: FadeConfig, seed: number, untilMs: number): FadePeriod[] {
  const periods: FadePeriod[] = [];
  const process = new FadeProcess(config, createStream(seed, 'f'), 0, (p) => periods.push(p));
  process.stateAt(untilMs);
  return periods.slice(1); // the first period is a residual, not a full draw
}

describe('FadeProcess', () => {
  it('draws fade and non-fade durations from the configured distributions (one-sample KS below 0.05 over 2000 periods)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom<FadeConfig['distribution']>('lognormal', 'exponential'), (seed, distribution) => {
        const config = { ...lognormalFade, distribution };
        const periods = periodsOf(config, seed, 2000 * (config.fadeMeanMs + config.clearMeanMs));
        const { fade, clear } = fadeDistributions(config);
        const fades = periods.filter((p) => p.state === 'bad').map((p) => p.durationMs);
        const clears = periods.filter((p) => p.state === 'good').map((p) => p.durationMs);
        expect(fades.length).toBeGreaterThan(1500);
        expect(ksDistanceToCdf(fades, (x) => durationCdf(fade, x))).toBeLessThan(0.05);
        expect(ksDistanceToCdf(clears, (x) => durationCdf(clear, x))).toBeLessThan(0.05);
      }),
      { numRuns: 10 },
    );
  });

  it('spends about fadeMean / (fadeMean + clearMean) of the time in a fade, from the first millisecond (stationary start)', () => {
    let inFade = 0;
    const starts = 4000;
    for (let seed = 0; seed < starts; seed += 1) if (new FadeProcess(lognormalFade, createStream(seed, 's')).stateAt(0) === 'bad') inFade += 1;
    const expected = 80 / 980;
    expect(Math.abs(inFade / starts - expected)).toBeLessThan(0.015);
    const process = new FadeProcess(lognormalFade, createStream(9, 't'));
    let bad = 0;
    const samples = 400000;
    for (let i = 0; i < samples; i += 1) if (process.stateAt(i * 5) === 'bad') bad += 1;
    expect(Math.abs(bad / samples - expected)).toBeLessThan(0.01);
  });

  it('gives the same state at a time however often it was queried before', () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(fc.double({ min: 0, max: 20000, noNaN: true }), { minLength: 1, maxLength: 30 }), (seed, times) => {
        const sparse = new FadeProcess(lognormalFade, createStream(seed, 'c'));
        const dense = new FadeProcess(lognormalFade, createStream(seed, 'c'));
        for (const t of [...times].sort((a, b) => a - b)) {
          for (let u = 0; u < t; u += 37) dense.stateAt(u);
          expect(dense.stateAt(t)).toBe(sparse.stateAt(t));
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe('duration distributions', () => {
  it('inverts the CDF with the quantile', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.double({ min: 0.1, max: 1e4, noNaN: true }),
        fc.double({ min: 0.05, max: 2, noNaN: true }),
        (p, meanMs, sigma) => {
          for (const kind of ['lognormal', 'exponential'] as const) {
            const d = { kind, meanMs, sigma };
            expect(durationCdf(d, durationQuantile(d, p))).toBeCloseTo(p, 5);
          }
        },
      ),
    );
  });

  it('has the configured mean', () => {
    const d = { kind: 'lognormal' as const, meanMs: 200, sigma: 0.6 };
    const stream = createStream(3, 'm');
    let sum = 0;
    const n = 200000;
    for (let i = 0; i < n; i += 1) sum += sampleDuration(d, stream);
    expect(sum / n).toBeGreaterThan(196);
    expect(sum / n).toBeLessThan(204);
  });
});

describe('fade stages and presets', () => {
  it('fades every link at once under a body-wide fade (the links see the same fade periods)', () => {
    const link = resolveLinkConfig({ preset: 'hbc-1m3', overrides: { lossProbability: 0 } });
    const timeline = new BodyTimeline({ link, seed: 4 });
    timeline.addLink('wrist');
    timeline.addLink('chest');
    timeline.addMediumStage({ type: 'fade', attributes: { fadeMeanMs: 50, clearMeanMs: 200, lossInFade: 1 } });
    const lost: Record<string, boolean[]> = { wrist: [], chest: [] };
    for (let i = 0; i < 4000; i += 1) {
      for (const id of ['wrist', 'chest']) lost[id].push(!timeline.transmit({ linkId: id, direction: 'uplink', payloadBytes: 10, readyAtMs: i * 5 }).delivered);
    }
    const both = lost.wrist.filter((l, i) => l && lost.chest[i]).length;
    const either = lost.wrist.filter((l, i) => l || lost.chest[i]).length;
    expect(either).toBeGreaterThan(300);
    expect(both / either).toBeGreaterThan(0.85);
  });

  it('fades links independently under per-link fade stages of the same attributes', () => {
    const link = resolveLinkConfig({ preset: 'hbc-1m3', overrides: { lossProbability: 0 } });
    const timeline = new BodyTimeline({ link, seed: 4 });
    for (const id of ['wrist', 'chest']) {
      timeline.addLink(id);
      timeline.addStage(id, { type: 'fade', attributes: { fadeMeanMs: 50, clearMeanMs: 200, lossInFade: 1 } });
    }
    const lost: Record<string, boolean[]> = { wrist: [], chest: [] };
    for (let i = 0; i < 4000; i += 1) {
      for (const id of ['wrist', 'chest']) lost[id].push(!timeline.transmit({ linkId: id, direction: 'uplink', payloadBytes: 10, readyAtMs: i * 5 }).delivered);
    }
    const both = lost.wrist.filter((l, i) => l && lost.chest[i]).length;
    const either = lost.wrist.filter((l, i) => l || lost.chest[i]).length;
    expect(both / either).toBeLessThan(0.3);
  });

  it('rejects a fade stage without positive mean durations with E_INVALID_STAGE naming the attribute', () => {
    const timeline = new BodyTimeline({ link: resolveLinkConfig({}), seed: 1 });
    timeline.addLink('d');
    expect(() => timeline.addStage('d', { type: 'fade', attributes: { fadeMeanMs: 0, clearMeanMs: 10 } })).toThrow(
      expect.objectContaining({ code: 'E_INVALID_STAGE', message: expect.stringMatching(/fadeMeanMs/) }),
    );
    expect(() => timeline.addStage('d', { type: 'fade', attributes: { fadeMeanMs: 5, clearMeanMs: 10, distribution: 'weibull' } })).toThrow(
      expect.objectContaining({ code: 'E_INVALID_STAGE', message: expect.stringMatching(/distribution/) }),
    );
  });

  it('merges fade overrides field by field and names a bad fade field', () => {
    const link = resolveLinkConfig({ preset: 'hbc-walking', overrides: { fade: { lossInFade: 0.5 } } });
    expect(link.fade).toMatchObject({ lossInFade: 0.5, fadeMeanMs: 80 });
    expect(() => resolveLinkConfig({ preset: 'hbc-walking', overrides: { bodyFade: { fadeSigma: -1 } } })).toThrow(/^bodyFade\.fadeSigma must not be negative/);
  });

  it('measures the two-sample KS distance of identical samples as 0 and of disjoint ones as 1', () => {
    expect(ksDistance([1, 2, 2, 3], [3, 2, 1, 2])).toBe(0);
    expect(ksDistance([1, 2], [5, 6])).toBe(1);
  });
});

describe('body positions and the path-loss table', () => {
  it('makes a wrist link lose more than a chest link under the same body-wide fade, by the Rayleigh outage scaling', () => {
    const link = resolveLinkConfig({ preset: 'hbc-walking', overrides: { pathLoss: { devices: { c: 'chest', w: 'wrist' } } } });
    const report = runSelftest({ link, seed: 2, links: ['c', 'w'], frames: 100000, probesPerLink: 10 });
    const [chest, wrist] = report.perLink;
    expect(wrist.configuredLoss).toBeGreaterThan(chest.configuredLoss * 1.2);
    expect(wrist.measuredLoss).toBeGreaterThan(chest.measuredLoss);
    expect(Math.abs(report.goodput.relativeError)).toBeLessThan(0.02);
  });

  it('scales a loss probability as a Rayleigh outage: 0 dB keeps it, 10 dB more turns 1 - q into 1 - q^10', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (p) => {
        expect(scaleLoss(p, 0)).toBe(p);
        expect(scaleLoss(p, 10)).toBeCloseTo(1 - (1 - p) ** 10, 12);
        expect(scaleLoss(p, 3)).toBeGreaterThanOrEqual(p);
        expect(scaleLoss(p, -3)).toBeLessThanOrEqual(p);
      }),
    );
  });

  it('rejects a device position without a pair in the table, naming the device', () => {
    expect(() => resolveLinkConfig({ preset: 'hbc-walking', overrides: { pathLoss: { devices: { d: 'knee' } } } })).toThrow(
      /^pathLoss\.devices\.d: no pair waist-knee/,
    );
  });
});
