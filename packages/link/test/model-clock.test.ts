import { ModelClock } from '../src/index';

describe('ModelClock', () => {
  it('runs modelled time timeScale times faster than the host clock', () => {
    let host = 1000;
    const clock = new ModelClock({ epochMs: 1000, timeScale: 10, hostNowMs: () => host });
    expect(clock.nowMs()).toBe(0);
    host = 1050;
    expect(clock.nowMs()).toBe(500);
    expect(clock.realDelayUntilMs(600)).toBeCloseTo(10, 9);
    expect(clock.realDelayUntilMs(100)).toBe(0);
    expect(clock.toRealMs(200)).toBe(20);
  });

  it('rejects a non-positive timeScale naming the option', () => {
    expect(() => new ModelClock({ epochMs: 0, timeScale: 0 })).toThrow(/^timeScale must be a positive number/);
  });
});
