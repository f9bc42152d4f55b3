import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { summarise, type CutCause, type RequestRecord, type RunSummary } from '@wearnet/aggregator';
import { bundleMethodLabel, readBundleSet, type BundleSet } from '@wearnet/bundle';
import { hostNowMs } from '@wearnet/link';
import type { DeviceView, StatusView } from '@wearnet/roles';
import type { RoleChild } from './child';
import { Cluster } from './cluster';
import { buildClusterSummary, type RunEndpoints } from './cluster-summary';
import { createRunMetrics } from './run-metrics';
import { hostDisturbance, readRecords } from './host-disturbance';
import { startControlServer, type ControlServer, type ControlTarget } from './control-server';
import { LauncherError, knownLink } from './errors';
import { FaultRunner, initialIssueLimit } from './fault-runner';
import { checkDeviceBundles } from './bundle-check';
import { loadTopology } from './load-topology';
import { resolveStartConcurrency } from './start-pipeline';
import { recoverRecords, type RecoveredRecords } from './records-recovery';
import type { RunClusterResult, StartRunOptions, TopologyOverrides } from './run-options';
import type { Topology } from './topology';

/** A running cluster: the control API's target, and the promise of its results. */
export interface ClusterRun extends ControlTarget {
  runId: string;
  outDir: string;
  topology: Topology;
  /** The control API server (also written to `<outDir>/control.json`). */
  control: ControlServer;
  /** Resolves with the number of devices when the workload starts. */
  started: Promise<number>;
  /** Resolves when the run has ended, torn down and written `summary.json`. */
  finished: Promise<RunClusterResult>;
  /**
   * Resolves once the aggregator has these devices authenticated: exactly these (`exact`, the
   * default) or at least these (real ms timeout; `E_SETTLE_TIMEOUT`).
   */
  waitForDevices(ids: readonly string[], timeoutMs: number, exact?: boolean): Promise<void>;
  /** Modelled now, ms (the records' clock). */
  nowMs(): number;
}

/**
 * Starts a topology as separate OS processes (medium, aggregator, devices) with its fault
 * schedule and its control API, and returns at once with the running cluster. The run ends when
 * the workload is done, on `stop()` (also `POST /stop`) or on abort; then every process is torn
 * down (paused ones continued, spares killed: nothing outlives the run) and `summary.json` is
 * written with the fault periods, the method and the control port. `runCluster` is this plus
 * waiting for `finished`.
 * @throws LauncherError `E_TOPOLOGY_*`, `E_READY_TIMEOUT`, `E_CHILD_FAILED` (from `finished` once started).
 */
