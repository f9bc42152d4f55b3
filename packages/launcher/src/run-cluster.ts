import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Progress, RunSummary } from '@wearnet/aggregator';
import { hostNowMs } from '@wearnet/link';
import { LauncherError } from './errors';
import { RoleChild } from './child';
import { loadTopology } from './load-topology';
import { aggregatorConfig, deviceConfigs, mediumConfig, type RoleConfig } from './role-configs';
import type { ProcessUsage, RoleEvent } from './role-events';
import { checkThresholds, type Violation } from './thresholds';
import type { Topology } from './topology';

/** Command-line overrides of a topology. */
export interface TopologyOverrides {
  timeScale?: number;
  requests?: number;
  seed?: number;
  /** Output directory (absolute or relative to the working directory). */
  output?: string;
}

/** Options of {@link runCluster}. */
export interface RunClusterOptions {
  /** Topology YAML file. */
  topologyFile: string;
  overrides?: TopologyOverrides;
  /** Path of `packages/cli/bin/wearnet.js` (the entry point of every role). */
  cliBin: string;
  /** Parent of `<run-id>/` when the topology names no output; default `results` in the working directory. */
  resultsDir?: string;
  /** Environment of the children; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Called with progress events of the aggregator. */
  onProgress?: (progress: Progress) => void;
  /** Called once the cluster is up, with the URLs of its HTTP endpoints. */
  onStarted?: (info: { mediumUrl: string; mediumHttp: string; metricsUrl: string; devices: number; outDir: string }) => void;
  /** Aborting stops the workload early; the partial results are still written. */
  signal?: AbortSignal;
  /** Real ms to wait for the medium and the aggregator to be ready; default 30 000. */
  readyTimeoutMs?: number;
}

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
    startedAt: string;
    /** Real time from the first spawn to the end of teardown, ms. */
    clusterWallMs: number;
    /** Real time until every device was authenticated, ms. */
    startupMs: number;
    /** TensorFlow.js backends the device processes run on (from their ready events). */
    backends: string[];
  };
  /** The medium's final report (totals and per-link counters), as it printed it. */
  medium: unknown;
  /** Resource use of every process of the cluster; `readyCpuMs` is the CPU spent before it was ready (start-up). */
  processes: Record<string, ProcessUsage & { readyCpuMs: number; exitCode: number | null; signal: string | null; backend?: string }>;
  /** CPU time (user + system) of all cluster processes after start-up, per finalised inference, ms. */
  emulatorCpuMsPerInference: number;
  /** CPU time of all cluster processes until each was ready (module loading, model loading), ms. */
  startupCpuMs: number;
  violations: Violation[];
}

/** Outcome of {@link runCluster}. */
export interface RunClusterResult {
  outDir: string;
  summary: ClusterSummary;
  violations: Violation[];
  interrupted: boolean;
}

const isEvent =
  <K extends RoleEvent['event']>(kind: K) =>
  (event: RoleEvent): event is Extract<RoleEvent, { event: K }> =>
    event.event === kind;

/**
 * Runs a topology end to end as separate OS processes: medium, then aggregator, then devices;
 * waits for readiness, follows progress, collects the summary and every process's resource use,
 * tears everything down (also on abort or failure: no child outlives the call), and checks the
 * thresholds. Writes `requests.jsonl`, `summary.json`, `topology.json`, `config/` and `logs/`.
 * @throws LauncherError `E_TOPOLOGY_*`, `E_READY_TIMEOUT`, `E_CHILD_FAILED`.
 */
export async function runCluster(options: RunClusterOptions): Promise<RunClusterResult> {
  const { topology } = await loadTopology(options.topologyFile);
  applyOverrides(topology, options.overrides ?? {});
  const runId = `${topology.name}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const outDir = topology.output ?? path.resolve(options.resultsDir ?? 'results', runId);
  mkdirSync(path.join(outDir, 'config'), { recursive: true });
  mkdirSync(path.join(outDir, 'logs'), { recursive: true });
  writeFileSync(path.join(outDir, 'topology.json'), `${JSON.stringify(topology, null, 2)}\n`);

  const token = randomBytes(16).toString('hex');
  const env = { ...(options.env ?? process.env), WEARNET_TOKEN: token };
  const started = hostNowMs();
  const at = { epochMs: started, outDir, host: '127.0.0.1' };
  const children: RoleChild[] = [];
  const spawnRole = (name: string, config: RoleConfig): RoleChild => {
    const configFile = path.join(outDir, 'config', `${name}.json`);
    writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
    const child = new RoleChild({ name, role: config.role, configFile, cliBin: options.cliBin, logFile: path.join(outDir, 'logs', `${name}.log`), env });
    children.push(child);
    return child;
  };

  let interrupted = false;
  let summary: RunSummary | undefined;
  let startupMs = 0;
  const readyTimeoutMs = options.readyTimeoutMs ?? 30000;
  try {
    const medium = spawnRole('medium', mediumConfig(topology, at));
    const mediumReady = await medium.waitFor(isEvent('ready'), readyTimeoutMs, 'ready');
    const mediumUrl = `ws://${at.host}:${mediumReady.port}`;
    const aggregator = spawnRole('aggregator', aggregatorConfig(topology, at, mediumUrl));
    const aggregatorReady = await aggregator.waitFor(isEvent('ready'), readyTimeoutMs, 'ready');
    for (const config of deviceConfigs(topology, at, mediumUrl)) spawnRole(config.deviceId, config);

    const failure = new Promise<never>((_, reject) => {
      for (const child of [medium, aggregator]) {
        child.once('exit', (exit: { code: number | null; signal: string | null }) => {
          if (!summary) reject(new LauncherError('E_CHILD_FAILED', `${child.name} exited during the run (code ${exit.code}, signal ${exit.signal}); see ${path.join(outDir, 'logs', `${child.name}.log`)}`));
        });
      }
    });
    failure.catch(() => undefined);
    const onAbort = (): void => {
      interrupted = true;
      if (!aggregator.hasExited) aggregator.process.kill('SIGTERM');
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    aggregator.on('event', (event: RoleEvent) => {
      if (event.event === 'progress') options.onProgress?.(event);
    });

    const startedEvent = await Promise.race([aggregator.waitFor(isEvent('started'), topology.startTimeoutMs + readyTimeoutMs, 'the start of the workload'), failure]);
    startupMs = hostNowMs() - started;
    options.onStarted?.({
      mediumUrl,
      mediumHttp: `http://${at.host}:${mediumReady.port}`,
      metricsUrl: `http://${at.host}:${aggregatorReady.metricsPort}/metrics`,
      devices: startedEvent.devices,
      outDir,
    });
    const done = await Promise.race([aggregator.waitFor(isEvent('done'), Infinity, 'the end of the workload'), failure]);
    summary = done.summary;
    options.signal?.removeEventListener('abort', onAbort);
  } finally {
    await teardown(children);
  }
  const result = buildSummary(topology, runId, summary as RunSummary, children, { started, startupMs });
  writeFileSync(path.join(outDir, 'summary.json'), `${JSON.stringify(result, null, 2)}\n`);
  return { outDir, summary: result, violations: result.violations, interrupted: interrupted || !result.complete };
}

