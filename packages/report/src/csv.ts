import type { RequestRecord } from '@wearnet/aggregator';

/** A CSV cell: empty for undefined/null and non-finite numbers. */
export type CsvValue = string | number | boolean | undefined | null;

/** One cell as RFC 4180 text: quoted (with quotes doubled) when it holds a comma, a quote, CR or LF. */
export function csvField(value: CsvValue): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Rows as CSV text, one line per row ending in `\n`. */
export function formatCsv(rows: readonly (readonly CsvValue[])[]): string {
  return rows.map((row) => `${row.map(csvField).join(',')}\n`).join('');
}

/**
 * The fixed columns of `requests.csv`, in order, each with what it holds. After them come three
 * columns per device, in device order: `<device>.latencyMs`, `<device>.computeMs`, `<device>.missing`.
 */
export const REQUEST_CSV_COLUMNS: readonly { name: string; description: string; value: (r: RequestRecord) => CsvValue }[] = [
  { name: 'id', description: 'request id (0-based, issue order)', value: (r) => r.id },
  { name: 'sample', description: 'sample index in the dataset slice', value: (r) => r.sample },
  { name: 'label', description: 'true class', value: (r) => r.label },
  { name: 'prediction', description: 'arg-max class of the fused vector', value: (r) => r.prediction },
  { name: 'correct', description: 'true when prediction = label', value: (r) => r.correct },
  { name: 'startMs', description: 'modelled start time, ms', value: (r) => r.startMs },
  { name: 'latencyMs', description: 'modelled time from start to fusion, ms', value: (r) => r.latencyMs },
  { name: 'deadlineMissed', description: 'true when fused at the deadline with vectors missing', value: (r) => r.deadlineMissed },
  { name: 'fused', description: 'number of device vectors fused', value: (r) => r.arrived.length },
  { name: 'arrived', description: 'ids of the devices whose vectors were fused, joined with ";"', value: (r) => r.arrived.join(';') },
  { name: 'bytesDown', description: 'payload bytes hub -> devices', value: (r) => r.bytesDown },
  { name: 'bytesUp', description: 'payload bytes devices -> hub (delivered, late and lost)', value: (r) => r.bytesUp },
  { name: 'retries', description: 'link-layer retries, both ways', value: (r) => r.retries },
  { name: 'lostFrames', description: 'frame attempts lost on the body, both ways', value: (r) => r.lostFrames },
  { name: 'hostMs', description: 'host wall time from issue to fusion, ms (diagnostic)', value: (r) => r.hostMs },
];

/** Per-device columns of `requests.csv` (suffixes after `<device>.`). */
export const REQUEST_CSV_DEVICE_COLUMNS: readonly { suffix: string; description: string }[] = [
  { suffix: 'latencyMs', description: "modelled ms from the request's start to this device's result at the hub (empty when missing)" },
  { suffix: 'computeMs', description: 'modelled compute time the device reported, ms (empty when unknown)' },
  { suffix: 'missing', description: 'why the vector is missing (not-connected, downlink-lost, uplink-lost, late, error, no-reply); empty when it arrived' },
];

/**
 * `requests.csv`: a header, then one row per record (see {@link REQUEST_CSV_COLUMNS}).
 * @param deviceIds devices for the per-device columns, in column order.
 */
export function requestsCsv(records: readonly RequestRecord[], deviceIds: readonly string[]): string {
  const header = [...REQUEST_CSV_COLUMNS.map((c) => c.name), ...deviceIds.flatMap((id) => REQUEST_CSV_DEVICE_COLUMNS.map((c) => `${id}.${c.suffix}`))];
  const rows = records.map((r) => [
    ...REQUEST_CSV_COLUMNS.map((c) => c.value(r)),
    ...deviceIds.flatMap((id) => {
      const d = r.devices[id];
      return [d?.latencyMs, d?.computeMs, d?.missing];
    }),
  ]);
  return formatCsv([header, ...rows]);
}
