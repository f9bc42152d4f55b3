import type { RunSummary } from '@wearnet/aggregator';
import { bundleMethodLabel, type BundleSet } from '@wearnet/bundle';
import type { FaultPeriod } from '@wearnet/faults';
import { hostNowMs } from '@wearnet/link';
import type { RoleChild } from './child';
import type { ProcessUsage, RoleEvent } from '@wearnet/roles';
import type { HostDisturbance } from './host-disturbance';
import { checkThresholds, type Violation } from './thresholds';
import type { Topology } from './topology';

/** What a cluster run produced (`summary.json`). */
export interface ClusterSummary extends RunSummary {
  run: {
    id: string;
    name: string;
    topologyFile: string;
    seed: number;
    linkPreset: string;
    timeScale: number;
    inputMode: string;
    devices: { id: string; index: number; deviceClass: string }[];
    bundles: string;
    /** Method of the bundle set (`nonn`, `averaging`; random development bundles: `averaging (random bundles)` / `nonn (random bundles)` after their fusion). */
    method: string;
    startedAt: string;
    /** Real time from the first spawn to the end of teardown, ms. */
    clusterWallMs: number;
    /** Real time until every device was authenticated, ms. */
    startupMs: number;
    /** TensorFlow.js backends the device processes run on (from their ready events). */
    backends: string[];
    /** The run's control API (HTTP + JSON on 127.0.0.1). */
    control: { url: string; port: number };
    /** Every endpoint of the run (also in control.json). */
    endpoints: RunEndpoints;
    /** Whether requests were issued only as asked through the control API. */
    gated: boolean;
  };
  /** The medium's final report (totals and per-link counters), as it printed it. */
  medium: unknown;
  /** Resource use of every process of the cluster (`device-3~1` is the second process of device-3); `readyCpuMs` is the CPU spent before it was ready (start-up). */
  processes: Record<string, ProcessUsage & { readyCpuMs: number; exitCode: number | null; signal: string | null; backend?: string }>;
  /** CPU time (user + system) of all cluster processes after start-up, per finalised inference, ms (processes killed by faults report nothing). */
  emulatorCpuMsPerInference: number;
  /** CPU time of all cluster processes until each was ready (module loading, model loading), ms. */
  startupCpuMs: number;
  violations: Violation[];
  /** Periods each fault was in effect on each target, on the records' modelled clock (empty without faults). */
  faults: FaultPeriod[];
  /** Requests whose modelled latency the host disturbed (see `hostDisturbance`); null when the medium did not say. */
  hostDisturbed?: HostDisturbance | null;
}

/** The URLs of a run's endpoints (all on 127.0.0.1). */
export interface RunEndpoints {
  /** The control API. */
  control: string;
  /** The launcher's Prometheus metrics (run info, active faults, process). */
  controlMetrics: string;
  /** The aggregator's Prometheus metrics. */
  aggregatorMetrics: string;
  /** The aggregator's JSON status. */
  aggregatorStatus: string;
  /** The medium's WebSocket endpoint (devices and the hub connect here). */
  medium: string;
  /** The medium's HTTP base. */
  mediumHttp: string;
  /** The medium's Prometheus metrics. */
  mediumMetrics: string;
  /** The medium's links (state, stages, counters). */
  mediumLinks: string;
}

/** Inputs of {@link buildClusterSummary} besides the aggregator's summary. */
export interface ClusterSummaryContext {
  topology: Topology;
  bundleSet: BundleSet;
  runId: string;
  children: RoleChild[];
  /** Host ms of the first spawn. */
  startedHostMs: number;
  startupMs: number;
  control: { url: string; port: number };
  endpoints: RunEndpoints;
  faults: FaultPeriod[];
}

const isEvent =
  <K extends RoleEvent['event']>(kind: K) =>
  (event: RoleEvent): event is Extract<RoleEvent, { event: K }> =>
    event.event === kind;

/** Adds run, medium, process, fault and threshold sections to the aggregator's summary. */
export function buildClusterSummary(summary: RunSummary, context: ClusterSummaryContext): ClusterSummary {
  const { topology } = context;
  const processes: ClusterSummary['processes'] = {};
  let cpuMs = 0;
  let startupCpuMs = 0;
  let mediumReport: unknown = null;
  for (const child of context.children) {
    const stats = [...child.events].reverse().find(isEvent('stats'));
    const ready = child.events.find(isEvent('ready'));
    const loaded = child.events.find(isEvent('loaded'));
    const readyCpuMs = (ready?.cpuUserMs ?? loaded?.cpuUserMs ?? 0) + (ready?.cpuSystemMs ?? loaded?.cpuSystemMs ?? 0);
    const exit = child.process.exitCode;
    const usage = stats
      ? { cpuUserMs: stats.cpuUserMs, cpuSystemMs: stats.cpuSystemMs, maxRssKb: stats.maxRssKb }
      : { cpuUserMs: NaN, cpuSystemMs: NaN, maxRssKb: NaN };
    processes[child.name] = {
      ...usage,
      readyCpuMs,
      exitCode: exit,
      signal: child.process.signalCode,
      ...(ready?.backend !== undefined ? { backend: ready.backend } : {}),
    };
    startupCpuMs += readyCpuMs;
    if (stats) cpuMs += stats.cpuUserMs + stats.cpuSystemMs - readyCpuMs;
    if (child.name === 'medium' && stats) mediumReport = stats.report ?? null;
  }
  const violations = checkThresholds(summary, topology.thresholds);
  return {
    ...summary,
    run: {
      id: context.runId,
      name: topology.name,
      topologyFile: topology.file,
      seed: topology.seed,
      linkPreset: topology.link.preset,
      timeScale: topology.timeScale,
      inputMode: topology.workload.inputMode,
      devices: topology.devices.map((d) => ({ id: d.id, index: d.index, deviceClass: d.deviceClass.name })),
      bundles: topology.bundles,
      method: bundleMethodLabel(context.bundleSet),
      startedAt: new Date(context.startedHostMs).toISOString(),
      clusterWallMs: hostNowMs() - context.startedHostMs,
      startupMs: context.startupMs,
      backends: [...new Set(Object.values(processes).flatMap((p) => (p.backend !== undefined ? [p.backend] : [])))],
      control: context.control,
      endpoints: context.endpoints,
      gated: topology.workload.gated,
    },
    medium: mediumReport,
    processes,
    emulatorCpuMsPerInference: summary.requests.finalised > 0 ? cpuMs / summary.requests.finalised : NaN,
    startupCpuMs,
    violations,
    faults: context.faults,
  };
}
