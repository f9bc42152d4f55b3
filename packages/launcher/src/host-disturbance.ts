import { existsSync, readFileSync } from 'node:fs';
import type { RequestRecord } from '@wearnet/aggregator';

/** Requests whose modelled latency the host disturbed (from the medium's disturbed messages). */
export interface HostDisturbance {
  /** Messages the medium committed out of stamp order behind later-stamped traffic. */
  messages: number;
  /** Ids of the requests such a message belonged to, ascending. */
  requests: number[];
  /** Disturbed messages that belong to no request (start-up, heartbeats). */
  unassigned: number;
}

interface DisturbedLike {
  linkId: string;
  direction: 'uplink' | 'downlink';
  readyAtMs: number;
}

const EPS_MS = 1e-6;

/**
 * Maps the medium's disturbed messages (its report's `disturbed.messages`) to requests: a downlink
 * belongs to the request stamped at its ready time, an uplink to the latest request to that device
 * that started no later than the uplink's stamp. Unknown report shapes give `null`.
 */
export function hostDisturbance(records: readonly RequestRecord[], mediumReport: unknown): HostDisturbance | null {
  const disturbed = (mediumReport as { disturbed?: { count?: unknown; messages?: unknown } } | null)?.disturbed;
  if (!disturbed || typeof disturbed.count !== 'number' || !Array.isArray(disturbed.messages)) return null;
  const byDevice = new Map<string, RequestRecord[]>();
  for (const r of [...records].sort((a, b) => a.startMs - b.startMs)) {
    for (const deviceId of Object.keys(r.devices)) {
      const list = byDevice.get(deviceId) ?? [];
      list.push(r);
      byDevice.set(deviceId, list);
    }
  }
  const ids = new Set<number>();
  let unassigned = 0;
  for (const m of disturbed.messages as DisturbedLike[]) {
    const list = byDevice.get(m.linkId) ?? [];
    let found: RequestRecord | undefined;
    if (m.direction === 'downlink') found = list.find((r) => Math.abs(r.startMs - m.readyAtMs) < EPS_MS);
    else for (const r of list) if (r.startMs <= m.readyAtMs + EPS_MS) found = r;
    if (found) ids.add(found.id);
    else unassigned += 1;
  }
  return { messages: disturbed.count, requests: [...ids].sort((a, b) => a - b), unassigned };
}

/** Reads `requests.jsonl` (missing file: no records). */
export function readRecords(file: string): RequestRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RequestRecord);
}
