import { hostLagChart } from '../src/index';
import { at, rows } from './spec-at';

describe('hostLagChart', () => {
  it("plots each request's host wall time at its modelled start beside a histogram of the same values", () => {
    const spec = hostLagChart({
      requests: [
        { startMs: 1000, hostMs: 20 },
        { startMs: 3000, hostMs: 400 },
      ],
    });
    expect(rows(spec)).toEqual([
      { timeS: 1, hostMs: 20 },
      { timeS: 3, hostMs: 400 },
    ]);
    expect(at(spec, 'hconcat', 0, 'encoding', 'y', 'field')).toBe('hostMs');
    expect(at(spec, 'hconcat', 1, 'encoding', 'y', 'bin')).toEqual({ maxbins: 20 });
    expect(at(spec, 'hconcat', 1, 'encoding', 'x', 'aggregate')).toBe('count');
  });

  it('rejects a negative or non-finite host time naming the request', () => {
    expect(() => hostLagChart({ requests: [{ startMs: 0, hostMs: -1 }] })).toThrow(new RangeError('requests[0].hostMs must be >= 0, got -1'));
    expect(() => hostLagChart({ requests: [{ startMs: NaN, hostMs: 1 }] })).toThrow(/requests\[0\].startMs must be a finite number/);
  });
});
