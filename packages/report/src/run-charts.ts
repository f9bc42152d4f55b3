import type { TopLevelSpec } from 'vega-lite';
import { LANE_STATES, deviceLanes, deviceLanesChart, laneCounts } from './charts/device-lanes';
import { expectedAccuracyChart } from './charts/expected-accuracy';
import { hostLagChart } from './charts/host-lag';
import { timelineChart } from './charts/timeline';
import { DOWNLINK_LABEL, UPLINK_LABEL, trafficChart, trafficRows } from './charts/traffic';
import type { OfflineCurve } from './read-offline';
import { htmlTable } from './report-html';
import type { RunResults } from './run-results';

/** A section of the report before rendering: a chart spec, and/or HTML shown after it. */
export interface ChartJob {
  id: string;
  heading: string;
  caption: string;
  spec?: TopLevelSpec;
  html?: string;
}

const fixed = (value: number, digits: number): string => (Number.isFinite(value) ? value.toFixed(digits) : '-');

function timelineJob(run: RunResults, i: number): ChartJob {
  const { summary, setup } = run;
  const perRequest = run.records.some((r) => r.boundMs !== undefined);
  const references = [
    setup.deadlineMs !== undefined ? `the dashed red rule is the deadline (${setup.deadlineMs} ms)` : 'no deadline line (the run has no topology.json)',
    perRequest
      ? 'the green line is the analytic lossless bound of each request where every device answered'
      : Number.isFinite(summary.boundMs)
        ? 'the dotted green rule is the analytic lossless bound (median over the run; these records carry no per-request bound)'
        : 'no analytic bound (no request had every device answer)',
  ];
  return {
    id: `timeline-${i}`,
    heading: `Timeline of ${run.id}`,
    caption: `Method ${run.method}. Top: latency of each request at its modelled start; ${references.join('; ')}. Bottom: device vectors fused per request.${summary.faults.length > 0 ? ' Shaded: fault periods.' : ' No fault periods recorded.'}`,
    spec: timelineChart({
      devices: Math.max(1, summary.devices.length),
      requests: run.records.map((r) => ({
        startMs: r.startMs,
        latencyMs: r.latencyMs,
        fused: r.arrived.length,
        deadlineMissed: r.deadlineMissed,
        ...(r.boundMs !== undefined ? { boundMs: r.boundMs } : {}),
      })),
      faults: summary.faults,
      ...(setup.deadlineMs !== undefined ? { deadlineMs: setup.deadlineMs } : {}),
      ...(perRequest || !Number.isFinite(summary.boundMs) ? {} : { boundMs: summary.boundMs }),
      title: `${run.id} (${run.method})`,
    }),
  };
}

function lanesJob(run: RunResults, i: number): ChartJob | undefined {
  const ids = run.summary.devices.map((d) => d.id);
  if (ids.length === 0) return undefined;
  const points = deviceLanes(run.records, ids);
  const counts = laneCounts(points, ids);
  return {
    id: `lanes-${i}`,
    heading: `Devices of ${run.id}`,
    caption:
      'One lane per device, one tick per request at its modelled start: arrived (fused), late (stamped after the deadline), lost / no reply (lost on the body, nothing heard by the deadline, an error, or cut), down (not connected at the start).' +
      (run.summary.faults.length > 0 ? ' Shaded: fault periods on the lane of the device they hit (medium-wide faults across all lanes).' : ''),
    spec: deviceLanesChart({ devices: ids, points, faults: run.summary.faults, title: `${run.id}: device vectors per request` }),
    html: htmlTable(
      ['device', ...LANE_STATES],
      counts.map((c) => [c.device, ...LANE_STATES.map((s) => String(c.counts[s]))]),
      1,
    ),
  };
}

