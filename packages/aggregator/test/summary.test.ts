import { formatSummaryTable, percentile, summarise, type RequestRecord } from '../src/index';

function record(id: number, arrived: number, correct: boolean, latencyMs: number): RequestRecord {
  const ids = ['a', 'b'].slice(0, arrived);
  return {
    id,
    sample: id,
    label: 1,
    prediction: correct ? 1 : 0,
    correct,
    startMs: id * 100,
    latencyMs,
    deadlineMissed: arrived < 2,
    arrived: ids,
    devices: { a: arrived >= 1 ? { latencyMs } : { missing: 'no-reply' }, b: arrived >= 2 ? { latencyMs } : { missing: 'uplink-lost' } },
    bytesDown: 10,
    bytesUp: 20 * arrived,
    retries: 1,
    lostFrames: 2,
    hostMs: 1,
  };
}

describe('summarise', () => {
  const records = [record(0, 2, true, 10), record(1, 2, false, 20), record(2, 1, true, 50), record(3, 0, false, 50)];
  const summary = summarise(records, {
    issued: 4,
    complete: true,
    wallMs: 1000,
    devices: [
      { deviceId: 'a', deviceIndex: 0, deviceClass: 'x' },
      { deviceId: 'b', deviceIndex: 1, deviceClass: 'x' },
    ],
    energyNj: { a: { radioTx: 300, radioRx: 100, compute: 800 }, b: { radioTx: 0, radioRx: 0, compute: 0 } },
    hubEnergyNj: { radioTx: 40, radioRx: 120 },
    bounds: [9, 11],
    hostLateResults: 0,
    issueLags: [0, 1],
  });

  it('counts accuracy overall and by the number of vectors fused', () => {
    expect(summary.requests.accuracy).toBe(0.5);
    expect(summary.accuracyByArrived).toEqual([
      { arrived: 0, count: 1, accuracy: 0 },
      { arrived: 1, count: 1, accuracy: 1 },
      { arrived: 2, count: 2, accuracy: 0.5 },
    ]);
    expect(summary.requests.deadlineMisses).toBe(2);
  });

  it('averages bytes, retries and energy per request', () => {
    expect(summary.bytesPerInference).toEqual({ down: 10, up: 25, total: 35 });
    expect(summary.retriesPerInference).toBe(1);
    expect(summary.devices.a.energyNjPerInference).toEqual({ radio: 100, radioTx: 75, radioRx: 25, compute: 200, total: 300 });
    expect(summary.hubEnergyNjPerInference).toEqual({ radioTx: 10, radioRx: 30, total: 40 });
    expect(summary.devices.b.missing).toEqual({ 'uplink-lost': 2 });
    expect(summary.boundMs).toBe(10);
  });

  it('takes the modelled duration from the first start to the last fusion', () => {
    expect(summary.modelledDurationMs).toBe(350);
    expect(summary.inferencesPerSecond).toBeCloseTo(4000 / 350, 9);
  });

  it('renders a table with the headline numbers', () => {
    const table = formatSummaryTable(summary);
    expect(table).toContain('50.00 %');
    expect(table).toContain('latency p50 / p95 / p99');
  });

  it('prints the energy per inference of each device split into radio transmit, radio receive and compute, in uJ', () => {
    const table = formatSummaryTable(summary);
    const row = table.split('\n').find((line) => line.trimStart().startsWith('a '));
    expect(row?.split(/\s+/).filter(Boolean).slice(4, 8)).toEqual(['0.07', '0.03', '0.20', '0.30']);
    expect(table).toContain('hub radio energy');
  });
});

describe('percentile', () => {
  it('interpolates between ranks', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([5], 99)).toBe(5);
    expect(percentile([], 50)).toBeNaN();
  });
});
