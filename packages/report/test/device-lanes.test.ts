import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { RequestRecord } from '@wearnet/aggregator';
import { ARRIVED, LANE_DOWN, LATE, LOST, deviceLanes, deviceLanesChart, laneCounts, laneState, readRun } from '../src/index';
import { at, rows } from './spec-at';
import { writeSyntheticRun } from './synthetic-runs';

const record = (id: number, devices: RequestRecord['devices'], arrived: string[]): RequestRecord => ({
  ...{ id, sample: id, label: 1, prediction: 1, correct: true, startMs: 1000 + 100 * id, latencyMs: 50, deadlineMissed: arrived.length < 3 },
  ...{ arrived, devices, bytesDown: 0, bytesUp: 0, retries: 0, lostFrames: 0, hostMs: 5 },
});

const records: RequestRecord[] = [
  record(0, { a: { latencyMs: 10 }, b: { latencyMs: 12 }, c: { latencyMs: 9 } }, ['a', 'b', 'c']),
  record(1, { a: { latencyMs: 10 }, b: { missing: 'late' }, c: { missing: 'not-connected' } }, ['a']),
  record(2, { a: { missing: 'uplink-lost' }, b: { missing: 'downlink-lost' }, c: { missing: 'no-reply' } }, []),
  record(3, { a: { missing: 'error' }, b: { missing: 'cut' } }, []),
];

describe('device lanes', () => {
  it('maps every outcome of a record to arrived, late, lost / no reply or down', () => {
    expect(laneState({ latencyMs: 3 }, true)).toBe(ARRIVED);
    expect(laneState({ missing: 'late' }, false)).toBe(LATE);
    expect(laneState({ missing: 'not-connected' }, false)).toBe(LANE_DOWN);
    expect(laneState(undefined, false)).toBe(LANE_DOWN);
    for (const missing of ['downlink-lost', 'uplink-lost', 'no-reply', 'error', 'cut'] as const) expect(laneState({ missing }, false)).toBe(LOST);
  });

  it('counts per state per device exactly what the records say', () => {
    const points = deviceLanes(records, ['a', 'b', 'c']);
    expect(points).toHaveLength(12);
    expect(laneCounts(points, ['a', 'b', 'c'])).toEqual([
      { device: 'a', counts: { [ARRIVED]: 2, [LATE]: 0, [LOST]: 2, [LANE_DOWN]: 0 } },
      { device: 'b', counts: { [ARRIVED]: 1, [LATE]: 1, [LOST]: 2, [LANE_DOWN]: 0 } },
      { device: 'c', counts: { [ARRIVED]: 1, [LATE]: 0, [LOST]: 1, [LANE_DOWN]: 2 } },
    ]);
  });

  it("agrees with the aggregator's own per-device summary of a run", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wearnet-lanes-'));
    try {
      writeSyntheticRun({
        dir,
        method: 'nonn',
        requests: 80,
        lossProbability: 0.2,
        faults: [{ startMs: 2000, endMs: 5000, kind: 'crash', target: 'device-1' }],
      });
      const run = await readRun(dir);
      const ids = run.summary.devices.map((d) => d.id);
      const counts = laneCounts(deviceLanes(run.records, ids), ids);
      for (const { device, counts: c } of counts) {
        const arrived = run.records.filter((r) => r.arrived.includes(device)).length;
        expect(c[ARRIVED]).toBe(arrived);
        expect(c[ARRIVED] + c[LATE] + c[LOST] + c[LANE_DOWN]).toBe(run.records.length);
      }
      expect(counts[1].counts[LOST]).toBeGreaterThan(counts[0].counts[LOST]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('draws one tick per device and request on lanes in device order, faults shaded on their lane or across all', () => {
    const spec = deviceLanesChart({
      devices: ['a', 'b', 'c'],
      points: deviceLanes(records, ['a', 'b', 'c']),
      faults: [
        { startMs: 1100, endMs: 1300, kind: 'crash', target: 'c' },
        { startMs: 1200, endMs: 1400, kind: 'degrade', target: 'medium' },
      ],
    });
    const layers = at(spec, 'layer') as unknown[];
    expect(layers).toHaveLength(3);
    expect(rows(layers, 0)).toEqual([{ startS: 1.2, endS: 1.4, kind: 'degrade', device: 'medium' }]);
    expect(at(layers, 0, 'encoding', 'y')).toBeUndefined();
    expect(rows(layers, 1)).toEqual([{ startS: 1.1, endS: 1.3, kind: 'crash', device: 'c' }]);
    expect(at(layers, 1, 'encoding', 'y', 'field')).toBe('device');
    expect(at(layers, 2, 'mark', 'type')).toBe('tick');
    expect(at(layers, 2, 'encoding', 'y', 'scale', 'domain')).toEqual(['a', 'b', 'c']);
    expect(rows(layers, 2)).toHaveLength(12);
    expect(rows(layers, 2)[5]).toEqual({ device: 'c', timeS: 1.1, state: LANE_DOWN, requestId: 1 });
  });

  it('thins arrived ticks beyond maxPoints requests but keeps every missing one', () => {
    const many = Array.from({ length: 100 }, (_, i) => record(i, { a: i % 10 === 3 ? { missing: 'no-reply' } : { latencyMs: 1 } }, i % 10 === 3 ? [] : ['a']));
    const drawn = rows(deviceLanesChart({ devices: ['a'], points: deviceLanes(many, ['a']), maxPoints: 20 }), 'layer', 0);
    expect(drawn.filter((p) => p.state === LOST)).toHaveLength(10);
    expect(drawn.filter((p) => p.state === ARRIVED).length).toBeLessThanOrEqual(20);
    expect(drawn.filter((p) => p.state === ARRIVED).length).toBeGreaterThan(10);
  });

  it('rejects a point of an unknown device or state, and an empty device list', () => {
    expect(() => deviceLanesChart({ devices: [], points: [] })).toThrow(new RangeError('devices must not be empty'));
    expect(() => deviceLanesChart({ devices: ['a'], points: [{ device: 'z', requestId: 0, startMs: 0, state: ARRIVED }] })).toThrow(/points\[0\].device "z"/);
    expect(() => deviceLanesChart({ devices: ['a'], points: [{ device: 'a', requestId: 0, startMs: 0, state: 'gone' as never }] })).toThrow(
      /points\[0\].state/,
    );
  });
});