export async function startRun(options: StartRunOptions): Promise<ClusterRun> {
  const loaded = await loadTopology(options.topologyFile);
  const topology = loaded.topology;
  const bundleSet = await applyOverrides(topology, loaded.bundleSet, options.overrides ?? {});
  // Every bundle file's sha256, before any process starts: a broken device fails the start now.
  const degraded = await checkDeviceBundles(topology, bundleSet);
  const runId = `${topology.name}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const outDir = topology.output ?? path.resolve(options.resultsDir ?? 'results', runId);
  mkdirSync(path.join(outDir, 'config'), { recursive: true });
  mkdirSync(path.join(outDir, 'logs'), { recursive: true });
  writeFileSync(path.join(outDir, 'topology.json'), `${JSON.stringify(topology, null, 2)}\n`);

  const gated = topology.workload.gated;
  const started = hostNowMs();
  const cluster = await Cluster.start({
    topology,
    outDir,
    runId,
    cliBin: options.cliBin,
    env: options.env,
    readyTimeoutMs: options.readyTimeoutMs,
    issueLimit: initialIssueLimit(topology.faults, gated),
    metricsPort: options.metricsPort,
  });
  const runner = new FaultRunner(cluster, { seed: topology.seed, settleTimeoutMs: options.settleTimeoutMs, onError: options.onFaultError }, gated);
  const metrics = createRunMetrics({ activeFaults: () => runner.active() });
  const runInfo = { topology: topology.name, method: bundleMethodLabel(bundleSet), seed: topology.seed };
  metrics.setRunInfo({ ...runInfo, backend: '' });
  let control: ControlServer | undefined;
  try {
    for (const fault of topology.faults) await runner.schedule(fault);
    if (options.onProgress) cluster.on('progress', options.onProgress);
    control = await startControlServer(target(), { port: options.controlPort, metrics: metrics.registry });
  } catch (err) {
    await cluster.teardown();
    throw err;
  }
  const endpoints = runEndpoints(control, cluster);
  writeFileSync(
    path.join(outDir, 'control.json'),
    `${JSON.stringify({ url: control.url, port: control.port, pid: process.pid, runId, endpoints }, null, 2)}\n`,
  );

  let interrupted = false;
  let stopRequested = false;
  const records: RequestRecord[] = [];
  const readyTimeoutMs = options.readyTimeoutMs ?? 30000;
  const startedPromise = cluster.started(topology.startTimeoutMs + readyTimeoutMs).then((devices) => {
    runner.workloadStarted();
    metrics.setRunInfo({ ...runInfo, backend: backendsOf(cluster.children).join(',') });
    options.onStarted?.({
      mediumUrl: endpoints.medium,
      mediumHttp: endpoints.mediumHttp,
      metricsUrl: endpoints.aggregatorMetrics,
      controlUrl: endpoints.control,
      devices,
      outDir,
      endpoints,
    });
    return devices;
  });
  startedPromise.catch(() => undefined);
  const onAbort = (): void => {
    interrupted = true;
    cluster.stopWorkload();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  const finished = (async (): Promise<RunClusterResult> => {
    let summary: RunSummary | undefined;
    let failure: Error | undefined;
    try {
      await Promise.race([startedPromise, cluster.failure]);
      summary = await Promise.race([cluster.done, cluster.failure]);
    } catch (err) {
      failure = err as Error;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      runner.close();
      await control?.close();
      await cluster.teardown();
    }
    // Whatever died, every issued request gets exactly one record, and summary.json is written.
    const cause = failure ? { code: (failure as { code?: string }).code ?? 'E_CHILD_FAILED', message: failure.message } : summary?.cause;
    const deviceIds = topology.devices.map((d) => d.id);
    const recovered = recoverRecords(outDir, deviceIds, cause ?? { code: 'E_CHILD_FAILED', message: 'the aggregator left requests unrecorded' });
    summary = summary ?? cluster.reportedSummary;
    if (!summary || recovered.added > 0) summary = recoveredSummary(recovered, topology, { cause, wallMs: hostNowMs() - started });
    if (failure) summary = { ...summary, complete: false, cause };
    const result = buildClusterSummary(summary, {
      topology,
      bundleSet,
      runId,
      children: cluster.children,
      startedHostMs: started,
      startupMs: cluster.startupMs,
      control: { url: (control as ControlServer).url, port: (control as ControlServer).port },
      endpoints,
      faults: runner.periods(cluster.nowMs()),
    });
    result.violations.unshift(...degraded);
    result.hostDisturbed = hostDisturbance(readRecords(path.join(outDir, 'requests.jsonl')), result.medium);
    writeFileSync(path.join(outDir, 'summary.json'), `${JSON.stringify(result, null, 2)}\n`);
    if (failure) throw failure;
    return { outDir, summary: result, violations: result.violations, interrupted: interrupted || (!result.complete && !stopRequested) };
  })();
  finished.catch(() => undefined);

  function target(): ControlTarget {
    return {
      status: (): StatusView => {
        const p = cluster.progress;
        return {
          runId,
          outDir,
          nowMs: cluster.nowMs(),
          workloadStartMs: cluster.workloadStartMs ?? null,
          gated,
          finished: cluster.finished,
          workload: {
            total: p?.total ?? topology.workload.requests,
            issued: p?.issued ?? 0,
            allowed: p?.allowed ?? 0,
            done: p?.done ?? 0,
            correct: p?.correct ?? 0,
            accuracy: p && p.done > 0 ? p.correct / p.done : 0,
            deadlineMisses: p?.deadlineMisses ?? 0,
            p50LatencyMs: p && Number.isFinite(p.p50LatencyMs) ? p.p50LatencyMs : null,
          },
          devices: devices(),
          faults: runner.views(),
        };
      },
      devices,
      links: () => cluster.links(),
      listFaults: () => runner.views(),
      getFault: (id) => runner.find(id),
      addFault: async (input) => {
        if (cluster.finished) throw new LauncherError('E_RUN_FINISHED', 'the workload has ended');
        return runner.add(input);
      },
      updateFault: async (id, patch) => {
        if (cluster.finished) throw new LauncherError('E_RUN_FINISHED', 'the workload has ended');
        return runner.update(id, patch);
      },
      removeFault: (id) => runner.remove(id),
      addStage: (link, spec) => cluster.addStage(knownLink(topology.devices, link), spec),
      removeStage: (link, name) => cluster.removeStage(knownLink(topology.devices, link), name),
      reset: () => runner.reset(),
      runRequests: async (n) => {
        if (!gated) throw new LauncherError('E_NOT_GATED', 'this run is not gated: its workload runs by itself (set workload.gated: true in the topology)');
        if (cluster.finished) throw new LauncherError('E_RUN_FINISHED', 'the workload has ended');
        await startedPromise;
        const modelledMs = n * topology.workload.deadlineMs;
        const upTo = await runner.runRequests(n, 60000 + (2 * modelledMs) / topology.timeScale);
        records.push(...cluster.newRecords());
        return records.filter((r) => r.id >= upTo - n && r.id < upTo);
      },
      stop: () => {
        stopRequested = true;
        cluster.stopWorkload();
      },
    };
  }

  function devices(): DeviceView[] {
    return topology.devices.map((d) => ({ id: d.id, index: d.index, authenticated: cluster.authenticated.has(d.id), ...cluster.deviceState(d.id) }));
  }

  const waitForDevices = (ids: readonly string[], timeoutMs: number, exact = true): Promise<void> =>
    cluster.waitFor(
      () => (!exact || cluster.authenticated.size === ids.length) && ids.every((id) => cluster.authenticated.has(id)),
      timeoutMs,
      `devices ${ids.join(', ') || '(none)'} authenticated`,
    );
  return { ...target(), runId, outDir, topology, control, started: startedPromise, finished, waitForDevices, nowMs: () => cluster.nowMs() };
}

/** The TensorFlow.js backends the device processes reported when ready, sorted. */
function backendsOf(children: readonly RoleChild[]): string[] {
  const backends = new Set<string>();
  for (const child of children) for (const e of child.events) if (e.event === 'ready' && e.backend !== undefined) backends.add(e.backend);
  return [...backends].sort();
}

/** Every URL of a run (control.json, summary.json `run.endpoints`, `onStarted`). */
function runEndpoints(control: ControlServer, cluster: Cluster): RunEndpoints {
  const medium = `127.0.0.1:${cluster.mediumPort}`;
  const aggregator = `http://127.0.0.1:${cluster.metricsPort}`;
  return {
    control: control.url,
    controlMetrics: `${control.url}/metrics`,
    aggregatorMetrics: `${aggregator}/metrics`,
    aggregatorStatus: `${aggregator}/status`,
    medium: `ws://${medium}`,
    mediumHttp: `http://${medium}`,
    mediumMetrics: `http://${medium}/metrics`,
    mediumLinks: `http://${medium}/links`,
  };
}

