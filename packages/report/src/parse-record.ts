import type { DeviceOutcome, MissingReason, RequestRecord } from '@wearnet/aggregator';
import { FieldReader } from './field-reader';

/** Every reason the aggregator gives for a missing vector. */
export const MISSING_REASONS = [
  'not-connected',
  'downlink-lost',
  'uplink-lost',
  'late',
  'error',
  'no-reply',
  'cut',
] as const satisfies readonly MissingReason[];

// Compile-time check that the list above names every MissingReason of the aggregator.
const everyReasonListed: Exclude<MissingReason, (typeof MISSING_REASONS)[number]> extends never ? true : never = true;
void everyReasonListed;

/**
 * Validates one parsed line of `requests.jsonl` (as the aggregator's `RequestRecord`). Unknown
 * extra fields are ignored.
 * @param where `file:line`, the prefix of error messages.
 * @throws ReportError `E_RESULTS_INVALID` naming the field.
 */
export function parseRequestRecord(value: unknown, where: string): RequestRecord {
  const r = new FieldReader(where);
  const o = r.object(value, '');
  const devicesObj = r.object(o.devices, 'devices');
  const devices: Record<string, DeviceOutcome> = {};
  for (const [id, raw] of Object.entries(devicesObj)) {
    const d = r.object(raw, `devices.${id}`);
    const outcome: DeviceOutcome = {};
    if (d.latencyMs !== undefined) outcome.latencyMs = r.number(d.latencyMs, `devices.${id}.latencyMs`);
    if (d.computeMs !== undefined) outcome.computeMs = r.number(d.computeMs, `devices.${id}.computeMs`);
    if (d.missing !== undefined) outcome.missing = r.literal(d.missing, `devices.${id}.missing`, MISSING_REASONS);
    // Defined, not assigned: a device may be called `__proto__`.
    Object.defineProperty(devices, id, { value: outcome, enumerable: true, writable: true, configurable: true });
  }
  const arrived = r.array(o.arrived, 'arrived').map((id, i) => r.string(id, `arrived[${i}]`));
  for (const id of arrived) {
    if (!Object.hasOwn(devices, id)) throw r.error('arrived', `device "${id}" is not in devices`);
    if (devices[id].missing !== undefined) throw r.error('arrived', `device "${id}" arrived but is marked missing (${devices[id].missing})`);
  }
  const record: RequestRecord = {
    id: r.count(o.id, 'id'),
    sample: r.count(o.sample, 'sample'),
    label: r.count(o.label, 'label'),
    prediction: o.prediction === null ? null : r.count(o.prediction, 'prediction'),
    correct: r.boolean(o.correct, 'correct'),
    startMs: r.number(o.startMs, 'startMs'),
    latencyMs: r.number(o.latencyMs, 'latencyMs'),
    deadlineMissed: r.boolean(o.deadlineMissed, 'deadlineMissed'),
    arrived,
    devices,
    bytesDown: r.number(o.bytesDown, 'bytesDown'),
    bytesUp: r.number(o.bytesUp, 'bytesUp'),
    retries: r.count(o.retries, 'retries'),
    lostFrames: r.count(o.lostFrames, 'lostFrames'),
    hostMs: r.number(o.hostMs, 'hostMs'),
  };
  if (o.boundMs !== undefined) record.boundMs = r.number(o.boundMs, 'boundMs');
  if (o.cut !== undefined) {
    const cut = r.object(o.cut, 'cut');
    record.cut = { code: r.string(cut.code, 'cut.code'), message: r.string(cut.message, 'cut.message') };
  }
  return record;
}
