import fc from 'fast-check';
import type { RequestRecord } from '@wearnet/aggregator';
import { bytesPerInference, endToEndAccuracy, energyPerDevice, groupByMethod, median, type ReportSummary, type RunResults } from '../src/index';

function summary(devices: number, linkPreset = 'hbc-1m3', energy = true): ReportSummary {
  return {
    complete: true,
    requests: { issued: 0, finalised: 0, accuracy: 0, deadlineMissRate: 0 },
    latencyMs: { p50: 0, p95: 0, p99: 0 },
    boundMs: 0,
    bytesPerInference: { down: 0, up: 0, total: 0 },
    devices: Array.from({ length: devices }, (_, i) => ({
      id: `d${i}`,
      deviceIndex: i,
      deviceClass: 'm7',
      ...(energy ? { energyNjPerInference: { radio: 10 * (i + 1), compute: 100, total: 10 * (i + 1) + 100 } } : {}),
    })),
    run: { linkPreset },
    faults: [],
  };
}

function record(arrived: number, correct: boolean, bytes = { down: 100, up: 10 }): RequestRecord {
  const ids = Array.from({ length: arrived }, (_, i) => `d${i}`);
  return {
    id: 0,
    sample: 0,
    label: 0,
    prediction: 0,
    correct,
    startMs: 0,
    latencyMs: 1,
    deadlineMissed: false,
    arrived: ids,
    devices: {},
    bytesDown: bytes.down,
    bytesUp: bytes.up,
    retries: 0,
    lostFrames: 0,
    hostMs: 0,
  };
}

function run(method: string, records: RequestRecord[], s = summary(4)): RunResults {
  return { dir: `/r/${method}`, id: method, method, summary: s, records };
}

describe('endToEndAccuracy', () => {
  it('counts a request with a of K vectors fused as K - a failed devices and pools the runs', () => {
    const points = endToEndAccuracy([run('m', [record(4, true), record(4, false), record(3, true)]), run('m', [record(2, false), record(3, true)])]);
    expect(points).toEqual([
      { failed: 0, accuracy: 0.5, requests: 2 },
      { failed: 1, accuracy: 1, requests: 2 },
      { failed: 2, accuracy: 0, requests: 1 },
    ]);
  });

  it('accounts for every request exactly once and matches a direct count', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.boolean()), { maxLength: 60 }), (requests) => {
        const points = endToEndAccuracy([
          run(
            'm',
            requests.map(([a, c]) => record(a, c)),
          ),
        ]);
        expect(points.reduce((n, p) => n + (p.requests ?? 0), 0)).toBe(requests.length);
        for (const p of points) {
          const same = requests.filter(([a]) => 4 - a === p.failed);
          expect(p.accuracy).toBeCloseTo(same.filter(([, c]) => c).length / same.length, 12);
        }
      }),
    );
  });
});

describe('groupByMethod', () => {
  it('keeps methods in order of appearance and splits a method run on different set-ups', () => {
    const groups = groupByMethod([run('nonn', []), run('avg', []), run('nonn', [], summary(4, 'walking')), run('avg', [])]);
    expect(groups.map((g) => [g.name, g.runs.length])).toEqual([
      ['nonn · 4 devices, hbc-1m3', 1],
      ['nonn · 4 devices, walking', 1],
      ['avg', 2],
    ]);
  });
});

describe('bytesPerInference, energyPerDevice and median', () => {
  it('average bytes over every record and energy over the runs that report it', () => {
    expect(
      bytesPerInference([
        run('m', [record(4, true, { down: 100, up: 10 })]),
        run('m', [record(4, true, { down: 300, up: 30 }), record(4, true, { down: 200, up: 20 })]),
      ]),
    ).toEqual({ downBytes: 200, upBytes: 20 });
    expect(bytesPerInference([])).toEqual({ downBytes: 0, upBytes: 0 });
    const energy = energyPerDevice([run('m', [], summary(2)), run('m', [], summary(2, 'hbc-1m3', false))]);
    expect(energy).toEqual([
      { id: 'd0', radioNj: 10, computeNj: 100 },
      { id: 'd1', radioNj: 20, computeNj: 100 },
    ]);
    expect(energyPerDevice([run('m', [], summary(2, 'x', false))])).toBeUndefined();
    expect(median([3, NaN, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([NaN])).toBeNaN();
  });
});
