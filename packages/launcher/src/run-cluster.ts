import type { Progress } from '@wearnet/aggregator';
import type { FaultSpec } from '@wearnet/faults';
import type { Arrival } from '@wearnet/workload';
import type { ClusterSummary } from './cluster-summary';
import { startRun, type StartRunOptions } from './start-run';
import type { Violation } from './thresholds';

/** Command-line overrides of a topology. */
export interface TopologyOverrides {
  timeScale?: number;
  requests?: number;
  seed?: number;
  /** Output directory (absolute or relative to the working directory). */
  output?: string;
  /** Another bundle set (a directory; `wearnet sweep` runs one per method). */
  bundles?: string;
  /** Whether requests are issued only when asked (`workload.gated`). */
  gated?: boolean;
  /** Replaces the topology's fault schedule. */
  faults?: FaultSpec[];
  /** Replaces the workload's arrival process. */
  arrival?: Arrival;
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
  onStarted?: (info: { mediumUrl: string; mediumHttp: string; metricsUrl: string; controlUrl: string; devices: number; outDir: string }) => void;
  /** Aborting stops the workload early; the partial results are still written. */
  signal?: AbortSignal;
  /** Real ms to wait for the medium and the aggregator to be ready; default 30 000. */
  readyTimeoutMs?: number;
}

/** Outcome of {@link runCluster}. */
export interface RunClusterResult {
  outDir: string;
  summary: ClusterSummary;
  violations: Violation[];
  /** Stopped early by the abort signal (or the workload did not complete). */
  interrupted: boolean;
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
