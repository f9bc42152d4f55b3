import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ACKS, FRAME_OVERHEAD, PAYLOAD, RETRANSMITTED, readRun, trafficChart, trafficRows, type LinkTraffic } from '../src/index';
import { at, rows } from './spec-at';
import { SYNTHETIC_FRAME_OVERHEAD_BYTES, writeSyntheticRun } from './synthetic-runs';

// 10 messages of 300 B: 2 frames each (246 + 54 B), 9 B of MAC header + FCS per frame, 3 retries of full frames.
const uplink: LinkTraffic = {
  ...{ deviceId: 'device-0', direction: 'uplink', messages: 10, payloadBytes: 3000, frames: 20, retries: 3, lostFrames: 3 },
  ...{ dataBits: (3000 + 20 * 9 + 3 * 255) * 8, ackBits: 20 * 9 * 8, airtimeMs: 40 },
};

describe('trafficRows', () => {
  it('splits the data bits into payload, frame headers and retransmissions, per request', () => {
    expect(trafficRows([uplink], { requests: 10, frameOverheadBytes: 9 })).toEqual([
      {
        ...{ device: 'device-0', direction: 'uplink', payloadBytes: 300, overheadBytes: 18, retransmittedBytes: 76.5, ackBytes: 18 },
        ...{ retries: 0.3, lostFrames: 0.3, airtimeMs: 4 },
      },
    ]);
  });

  it('without the per-frame overhead counts every byte beyond the payload as overhead', () => {
    const [row] = trafficRows([uplink], { requests: 10 });
    expect(row.overheadBytes).toBeCloseTo(18 + 76.5, 9);
    expect(row.retransmittedBytes).toBe(0);
  });

  it("reads each device's two directions from a run's medium report and its frame overhead from topology.json", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wearnet-traffic-'));
    try {
      writeSyntheticRun({ dir, method: 'nonn', devices: 3, requests: 20 });
      const run = await readRun(dir);
      expect(run.setup).toEqual({ deadlineMs: 150, frameOverheadBytes: SYNTHETIC_FRAME_OVERHEAD_BYTES });
      expect(run.summary.traffic.map((t) => `${t.deviceId} ${t.direction}`)).toEqual([
        'device-0 downlink',
        'device-0 uplink',
        'device-1 downlink',
        'device-1 uplink',
        'device-2 downlink',
        'device-2 uplink',
      ]);
      const table = trafficRows(run.summary.traffic, { requests: run.summary.requests.issued, frameOverheadBytes: SYNTHETIC_FRAME_OVERHEAD_BYTES });
      expect(table[0].payloadBytes).toBe(3100);
      expect(table[0].overheadBytes).toBe(13 * 9);
      expect(table[1].retransmittedBytes).toBe(255);
      expect(table[3].retransmittedBytes).toBe(0);
      writeSyntheticRun({ dir: path.join(dir, 'old'), method: 'nonn', devices: 3, requests: 20, withoutSetup: true });
      const old = await readRun(path.join(dir, 'old'));
      expect(old.setup).toEqual({});
      expect(old.summary.traffic).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('trafficChart', () => {
  it('stacks the four parts per device and direction with the airtime at the end', () => {
    const spec = trafficChart({ rows: trafficRows([uplink, { ...uplink, direction: 'downlink' }], { requests: 10, frameOverheadBytes: 9 }) });
    const bars = rows(spec, 'layer', 0);
    expect(bars.map((b) => b.part)).toEqual([PAYLOAD, FRAME_OVERHEAD, RETRANSMITTED, ACKS, PAYLOAD, FRAME_OVERHEAD, RETRANSMITTED, ACKS]);
    expect(bars.slice(0, 4).map((b) => b.bytes)).toEqual([300, 18, 76.5, 18]);
    expect(bars[0].link).toBe('device-0 device → hub');
    expect(bars[4].link).toBe('device-0 hub → device');
    expect(rows(spec, 'layer', 1)[0]).toEqual({ link: 'device-0 device → hub', bytes: 412.5, text: '4.00 ms airtime' });
    expect(at(spec, 'layer', 0, 'encoding', 'y', 'sort')).toEqual(['device-0 device → hub', 'device-0 hub → device']);
  });

  it('rejects a negative part naming the field', () => {
    const [row] = trafficRows([uplink], { requests: 1 });
    expect(() => trafficChart({ rows: [{ ...row, ackBytes: -1 }] })).toThrow(new RangeError('rows[0].ackBytes must be >= 0, got -1'));
  });
});
