import fc from 'fast-check';
import { faultInput as inputOf, parseFault, patchFault, planFault, FaultError, type FaultSpec } from '../src/index';
import { DEVICES, faultInput } from './arbitraries';

const options = { devices: DEVICES };

function errorOf(fn: () => unknown): { code: string; path: (string | number)[] } {
  try {
    fn();
  } catch (err) {
    const e = err as FaultError;
    return { code: e.code, path: e.path };
  }
  throw new Error('expected an error');
}

describe('new fault kinds', () => {
  it('parses latency and bandwidth faults with their defaults', () => {
    expect(parseFault({ kind: 'latency', target: 'device-1', latencyMs: 20 }, options)).toMatchObject({
      kind: 'latency',
      latencyMs: 20,
      jitterMs: 0,
      direction: 'both',
    });
    expect(parseFault({ kind: 'bandwidth', target: 'device-1', rateBps: 8000, direction: 'uplink', toxicity: 0.5 }, options)).toMatchObject({
      kind: 'bandwidth',
      rateBps: 8000,
      direction: 'uplink',
      toxicity: 0.5,
    });
  });

  it('refuses a jitter above the latency, a missing or zero rate, a toxicity outside [0, 1] or on a device fault, with E_FAULT_INVALID naming the field', () => {
    const cases: [unknown, (string | number)[]][] = [
      [{ kind: 'latency', target: 'device-0', latencyMs: 5, jitterMs: 6 }, ['jitterMs']],
      [{ kind: 'latency', target: 'device-0' }, ['latencyMs']],
      [{ kind: 'latency', target: 'device-0', latencyMs: -1 }, ['latencyMs']],
      [{ kind: 'bandwidth', target: 'device-0' }, ['rateBps']],
      [{ kind: 'bandwidth', target: 'device-0', rateBps: 0 }, ['rateBps']],
      [{ kind: 'degrade', target: 'device-0', loss: 0.1, toxicity: 1.5 }, ['toxicity']],
      [{ kind: 'crash', target: 'device-0', toxicity: 0.5 }, ['toxicity']],
    ];
    for (const [input, path] of cases) expect(errorOf(() => parseFault(input, options))).toEqual({ code: 'E_FAULT_INVALID', path });
  });

  it('plans a latency or bandwidth fault as one stage per target named after the fault, with its toxicity and the fault as the group', () => {
    const latency = planFault(
      parseFault({ id: 'lag', kind: 'latency', target: ['device-0', 'device-2'], latencyMs: 30, jitterMs: 5, toxicity: 0.4 }, options),
      {
        seed: 1,
      },
    );
    expect(latency.steps[0].actions).toEqual(
      ['device-0', 'device-2'].map((link) => ({
        op: 'add-stage',
        link,
        stage: { name: 'lag', type: 'latency', direction: 'both', attributes: { latencyMs: 30, jitterMs: 5 }, toxicity: 0.4, group: 'lag' },
      })),
    );
    expect(latency.clear).toEqual(['device-0', 'device-2'].map((link) => ({ op: 'remove-stage', link, name: 'lag' })));
    const cap = planFault(parseFault({ id: 'cap', kind: 'bandwidth', target: 'device-1', rateBps: 1e4, direction: 'downlink' }, options), { seed: 1 });
    expect(cap.steps[0].actions).toEqual([
      { op: 'add-stage', link: 'device-1', stage: { name: 'cap', type: 'bandwidth', direction: 'downlink', attributes: { rateBps: 1e4 } } },
    ]);
  });

  it('gives every stage of a toxic degradation the same group, so the fault hits a message as a whole', () => {
    const plan = planFault(parseFault({ id: 'd', kind: 'degrade', target: 'device-0', loss: 0.1, rateFactor: 0.5, toxicity: 0.3 }, options), { seed: 1 });
    const stages = plan.steps[0].actions.map((a) => (a.op === 'add-stage' ? a.stage : null));
    expect(stages.map((s) => [s?.name, s?.toxicity, s?.group])).toEqual([
      ['d.loss', 0.3, 'd'],
      ['d.rate', 0.3, 'd'],
    ]);
  });
});

describe('patchFault', () => {
  const latency = parseFault({ id: 'lag', kind: 'latency', target: 'device-0', latencyMs: 30, afterRequests: 4, forRequests: 2 }, options);

  it('changes the given fields and keeps identity and timing', () => {
    const patched = patchFault(latency, { latencyMs: 50, jitterMs: 10, toxicity: 0.5 });
    expect(patched).toEqual({ ...latency, latencyMs: 50, jitterMs: 10, toxicity: 0.5 });
  });

  it('puts a field set to null back to its default, or drops that part of a degradation', () => {
    expect(patchFault({ ...latency, toxicity: 0.5 } as FaultSpec, { toxicity: null })).toEqual(latency);
    const degrade = parseFault({ id: 'd', kind: 'degrade', target: 'device-0', loss: 0.1, rateFactor: 0.5 }, options);
    expect(patchFault(degrade, { loss: null })).toEqual({ ...parseFault({ id: 'd', kind: 'degrade', target: 'device-0', rateFactor: 0.5 }, options) });
  });

  it('refuses a change of identity or timing, a field of another kind, an empty patch and an invalid value, with E_FAULT_INVALID naming the field', () => {
    expect(errorOf(() => patchFault(latency, { target: 'device-1' }))).toEqual({ code: 'E_FAULT_INVALID', path: ['target'] });
    expect(errorOf(() => patchFault(latency, { durationMs: 5 }))).toEqual({ code: 'E_FAULT_INVALID', path: ['durationMs'] });
    expect(errorOf(() => patchFault(latency, { loss: 0.1 }))).toEqual({ code: 'E_FAULT_INVALID', path: ['loss'] });
    expect(errorOf(() => patchFault(latency, {}))).toEqual({ code: 'E_FAULT_INVALID', path: [] });
    expect(errorOf(() => patchFault(latency, { jitterMs: 31 }))).toEqual({ code: 'E_FAULT_INVALID', path: ['jitterMs'] });
    const flap = parseFault({ kind: 'flap', target: 'device-0', durationMs: 100, upMeanMs: 10, downMeanMs: 10 }, options);
    expect(errorOf(() => patchFault(flap, { upMeanMs: 5 }))).toEqual({ code: 'E_FAULT_INVALID', path: ['upMeanMs'] });
  });

  it('round-trips every valid fault through its flat input', () => {
    fc.assert(
      fc.property(faultInput(), (input) => {
        const spec = parseFault(input, options);
        expect(parseFault(inputOf(spec), options)).toEqual(spec);
      }),
      { numRuns: 300 },
    );
  });
});