function trafficJob(run: RunResults, i: number): ChartJob | undefined {
  if (run.summary.traffic.length === 0) return undefined;
  const { frameOverheadBytes } = run.setup;
  const order = new Map(run.summary.devices.map((d, k) => [d.id, k]));
  const rank = (id: string): number => order.get(id) ?? order.size;
  const traffic = [...run.summary.traffic].sort(
    (a, b) => rank(a.deviceId) - rank(b.deviceId) || (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0) || (a.direction === 'downlink' ? -1 : 1),
  );
  const rows = trafficRows(traffic, { requests: run.summary.requests.issued, ...(frameOverheadBytes !== undefined ? { frameOverheadBytes } : {}) });
  return {
    id: `traffic-${i}`,
    heading: `Traffic of ${run.id}`,
    caption:
      `What each device's link carried per issued request (${run.summary.requests.issued}), from the medium's counters: every message (requests, results, hello, heartbeats), ` +
      (frameOverheadBytes !== undefined
        ? `payload, MAC header + FCS of each frame (${frameOverheadBytes} B), retransmitted frame attempts and the ACKs; airtime at the bar's end.`
        : 'payload, frame overhead (retransmissions included: the run has no topology.json giving the per-frame overhead) and the ACKs; airtime at the bar end.'),
    spec: trafficChart({ rows, title: `${run.id}: bytes on the body per request` }),
    html: htmlTable(
      ['device', 'direction', 'payload (B)', 'frame headers (B)', 'retransmitted (B)', 'ACKs (B)', 'retries', 'lost frames', 'airtime (ms)'],
      rows.map((r) => [
        r.device,
        r.direction === 'downlink' ? DOWNLINK_LABEL : UPLINK_LABEL,
        fixed(r.payloadBytes, 1),
        fixed(r.overheadBytes, 1),
        fixed(r.retransmittedBytes, 1),
        fixed(r.ackBytes, 1),
        fixed(r.retries, 3),
        fixed(r.lostFrames, 3),
        fixed(r.airtimeMs, 3),
      ]),
      2,
    ),
  };
}

function hostLagJob(run: RunResults, i: number): ChartJob {
  const { issueLagMs, hostLateResults } = run.summary;
  const lag = issueLagMs
    ? ` Issue lag (how late the host issued requests after their intended start, modelled ms): p50 ${fixed(issueLagMs.p50, 1)}, p95 ${fixed(issueLagMs.p95, 1)}, max ${fixed(issueLagMs.max, 1)}.`
    : '';
  const late = hostLateResults !== undefined ? ` Results the host delivered after the real-time grace (counted missing): ${hostLateResults}.` : '';
  return {
    id: `host-lag-${i}`,
    heading: `Host lag of ${run.id}`,
    caption: `Host wall time of each request from issue to fusion (diagnostic; the modelled clock decides latency), over the run and as a histogram.${lag}${late}`,
    spec: hostLagChart({ requests: run.records.map((r) => ({ startMs: r.startMs, hostMs: r.hostMs })), title: `${run.id}: host wall time per request` }),
  };
}

/** The per-run sections: timeline with deadline and bound, device lanes, traffic per device and direction (when the summary has the medium's report), host lag. */
export function runChartJobs(run: RunResults, i: number): ChartJob[] {
  return [timelineJob(run, i), lanesJob(run, i), trafficJob(run, i), hostLagJob(run, i)].filter((j): j is ChartJob => j !== undefined);
}

/** Expected accuracy under availability p from the offline evaluations that carry it; undefined when none does. */
export function expectedAccuracyJob(curves: readonly OfflineCurve[]): ChartJob | undefined {
  const series = curves.flatMap((c) => {
    const fills = [...new Set((c.expected ?? []).map((e) => e.fill))];
    return fills.map((fill) => ({
      name: `${c.method}, ${fill}-fill`,
      points: (c.expected ?? []).filter((e) => e.fill === fill).map((e) => ({ p: e.p, accuracy: e.accuracy })),
    }));
  });
  const seen = new Set<string>();
  for (const s of series) {
    let name = s.name;
    for (let k = 2; seen.has(name); k += 1) name = `${s.name} (${k})`;
    s.name = name;
    seen.add(name);
  }
  if (series.length === 0) return undefined;
  const ps = [...new Set(series.flatMap((s) => s.points.map((p) => p.p)))].sort((a, b) => b - a);
  return {
    id: 'expected-accuracy',
    heading: 'Expected accuracy under availability p',
    caption:
      'Offline evaluation: each device delivers its vector independently with probability p, every one of the 2^K failure sets weighted by its probability (zero-fill: a lost part is zeros; mean-fill: the devices’ mean training vectors).',
    spec: expectedAccuracyChart({ series }),
    html: htmlTable(
      ['model set', ...ps.map((p) => `p = ${p}`)],
      series.map((s) => [
        s.name,
        ...ps.map((p) => {
          const point = s.points.find((q) => q.p === p);
          return point ? `${(point.accuracy * 100).toFixed(2)} %` : '-';
        }),
      ]),
      1,
    ),
  };
}
