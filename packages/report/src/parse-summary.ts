import { FieldReader } from './field-reader';
import type { FaultPeriod, LinkTraffic, ReportDevice, ReportSummary } from './run-results';

/**
 * Validates the fields of a parsed `summary.json` that the report uses; other fields are ignored.
 * @param where the file name, the prefix of error messages.
 * @throws ReportError `E_RESULTS_INVALID` naming the field.
 */
export function parseSummary(value: unknown, where: string): ReportSummary {
  const r = new FieldReader(where);
  const o = r.object(value, '');
  if (o.format !== 'wearnet-run-summary') throw r.error('format', `expected "wearnet-run-summary", got ${JSON.stringify(o.format)}`);
  if (o.version !== 1) throw r.error('version', `expected 1, got ${JSON.stringify(o.version)}`);
  const requests = r.object(o.requests, 'requests');
  const latency = r.object(o.latencyMs, 'latencyMs');
  const bytes = r.object(o.bytesPerInference, 'bytesPerInference');
  const devicesObj = r.object(o.devices, 'devices');
  const devices: ReportDevice[] = Object.entries(devicesObj).map(([id, raw]) => {
    const d = r.object(raw, `devices.${id}`);
    const device: ReportDevice = {
      id,
      deviceIndex: r.count(d.deviceIndex, `devices.${id}.deviceIndex`),
      deviceClass: r.string(d.deviceClass, `devices.${id}.deviceClass`),
    };
    if (d.energyNjPerInference !== undefined) {
      const e = r.object(d.energyNjPerInference, `devices.${id}.energyNjPerInference`);
      const at = `devices.${id}.energyNjPerInference`;
      device.energyNjPerInference = {
        radio: r.number(e.radio, `${at}.radio`),
        compute: r.number(e.compute, `${at}.compute`),
        total: r.number(e.total, `${at}.total`),
      };
    }
    return device;
  });
  devices.sort((a, b) => a.deviceIndex - b.deviceIndex || (a.id < b.id ? -1 : 1));
  const summary: ReportSummary = {
    complete: r.boolean(o.complete, 'complete'),
    requests: {
      issued: r.count(requests.issued, 'requests.issued'),
      finalised: r.count(requests.finalised, 'requests.finalised'),
      accuracy: r.number(requests.accuracy, 'requests.accuracy'),
      deadlineMissRate: r.number(requests.deadlineMissRate, 'requests.deadlineMissRate'),
    },
    latencyMs: {
      p50: r.numberOrNull(latency.p50, 'latencyMs.p50'),
      p95: r.numberOrNull(latency.p95, 'latencyMs.p95'),
      p99: r.numberOrNull(latency.p99, 'latencyMs.p99'),
    },
    boundMs: r.numberOrNull(o.boundMs, 'boundMs'),
    bytesPerInference: {
      down: r.number(bytes.down, 'bytesPerInference.down'),
      up: r.number(bytes.up, 'bytesPerInference.up'),
      total: r.number(bytes.total, 'bytesPerInference.total'),
    },
    devices,
    faults: o.faults === undefined ? [] : parseFaults(r, o.faults),
    traffic: o.medium === undefined || o.medium === null ? [] : parseTraffic(r, o.medium),
  };
  if (o.issueLagMs !== undefined) {
    const lag = r.object(o.issueLagMs, 'issueLagMs');
    summary.issueLagMs = {
      p50: r.numberOrNull(lag.p50, 'issueLagMs.p50'),
      p95: r.numberOrNull(lag.p95, 'issueLagMs.p95'),
      max: r.numberOrNull(lag.max, 'issueLagMs.max'),
    };
  }
  if (o.hostLateResults !== undefined) summary.hostLateResults = r.count(o.hostLateResults, 'hostLateResults');
  if (o.run !== undefined && o.run !== null) {
    const run = r.object(o.run, 'run');
    const text = (key: string): string | undefined => r.optional(run[key], (v) => r.string(v, `run.${key}`));
    summary.run = {};
    for (const key of ['id', 'name', 'linkPreset', 'bundles', 'method'] as const) {
      const v = text(key);
      if (v !== undefined) summary.run[key] = v;
    }
  }
  return summary;
}

function parseFaults(r: FieldReader, value: unknown): FaultPeriod[] {
  return r.array(value, 'faults').map((raw, i) => {
    const at = `faults[${i}]`;
    const f = r.object(raw, at);
    const period: FaultPeriod = {
      startMs: r.number(f.startMs, `${at}.startMs`),
      endMs: r.number(f.endMs, `${at}.endMs`),
      kind: r.string(f.kind, `${at}.kind`),
      target: r.string(f.target, `${at}.target`),
    };
    if (period.endMs < period.startMs) throw r.error(`${at}.endMs`, `ends (${period.endMs}) before it starts (${period.startMs})`);
    return period;
  });
}

const TRAFFIC_COUNTS = ['messages', 'payloadBytes', 'frames', 'retries', 'lostFrames', 'dataBits', 'ackBits'] as const;

/** Per device and direction, the medium's counters (`medium.links[i].counters.{downlink,uplink}`); other fields of the medium report are ignored. */
function parseTraffic(r: FieldReader, value: unknown): LinkTraffic[] {
  const medium = r.object(value, 'medium');
  if (medium.links === undefined) return [];
  return r.array(medium.links, 'medium.links').flatMap((raw, i) => {
    const link = r.object(raw, `medium.links[${i}]`);
    const deviceId = r.string(link.deviceId, `medium.links[${i}].deviceId`);
    const counters = r.object(link.counters, `medium.links[${i}].counters`);
    return (['downlink', 'uplink'] as const).map((direction) => {
      const at = `medium.links[${i}].counters.${direction}`;
      const c = r.object(counters[direction], at);
      const row = { deviceId, direction, airtimeMs: r.number(c.airtimeMs, `${at}.airtimeMs`) } as LinkTraffic;
      for (const key of TRAFFIC_COUNTS) row[key] = r.count(c[key], `${at}.${key}`);
      return row;
    });
  });
}
