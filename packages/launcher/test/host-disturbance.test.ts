import type { RequestRecord } from '@wearnet/aggregator';
import { hostDisturbance } from '../src/host-disturbance';

function record(id: number, startMs: number, devices: string[]): RequestRecord {
  return {
    id,
    sample: id,
    label: 0,
    prediction: 0,
    correct: true,
    startMs,
    latencyMs: 30,
    deadlineMissed: false,
    arrived: devices,
    devices: Object.fromEntries(devices.map((d) => [d, { latencyMs: 30 }])),
    bytesDown: 0,
    bytesUp: 0,
    retries: 0,
    lostFrames: 0,
    hostMs: 0,
  } as RequestRecord;
}

describe('hostDisturbance', () => {
  it('maps a disturbed downlink to the request stamped at its ready time and an uplink to the request in progress', () => {
    const records = [record(0, 0, ['a', 'b']), record(1, 100, ['a', 'b']), record(2, 200, ['a', 'b'])];
    const report = {
      disturbed: {
        count: 3,
        messages: [
          { linkId: 'b', direction: 'downlink', seq: 4, readyAtMs: 100, atMs: 103 },
          { linkId: 'a', direction: 'uplink', seq: 0, readyAtMs: 215, atMs: 220 },
          { linkId: 'a', direction: 'downlink', seq: 9, readyAtMs: 50, atMs: 51 },
        ],
      },
    };
    expect(hostDisturbance(records, report)).toEqual({ messages: 3, requests: [1, 2], unassigned: 1 });
  });

  it('says nothing (null) when the medium report has no disturbance section', () => {
    expect(hostDisturbance([], { totals: {} })).toBeNull();
    expect(hostDisturbance([], null)).toBeNull();
  });
});
