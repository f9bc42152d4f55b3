import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { ReportError } from './errors';
import { FieldReader, parseJson } from './field-reader';

/** Accuracy for one number of failed devices. */
export interface FailedAccuracy {
  /** Failed devices. */
  failed: number;
  /** Accuracy, 0..1. */
  accuracy: number;
}

/** Expected accuracy when each device is up independently with probability `p` (all 2^K failure sets weighted). */
export interface ExpectedAccuracy {
  /** What stood in for a part no device delivered: `zero` or `mean`. */
  fill: string;
  /** Availability of each device, 0..1. */
  p: number;
  /** Expected accuracy, 0..1. */
  accuracy: number;
}

/** The offline evaluation of one model set: accuracy vs failed devices averaged over every failure set. */
export interface OfflineCurve {
  /** Distillation method (`nonn`, `averaging`), matched against the method of the runs. */
  method: string;
  /** Number of devices K. */
  devices: number;
  /** Absolute path of the file it came from. */
  file: string;
  points: FailedAccuracy[];
  /** Expected accuracy under availability p, per fill (from `expected` / `fills[].expected` of `evaluation.json`; absent when the file has none). */
  expected?: ExpectedAccuracy[];
}

function parseExpected(r: FieldReader, o: Record<string, unknown>): ExpectedAccuracy[] {
  const tables =
    o.fills === undefined ? [{ value: o, at: '' }] : r.array(o.fills, 'fills').map((f, i) => ({ value: r.object(f, `fills[${i}]`), at: `fills[${i}].` }));
  return tables.flatMap(({ value, at }) => {
    if (value.expected === undefined) return [];
    const fill = value.fill === undefined ? 'zero' : r.string(value.fill, `${at}fill`);
    return Object.entries(r.object(value.expected, `${at}expected`)).map(([key, raw]) => {
      const p = Number(key);
      const accuracy = r.number(raw, `${at}expected.${key}`);
      if (!(p >= 0 && p <= 1)) throw r.error(`${at}expected.${key}`, `availability ${key} outside 0..1`);
      if (accuracy < 0 || accuracy > 1) throw r.error(`${at}expected.${key}`, `accuracy ${accuracy} outside 0..1`);
      return { fill, p, accuracy };
    });
  });
}

/**
 * Parses an offline evaluation: the `evaluation.json` that `wearnet evaluate` writes, or a
 * distillation `manifest.json` (its `failures` table).
 * @param where the file name, the prefix of error messages.
 * @throws ReportError `E_OFFLINE_INVALID` naming the field.
 */
export function parseOfflineEvaluation(value: unknown, where: string): OfflineCurve {
  const r = new FieldReader(where, 'E_OFFLINE_INVALID');
  const o = r.object(value, '');
  const table = o.format === 'wearnet-distil' ? r.object(o.failures, 'failures') : o;
  const at = o.format === 'wearnet-distil' ? 'failures.' : '';
  const devices = r.count(table.devices, `${at}devices`);
  const points = r.array(table.rows, `${at}rows`).map((raw, i) => {
    const row = r.object(raw, `${at}rows[${i}]`);
    const failed = r.count(row.failed, `${at}rows[${i}].failed`);
    const accuracy = r.number(row.mean, `${at}rows[${i}].mean`);
    if (failed > devices) throw r.error(`${at}rows[${i}].failed`, `${failed} failed devices of ${devices}`);
    if (accuracy < 0 || accuracy > 1) throw r.error(`${at}rows[${i}].mean`, `accuracy ${accuracy} outside 0..1`);
    return { failed, accuracy };
  });
  if (points.length === 0) throw r.error(`${at}rows`, 'no rows');
  const curve: OfflineCurve = { method: r.string(o.method, 'method'), devices, file: where, points: points.sort((a, b) => a.failed - b.failed) };
  const expected = parseExpected(r, o).sort((a, b) => (a.fill < b.fill ? -1 : a.fill > b.fill ? 1 : a.p - b.p));
  if (expected.length > 0) curve.expected = expected;
  return curve;
}

/** Reads an offline evaluation file. @throws ReportError `E_OFFLINE_INVALID` when it is missing or malformed. */
export async function readOfflineEvaluation(file: string): Promise<OfflineCurve> {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (cause) {
    throw new ReportError('E_OFFLINE_INVALID', `cannot read offline evaluation ${abs}: ${(cause as Error).message}`, { cause });
  }
  return parseOfflineEvaluation(parseJson(text, abs, 'E_OFFLINE_INVALID'), abs);
}