function applyOverrides(topology: Topology, overrides: TopologyOverrides): void {
  if (overrides.timeScale !== undefined) {
    if (!(overrides.timeScale > 0)) throw new RangeError(`timeScale must be positive, got ${overrides.timeScale}`);
    topology.timeScale = overrides.timeScale;
    if (overrides.timeScale > 1 && topology.reorderWindowMs === 0) topology.reorderWindowMs = 10;
  }
  if (overrides.requests !== undefined) {
    if (!(Number.isInteger(overrides.requests) && overrides.requests > 0)) throw new RangeError(`requests must be a positive integer, got ${overrides.requests}`);
    topology.workload.requests = overrides.requests;
  }
  if (overrides.seed !== undefined) {
    if (!Number.isSafeInteger(overrides.seed)) throw new RangeError(`seed must be an integer, got ${overrides.seed}`);
    topology.seed = overrides.seed;
  }
  if (overrides.output !== undefined) topology.output = path.resolve(overrides.output);
}

/** Stops devices first, then the aggregator, then the medium, so each reports its usage. */
async function teardown(children: RoleChild[]): Promise<void> {
  const devices = children.filter((c) => c.name !== 'medium' && c.name !== 'aggregator');
  await Promise.all(devices.map((c) => c.terminate()));
  for (const name of ['aggregator', 'medium']) {
    const child = children.find((c) => c.name === name);
    if (child) await child.terminate();
  }
}

function buildSummary(topology: Topology, runId: string, summary: RunSummary, children: RoleChild[], timing: { started: number; startupMs: number }): ClusterSummary {
  const processes: ClusterSummary['processes'] = {};
  let cpuMs = 0;
  let startupCpuMs = 0;
  let mediumReport: unknown = null;
  for (const child of children) {
    const stats = [...child.events].reverse().find(isEvent('stats'));
    const ready = child.events.find(isEvent('ready'));
    const readyCpuMs = (ready?.cpuUserMs ?? 0) + (ready?.cpuSystemMs ?? 0);
    const exit = child.process.exitCode;
    const usage = stats ? { cpuUserMs: stats.cpuUserMs, cpuSystemMs: stats.cpuSystemMs, maxRssKb: stats.maxRssKb } : { cpuUserMs: NaN, cpuSystemMs: NaN, maxRssKb: NaN };
    processes[child.name] = { ...usage, readyCpuMs, exitCode: exit, signal: child.process.signalCode, ...(ready?.backend !== undefined ? { backend: ready.backend } : {}) };
    startupCpuMs += readyCpuMs;
    if (stats) cpuMs += stats.cpuUserMs + stats.cpuSystemMs - readyCpuMs;
    if (child.name === 'medium' && stats) mediumReport = stats.report ?? null;
  }
  const violations = checkThresholds(summary, topology.thresholds);
  return {
    ...summary,
    run: {
      id: runId,
      name: topology.name,
      topologyFile: topology.file,
      seed: topology.seed,
      linkPreset: topology.link.preset,
      timeScale: topology.timeScale,
      inputMode: topology.workload.inputMode,
      devices: topology.devices.map((d) => ({ id: d.id, index: d.index, deviceClass: d.deviceClass.name })),
      bundles: topology.bundles,
      startedAt: new Date(timing.started).toISOString(),
      clusterWallMs: hostNowMs() - timing.started,
      startupMs: timing.startupMs,
      backends: [...new Set(Object.values(processes).flatMap((p) => (p.backend !== undefined ? [p.backend] : [])))],
    },
    medium: mediumReport,
    processes,
    emulatorCpuMsPerInference: summary.requests.finalised > 0 ? cpuMs / summary.requests.finalised : NaN,
    startupCpuMs,
    violations,
  };
}
