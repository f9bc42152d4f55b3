import type { DeviceClass } from '@wearnet/hardware';
import type { LinkConfig } from '@wearnet/link';
import { modnnLatencyBound, planTraffic, type ModnnPlan } from '@wearnet/modnn';
import type { ModnnLedger } from './modnn-ledger';
import type { ModnnRecord, ModnnRunSummary } from './modnn-types';
import { distribution } from './stats';

/** What {@link summariseModnn} reads. */
export interface ModnnSummaryInput {
  plan: ModnnPlan;
  records: readonly ModnnRecord[];
  ledger: ModnnLedger;
  link: LinkConfig;
  deviceClasses: readonly DeviceClass[];
  /** Device id of each plan index. */
  deviceIds: readonly string[];
}

/**
 * Sums a MoDNN run: outcomes, latency of the gathered requests against the analytic bound of the
 * layer-wise schedule (`modnnLatencyBound` with the envelope measured on the wire), and bytes,
 * airtime and energy per completed inference from the medium's reports.
 */
export function summariseModnn(input: ModnnSummaryInput): ModnnRunSummary {
  const { plan, records, ledger, link, deviceClasses, deviceIds } = input;
  const count = (status: ModnnRecord['status']): number => records.filter((r) => r.status === status).length;
  const gathered = records.filter((r) => r.status !== 'stalled');
  let extra = 0;
  let messages = 0;
  for (const r of gathered) {
    for (const t of ledger.transfers(r.id)) {
      if (t.messageId < 0) continue;
      extra += t.stats.payloadBytes - plan.messages[t.messageId].payloadBytes;
      messages += 1;
    }
  }
  const envelopeBytes = messages === 0 ? 0 : Math.round(extra / messages);
  const bound = modnnLatencyBound({ plan, link, deviceClasses, headerBytes: envelopeBytes });
  const macs: Record<string, number> = {};
  deviceIds.forEach((id, d) => (macs[id] = plan.programs[d].reduce((n, s) => n + (s.op === 'compute' ? s.macs : 0), 0)));
  const correct = records.filter((r) => r.correct).length;
  return {
    format: 'wearnet-modnn-run-summary',
    version: 1,
    devices: [...deviceIds],
    requests: {
      issued: records.length,
      completed: count('ok'),
      late: count('late'),
      stalled: count('stalled'),
      correct,
      accuracy: records.length === 0 ? NaN : correct / records.length,
    },
    latencyMs: distribution(gathered.map((r) => r.latencyMs as number)),
    boundMs: bound.latencyMs,
    envelopeBytes,
    plannedBytesPerInference: planTraffic(plan).payloadBytes,
    traffic: ledger.summary(macs),
  };
}
