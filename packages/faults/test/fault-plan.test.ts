import fc from 'fast-check';
import { parseFault, planFault, flapOutages, type FaultAction } from '../src/index';
import { DEVICES, faultInput } from './arbitraries';

/** What the cluster looks like to the launcher: the state every action changes. */
class ClusterModel {
  crashed = new Set<string>();
  paused = new Set<string>();
  slow = new Map<string, number>();
  stages = new Set<string>();

  apply(action: FaultAction): void {
    switch (action.op) {
      case 'crash':
        this.crashed.add(action.device);
        break;
      case 'restore':
        this.crashed.delete(action.device);
        break;
      case 'pause':
        this.paused.add(action.device);
        break;
      case 'resume':
        this.paused.delete(action.device);
        break;
      case 'restart':
        break;
      case 'slow':
        if (action.factor === 1) this.slow.delete(action.device);
        else this.slow.set(action.device, action.factor);
        break;
      case 'add-stage':
        this.stages.add(`${action.link ?? '*'}/${action.stage.name}`);
        break;
      case 'remove-stage':
        this.stages.delete(`${action.link ?? '*'}/${action.name}`);
        break;
    }
  }

  get clean(): boolean {
    return this.crashed.size + this.paused.size + this.slow.size + this.stages.size === 0;
  }
}

const options = { devices: DEVICES };

describe('planFault', () => {
  it('leaves nothing behind once a fault with a duration has run all its steps', () => {
    fc.assert(
      fc.property(faultInput({ withDuration: true }), fc.integer(), (input, seed) => {
        const fault = parseFault(input, options);
        const plan = planFault(fault, { seed });
        const model = new ClusterModel();
        for (const step of plan.steps) step.actions.forEach((a) => model.apply(a));
        expect(model.clean).toBe(true);
        expect(plan.steps[0].offsetMs).toBe(0);
        expect(plan.steps[plan.steps.length - 1].offsetMs).toBe((fault.end as { durationMs: number }).durationMs);
      }),
      { numRuns: 300 },
    );
  });

  it('clears every fault from any point of its plan with its clear actions', () => {
    fc.assert(
      fc.property(faultInput(), fc.integer(), fc.nat(), (input, seed, cut) => {
        const plan = planFault(parseFault(input, options), { seed });
        const model = new ClusterModel();
        const upTo = cut % (plan.steps.length + 1);
        for (const step of plan.steps.slice(0, upTo)) step.actions.forEach((a) => model.apply(a));
        plan.clear.forEach((a) => model.apply(a));
        expect(model.clean).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same plan for the same seed, with steps in non-decreasing offset order', () => {
    fc.assert(
      fc.property(faultInput(), fc.integer(), (input, seed) => {
        const fault = parseFault(input, options);
        const plan = planFault(fault, { seed });
        expect(planFault(fault, { seed })).toEqual(plan);
        for (let i = 1; i < plan.steps.length; i += 1) expect(plan.steps[i].offsetMs).toBeGreaterThanOrEqual(plan.steps[i - 1].offsetMs);
      }),
      { numRuns: 200 },
    );
  });

  it('names the stages of a degradation after the fault and applies them to every target', () => {
    const plan = planFault(
      parseFault({ id: 'sweat', kind: 'degrade', target: ['device-1', 'device-2'], loss: 0.2, rateFactor: 0.5, durationMs: 100 }, options),
      { seed: 1 },
    );
    expect(plan.steps[0].actions).toEqual([
      { op: 'add-stage', link: 'device-1', stage: { name: 'sweat.loss', type: 'loss', direction: 'both', attributes: { probability: 0.2 } } },
      { op: 'add-stage', link: 'device-1', stage: { name: 'sweat.rate', type: 'rate', direction: 'both', attributes: { factor: 0.5 } } },
      { op: 'add-stage', link: 'device-2', stage: { name: 'sweat.loss', type: 'loss', direction: 'both', attributes: { probability: 0.2 } } },
      { op: 'add-stage', link: 'device-2', stage: { name: 'sweat.rate', type: 'rate', direction: 'both', attributes: { factor: 0.5 } } },
    ]);
    expect(plan.steps[1]).toMatchObject({ offsetMs: 100 });
  });

  it('puts medium-wide noise on no particular link', () => {
    const plan = planFault(parseFault({ id: 'n', kind: 'noise', burst: { goodMeanMs: 50, badMeanMs: 5 } }, options), { seed: 1 });
    expect(plan.steps).toEqual([
      {
        offsetMs: 0,
        actions: [
          {
            op: 'add-stage',
            link: null,
            stage: { name: 'n.burst', type: 'burst', direction: 'both', attributes: { goodMeanMs: 50, badMeanMs: 5, lossInGood: 0, lossInBad: 1 } },
          },
        ],
      },
    ]);
    expect(plan.clear).toEqual([{ op: 'remove-stage', link: null, name: 'n.burst' }]);
  });
});

describe('flapOutages', () => {
  it('draws disjoint, ordered, non-empty outages inside the window, the first at 0, the same for the same seed', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.double({ min: 1, max: 5000, noNaN: true }),
        fc.double({ min: 1, max: 300, noNaN: true }),
        fc.double({ min: 1, max: 300, noNaN: true }),
        (seed, durationMs, upMeanMs, downMeanMs) => {
          const outages = flapOutages({ id: 'f', seed, durationMs, upMeanMs, downMeanMs });
          expect(flapOutages({ id: 'f', seed, durationMs, upMeanMs, downMeanMs })).toEqual(outages);
          expect(outages[0].startMs).toBe(0);
          for (const [i, o] of outages.entries()) {
            expect(o.endMs).toBeGreaterThan(o.startMs);
            expect(o.endMs).toBeLessThanOrEqual(durationMs);
            if (i > 0) expect(o.startMs).toBeGreaterThan(outages[i - 1].endMs);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('spends about downMean / (up + down) of a long window down', () => {
    const outages = flapOutages({ id: 'long', seed: 4, durationMs: 1e6, upMeanMs: 300, downMeanMs: 100 });
    const down = outages.reduce((sum, o) => sum + o.endMs - o.startMs, 0);
    expect(down / 1e6).toBeGreaterThan(0.22);
    expect(down / 1e6).toBeLessThan(0.28);
  });

  it('refuses a flap that would expand beyond maxOutages with E_FAULT_INVALID', () => {
    expect(() => flapOutages({ id: 'x', seed: 1, durationMs: 1e6, upMeanMs: 1, downMeanMs: 1, maxOutages: 100 })).toThrow(
      expect.objectContaining({ code: 'E_FAULT_INVALID' }),
    );
  });
});
