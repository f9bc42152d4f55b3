import fc from 'fast-check';
import { LINK_PRESET_NAMES, resolveLinkConfig, runSelftest, selftestChecks } from '../src/index';

describe('runSelftest', () => {
  it('measures goodput within 2 % of the analytic rate and burst and gap lengths within KS 0.05 for every preset', () => {
    for (const preset of LINK_PRESET_NAMES) {
      const report = runSelftest({ link: resolveLinkConfig({ preset }), seed: 3, frames: 40000, links: ['a', 'b', 'c', 'd'], probesPerLink: 50 });
      expect({ preset, goodput: Math.abs(report.goodput.relativeError) < 0.02 }).toEqual({ preset, goodput: true });
      expect({ preset, bursts: report.bursts.ks <= Math.max(0.05, report.bursts.ksCritical) }).toEqual({ preset, bursts: true });
      expect({ preset, gaps: report.gaps.ks <= Math.max(0.05, report.gaps.ksCritical) }).toEqual({ preset, gaps: true });
    }
  });

  it('converges the measured frame loss to the configured one (within 4 standard errors)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 30 }),
        fc.constantFrom('hbc-walking', 'hbc-walking-harsh', 'onbody-2g4-walking', 'walking'),
        (seed, preset) => {
          const report = runSelftest({ link: resolveLinkConfig({ preset }), seed, frames: 40000, probesPerLink: 10 });
          expect(Math.abs(report.loss.measured - report.loss.configured)).toBeLessThan(4 * report.loss.standardError + 1e-3);
        },
      ),
      { numRuns: 8 },
    );
  });

  it('gives the same report for the same seed', () => {
    const link = resolveLinkConfig({ preset: 'hbc-walking' });
    expect(runSelftest({ link, seed: 9, frames: 5000, probesPerLink: 20 })).toEqual(runSelftest({ link, seed: 9, frames: 5000, probesPerLink: 20 }));
  });

  it('produces outages over 125 ms and over 10 % frame loss on the harsh walking preset', () => {
    const report = runSelftest({ link: resolveLinkConfig({ preset: 'hbc-walking-harsh' }), seed: 1, frames: 40000, probesPerLink: 10 });
    expect(report.loss.measured).toBeGreaterThan(0.1);
    expect(report.outages.over125Ms).toBeGreaterThan(0);
  });

  it('fails the loss check when the measured loss is off by more than the tolerance', () => {
    const report = runSelftest({
      link: resolveLinkConfig({ preset: 'hbc-1m3', overrides: { lossProbability: 0.05 } }),
      seed: 2,
      frames: 20000,
      probesPerLink: 20,
    });
    const tampered = { ...report, loss: { ...report.loss, relativeError: 0.1 } };
    expect(selftestChecks(tampered).find((c) => c.name === 'mean frame loss')?.pass).toBe(false);
    expect(selftestChecks(report, { lossRelative: 0.2 }).find((c) => c.name === 'mean frame loss')?.pass).toBe(true);
  });
});
