import fc from 'fast-check';
import { checkSchedule, learningRateAt } from '../src/index';

describe('learning-rate schedules', () => {
  it('warms up linearly to the peak, then cosine-decays to the floor at the last step', () => {
    const s = { kind: 'cosine' as const, peak: 0.1, floor: 0.001, warmupSteps: 10, totalSteps: 110 };
    expect(learningRateAt(s, 0)).toBeCloseTo(0.01, 10);
    expect(learningRateAt(s, 9)).toBeCloseTo(0.1, 10);
    expect(learningRateAt(s, 10)).toBeCloseTo(0.1, 10);
    expect(learningRateAt(s, 60)).toBeCloseTo(0.0505, 10);
    expect(learningRateAt(s, 110)).toBeCloseTo(0.001, 10);
  });

  it('never exceeds the peak and never goes below the floor after warm-up', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 2000 }), (total, step) => {
        const s = { kind: 'cosine' as const, peak: 0.2, floor: 0.01, warmupSteps: 0, totalSteps: total };
        const lr = learningRateAt(s, step);
        expect(lr).toBeLessThanOrEqual(0.2 + 1e-12);
        expect(lr).toBeGreaterThanOrEqual(0.01 - 1e-12);
      }),
    );
  });

  it('multiplies by the factor at each milestone of a step schedule', () => {
    const s = { kind: 'step' as const, peak: 0.1, factor: 0.2, milestones: [5, 10] };
    expect(learningRateAt(s, 4)).toBeCloseTo(0.1);
    expect(learningRateAt(s, 5)).toBeCloseTo(0.02);
    expect(learningRateAt(s, 10)).toBeCloseTo(0.004);
  });

  it('rejects a warm-up as long as the run, naming the field', () => {
    expect(() => checkSchedule({ kind: 'cosine', peak: 0.1, warmupSteps: 5, totalSteps: 5 })).toThrow(/schedule.warmupSteps/);
  });
});
