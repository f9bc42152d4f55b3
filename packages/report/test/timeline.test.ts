import { ALL_FUSED, DEADLINE_MISSED, SOME_MISSING, timelineChart, type TimelineRequest } from '../src/index';
import { at, rows } from './spec-at';

const requests: TimelineRequest[] = [
  { startMs: 1000, latencyMs: 100, fused: 4, deadlineMissed: false },
  { startMs: 1200, latencyMs: 150, fused: 3, deadlineMissed: true },
  { startMs: 1400, latencyMs: 120, fused: 3, deadlineMissed: false },
];

describe('timelineChart', () => {
  it('plots latency and vectors fused against modelled seconds, coloured by outcome', () => {
    const spec = timelineChart({ devices: 4, requests });
    const top = at(spec, 'vconcat', 0, 'layer') as unknown[];
    expect(top).toHaveLength(1);
    expect(rows(top, 0)).toEqual([
      { timeS: 1, latencyMs: 100, fused: 4, outcome: ALL_FUSED },
      { timeS: 1.2, latencyMs: 150, fused: 3, outcome: DEADLINE_MISSED },
      { timeS: 1.4, latencyMs: 120, fused: 3, outcome: SOME_MISSING },
    ]);
    expect(at(spec, 'vconcat', 1, 'layer', 0, 'encoding', 'y', 'axis', 'values')).toEqual([0, 1, 2, 3, 4]);
  });

  it('shades and labels each fault period and stretches the time axis over it', () => {
    const spec = timelineChart({ devices: 4, requests, faults: [{ startMs: 500, endMs: 3000, kind: 'device-down', target: 'device-2' }] });
    const top = at(spec, 'vconcat', 0, 'layer') as unknown[];
    expect(top).toHaveLength(3);
    expect(rows(top, 0)).toEqual([{ startS: 0.5, endS: 3, kind: 'device-down', target: 'device-2', label: 'device-down device-2' }]);
    expect(at(top, 0, 'mark', 'type')).toBe('rect');
    expect(at(top, 2, 'encoding', 'x', 'scale', 'domain')).toEqual([0.5, 3]);
    expect((at(spec, 'vconcat', 1, 'layer') as unknown[]).length).toBe(3);
  });

  it('draws the deadline as a labelled rule and the per-request analytic bound as a line on the latency panel', () => {
    const bounded = requests.map((r, i) => (i === 0 ? { ...r, boundMs: 90 } : r));
    const top = at(timelineChart({ devices: 4, requests: bounded, deadlineMs: 150, boundMs: 80 }), 'vconcat', 0, 'layer') as unknown[];
    expect(top).toHaveLength(5);
    expect(at(top, 1, 'mark', 'type')).toBe('rule');
    expect(rows(top, 1)).toEqual([{ y: 150 }]);
    expect(rows(top, 2)).toEqual([{ timeS: 1.4, y: 150, text: 'deadline 150 ms' }]);
    expect(at(top, 3, 'mark', 'type')).toBe('line');
    expect(rows(top, 3)).toEqual([{ timeS: 1, latencyMs: 100, fused: 4, outcome: ALL_FUSED, boundMs: 90 }]);
    expect(rows(top, 4)[0].text).toBe('analytic bound');
  });

  it("falls back to the run's bound as a rule when no request carries its own", () => {
    const top = at(timelineChart({ devices: 4, requests, boundMs: 80 }), 'vconcat', 0, 'layer') as unknown[];
    expect(top).toHaveLength(3);
    expect(rows(top, 1)).toEqual([{ y: 80 }]);
    expect(rows(top, 2)[0].text).toBe('analytic bound 80.0 ms');
    expect(() => timelineChart({ devices: 4, requests, deadlineMs: -1 })).toThrow(new RangeError('deadlineMs must be >= 0, got -1'));
  });

  it('draws at most maxPoints requests, evenly spaced, always the first and the last', () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({ startMs: i * 10, latencyMs: 1, fused: 1, deadlineMissed: false }));
    const drawn = rows(at(timelineChart({ devices: 1, requests: many, maxPoints: 11 }), 'vconcat', 0, 'layer', 0));
    // ranks round(j * 999 / 10) = 0, 100, 200, 300, 400, 500, 599, 699, 799, 899, 999
    expect(drawn.map((r) => r.timeS)).toEqual([0, 1, 2, 3, 4, 5, 5.99, 6.99, 7.99, 8.99, 9.99]);
  });

  it('rejects more vectors fused than devices and a fault that ends before it starts', () => {
    expect(() => timelineChart({ devices: 2, requests: [{ startMs: 0, latencyMs: 1, fused: 3, deadlineMissed: false }] })).toThrow(
      new RangeError('requests[0].fused must be <= devices (2), got 3'),
    );
    expect(() => timelineChart({ devices: 2, requests: [], faults: [{ startMs: 5, endMs: 4, kind: 'k', target: 't' }] })).toThrow(
      /faults\[0\]\.endMs must be >= startMs/,
    );
    expect(() => timelineChart({ devices: 0, requests: [] })).toThrow(/devices must be a positive integer/);
  });
});
