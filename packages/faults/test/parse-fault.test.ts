import fc from 'fast-check';
import { parseFault, parseFaults, FaultError } from '../src/index';
import { DEVICES, faultInput } from './arbitraries';

const options = { devices: DEVICES };

function reasonOf(fn: () => unknown): { code: string; path: string } {
  try {
    fn();
  } catch (err) {
    const e = err as FaultError;
    return { code: e.code, path: e.message.split(':')[0] };
  }
  throw new Error('expected an error');
}

describe('parseFault', () => {
  it('accepts every well-formed fault and keeps its kind, targets, start and end', () => {
    fc.assert(
      fc.property(faultInput(), (input) => {
        const fault = parseFault(input, options);
        expect(fault.kind).toBe(input.kind);
        const targets = input.target === undefined ? [] : Array.isArray(input.target) ? input.target : [input.target];
        expect(fault.targets).toEqual(targets);
        if (input.afterRequests !== undefined) expect(fault.start).toEqual({ afterRequests: input.afterRequests });
        else expect(fault.start).toEqual({ atMs: input.atMs ?? 0 });
        if (input.durationMs !== undefined) expect(fault.end).toEqual({ durationMs: input.durationMs });
        else if (input.forRequests !== undefined) expect(fault.end).toEqual({ forRequests: input.forRequests });
        else expect(fault.end).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it('rejects a fault with an unknown kind, an unknown device or a stray key with E_FAULT_INVALID naming the field', () => {
    expect(reasonOf(() => parseFault({ kind: 'meteor', target: 'device-0' }, options))).toEqual({ code: 'E_FAULT_INVALID', path: 'kind' });
    expect(reasonOf(() => parseFault({ kind: 'crash', target: 'device-9' }, options))).toEqual({ code: 'E_FAULT_INVALID', path: 'target' });
    expect(reasonOf(() => parseFault({ kind: 'crash', target: ['device-0', 'device-7'] }, options))).toEqual({ code: 'E_FAULT_INVALID', path: 'target[1]' });
    expect(reasonOf(() => parseFault({ kind: 'crash', target: 'device-0', factor: 2 }, options))).toEqual({ code: 'E_FAULT_INVALID', path: 'factor' });
    expect(reasonOf(() => parseFault({ kind: 'crash' }, options))).toEqual({ code: 'E_FAULT_INVALID', path: 'target' });
  });

  it('rejects contradictory or impossible timing: both start forms, both end forms, a timed restart, a flap without a duration', () => {
    expect(reasonOf(() => parseFault({ kind: 'pause', target: 'device-0', atMs: 1, afterRequests: 2 }, options)).path).toBe('afterRequests');
    expect(reasonOf(() => parseFault({ kind: 'pause', target: 'device-0', durationMs: 1, forRequests: 2 }, options)).path).toBe('forRequests');
    expect(reasonOf(() => parseFault({ kind: 'restart', target: 'device-0', durationMs: 10 }, options)).path).toBe('durationMs');
    expect(reasonOf(() => parseFault({ kind: 'flap', target: 'device-0', upMeanMs: 5, downMeanMs: 5 }, options)).path).toBe('durationMs');
    expect(reasonOf(() => parseFault({ kind: 'link-down', target: 'device-0', durationMs: 0 }, options)).path).toBe('durationMs');
  });

  it('rejects out-of-range degradation parameters and a degradation that does nothing', () => {
    expect(reasonOf(() => parseFault({ kind: 'degrade', target: 'device-1', loss: 1.5 }, options)).path).toBe('loss');
    expect(reasonOf(() => parseFault({ kind: 'degrade', target: 'device-1', rateFactor: 0 }, options)).path).toBe('rateFactor');
    expect(reasonOf(() => parseFault({ kind: 'noise', burst: { goodMeanMs: 10 } }, options)).path).toBe('burst.badMeanMs');
    expect(reasonOf(() => parseFault({ kind: 'degrade', target: 'device-1' }, options)).path).toBe('kind');
    expect(reasonOf(() => parseFault({ kind: 'noise', target: 'device-1', loss: 0.1 }, options)).path).toBe('target');
    expect(reasonOf(() => parseFault({ kind: 'slow', target: 'device-1', factor: 0.5 }, options)).path).toBe('factor');
  });

  it('fills the burst defaults (no loss between fades, total loss during one)', () => {
    const fault = parseFault({ kind: 'noise', burst: { goodMeanMs: 100, badMeanMs: 20 } }, options);
    expect(fault).toMatchObject({ kind: 'noise', targets: [], direction: 'both', burst: { goodMeanMs: 100, badMeanMs: 20, lossInGood: 0, lossInBad: 1 } });
  });
});

describe('parseFaults', () => {
  it('gives default ids from kind and index, keeps explicit ids, and refuses a repeated id at its index', () => {
    const faults = parseFaults(
      [
        { kind: 'crash', target: 'device-0' },
        { id: 'cut', kind: 'link-down', target: 'device-1' },
        { kind: 'crash', target: 'device-2' },
      ],
      options,
    );
    expect(faults.map((f) => f.id)).toEqual(['crash-0', 'cut', 'crash-2']);
    expect(
      reasonOf(() =>
        parseFaults(
          [
            { id: 'a', kind: 'crash', target: 'device-0' },
            { id: 'a', kind: 'pause', target: 'device-1' },
          ],
          options,
        ),
      ).path,
    ).toBe('[1].id');
    expect(parseFaults(undefined, options)).toEqual([]);
  });

  it('gives every fault of a valid list a distinct id', () => {
    fc.assert(
      fc.property(fc.array(faultInput(), { maxLength: 8 }), (inputs) => {
        const ids = parseFaults(inputs, options).map((f) => f.id);
        expect(new Set(ids).size).toBe(ids.length);
      }),
    );
  });
});