/**
 * Runs a topology end to end as separate OS processes: medium, then aggregator, then devices;
 * waits for readiness, runs the fault schedule, follows progress, collects the summary and every
 * process's resource use, tears everything down (also on abort or failure: no child outlives the
 * call), and checks the thresholds. Writes `requests.jsonl`, `summary.json`, `topology.json`,
 * `control.json`, `config/` and `logs/`. A gated workload runs until `POST /stop` on its control API.
 * @throws LauncherError `E_TOPOLOGY_*`, `E_READY_TIMEOUT`, `E_CHILD_FAILED`.
 */
export async function runCluster(options: StartRunOptions): Promise<RunClusterResult> {
  const run = await startRun(options);
  return run.finished;
}

async function applyOverrides(topology: Topology, bundleSet: BundleSet, overrides: TopologyOverrides): Promise<BundleSet> {
  if (overrides.timeScale !== undefined) {
    if (!(overrides.timeScale > 0)) throw new RangeError(`timeScale must be positive, got ${overrides.timeScale}`);
    topology.timeScale = overrides.timeScale;
    if (overrides.timeScale > 1 && topology.reorderWindowMs === 0) topology.reorderWindowMs = 10;
  }
  if (overrides.requests !== undefined) {
    if (!(Number.isInteger(overrides.requests) && overrides.requests > 0))
      throw new RangeError(`requests must be a positive integer, got ${overrides.requests}`);
    topology.workload.requests = overrides.requests;
  }
  if (overrides.seed !== undefined) {
    if (!Number.isSafeInteger(overrides.seed)) throw new RangeError(`seed must be an integer, got ${overrides.seed}`);
    topology.seed = overrides.seed;
  }
  if (overrides.output !== undefined) topology.output = path.resolve(overrides.output);
  if (overrides.gated !== undefined) topology.workload.gated = overrides.gated;
  if (overrides.faults !== undefined) topology.faults = overrides.faults;
  if (overrides.arrival !== undefined) topology.workload.arrival = overrides.arrival;
  if (overrides.startConcurrency !== undefined) topology.startConcurrency = resolveStartConcurrency(overrides.startConcurrency);
  if (overrides.bundles === undefined) return bundleSet;
  topology.bundles = path.resolve(overrides.bundles);
  let set: BundleSet;
  try {
    set = await readBundleSet(topology.bundles);
  } catch (cause) {
    throw new LauncherError('E_TOPOLOGY_INVALID', `bundles ${topology.bundles}: ${(cause as Error).message}`, { cause, path: 'bundles' });
  }
  for (const device of topology.devices) {
    if (device.index >= set.set.devices)
      throw new LauncherError(
        'E_TOPOLOGY_INVALID',
        `device ${device.id} needs bundle index ${device.index}, but ${topology.bundles} holds ${set.set.devices} devices`,
        { path: 'bundles' },
      );
  }
  return set;
}

/** The summary of a run whose aggregator could not give one (or left requests unrecorded): built from the records alone. */
function recoveredSummary(recovered: RecoveredRecords, topology: Topology, at: { cause: CutCause | undefined; wallMs: number }): RunSummary {
  return summarise(recovered.records, {
    issued: recovered.issued,
    complete: false,
    cause: at.cause ?? { code: 'E_CHILD_FAILED', message: 'the aggregator left requests unrecorded' },
    wallMs: at.wallMs,
    devices: topology.devices.map((d) => ({ deviceId: d.id, deviceIndex: d.index, deviceClass: d.deviceClass.name })),
    energyNj: {},
    bounds: [],
    hostLateResults: 0,
    issueLags: [],
  });
}
