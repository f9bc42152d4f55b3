import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import type { CutCause, DeviceOutcome, RequestRecord } from '@wearnet/aggregator';

/** What {@link recoverRecords} found and wrote. */
export interface RecoveredRecords {
  /** Every record of the run, one per issued request, in file order. */
  records: RequestRecord[];
  /** Requests issued (entries of `issued.jsonl`, or records when that journal is absent). */
  issued: number;
  /** Cut records this call appended for requests issued but never recorded. */
  added: number;
  /** Bytes of a torn last line removed from `requests.jsonl` (a write the aggregator died in). */
  tornBytes: number;
}

interface IssuedEntry {
  id: number;
  sample: number;
  label: number;
  startMs: number;
}

/**
 * Makes `requests.jsonl` hold exactly one record per issued request after a run, whatever process
 * died: a torn last line is cut off, every request of the aggregator's write-ahead `issued.jsonl`
 * that has no record gets one marked `cut` with `cause` (nothing fused, no prediction, every device
 * `missing: 'cut'`), appended and fsynced; a second record of one id (never written by the
 * aggregator) is dropped from the returned list. Idempotent.
 */
export function recoverRecords(outDir: string, deviceIds: readonly string[], cause: CutCause): RecoveredRecords {
  const file = path.join(outDir, 'requests.jsonl');
  const { values, tornBytes } = readJsonLines<RequestRecord>(file, true);
  const issuedEntries = readJsonLines<IssuedEntry>(path.join(outDir, 'issued.jsonl'), false).values;
  const seen = new Set<number>();
  const records: RequestRecord[] = [];
  for (const record of values) {
    if (seen.has(record.id)) continue;
    seen.add(record.id);
    records.push(record);
  }
  const missing = issuedEntries.filter((entry, i, all) => !seen.has(entry.id) && all.findIndex((e) => e.id === entry.id) === i);
  if (missing.length > 0) {
    const fd = openSync(file, 'a');
    try {
      for (const entry of missing) {
        const record = cutRecord(entry, deviceIds, cause);
        writeSync(fd, `${JSON.stringify(record)}\n`);
        records.push(record);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  return { records, issued: Math.max(issuedEntries.length, records.length), added: missing.length, tornBytes };
}

function cutRecord(entry: IssuedEntry, deviceIds: readonly string[], cause: CutCause): RequestRecord {
  const devices: Record<string, DeviceOutcome> = {};
  // Defined, not assigned: a device may be called `__proto__`.
  for (const id of deviceIds) Object.defineProperty(devices, id, { value: { missing: 'cut' }, enumerable: true, writable: true, configurable: true });
  return {
    id: entry.id,
    sample: entry.sample,
    label: entry.label,
    prediction: null,
    correct: false,
    startMs: entry.startMs,
    latencyMs: 0,
    deadlineMissed: false,
    arrived: [],
    devices,
    bytesDown: 0,
    bytesUp: 0,
    retries: 0,
    lostFrames: 0,
    hostMs: 0,
    cut: cause,
  };
}

/** Complete JSON lines of a file; a torn last line (no newline, or not JSON) is dropped, and cut off the file when `repair`. */
function readJsonLines<T>(file: string, repair: boolean): { values: T[]; tornBytes: number } {
  if (!existsSync(file)) return { values: [], tornBytes: 0 };
  const text = readFileSync(file, 'utf8');
  const end = text.lastIndexOf('\n') + 1;
  const tornBytes = Buffer.byteLength(text.slice(end));
  if (repair && tornBytes > 0) truncateSync(file, Buffer.byteLength(text.slice(0, end)));
  const values: T[] = [];
  for (const line of text.slice(0, end).split('\n')) {
    if (line.trim() === '') continue;
    try {
      values.push(JSON.parse(line) as T);
    } catch {
      // A line the aggregator never finished: nothing to recover from it.
    }
  }
  return { values, tornBytes };
}
