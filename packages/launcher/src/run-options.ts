import type { Progress } from '@wearnet/aggregator';
import type { FaultSpec } from '@wearnet/faults';
import type { FaultView } from '@wearnet/roles';
import type { Arrival } from '@wearnet/workload';
import type { ClusterSummary, RunEndpoints } from './cluster-summary';
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
  /** Most device processes starting at once (`startConcurrency`, integer 1..1024). */
  startConcurrency?: number;
}

/** Options of `runCluster`. */
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
  onStarted?: (info: {
    mediumUrl: string;
    mediumHttp: string;
    metricsUrl: string;
    controlUrl: string;
    devices: number;
    outDir: string;
    endpoints: RunEndpoints;
  }) => void;
  /** Aborting stops the workload early; the partial results are still written. */
  signal?: AbortSignal;
  /** Real ms to wait for the medium and the aggregator to be ready; default 30 000. */
  readyTimeoutMs?: number;
}

/** Outcome of `runCluster`. */
export interface RunClusterResult {
  outDir: string;
  summary: ClusterSummary;
  violations: Violation[];
  /** Stopped early by the abort signal (or the workload did not complete). */
  interrupted: boolean;
}

/** Options of {@link startRun}: those of `runCluster` and the control API's. */
export interface StartRunOptions extends RunClusterOptions {
  /** Port of the control API (and the launcher's `/metrics`) on 127.0.0.1; default 0 (any free port). */
  controlPort?: number;
  /** Port of the aggregator's metrics server on 127.0.0.1; default 0 (any free port). */
  metricsPort?: number;
  /** Real ms to wait for a crashed device to leave, or a restored one to come back; default 30 000. */
  settleTimeoutMs?: number;
  /** Called when a scheduled fault fails to apply or clear (the run goes on). */
  onFaultError?: (err: Error, fault: FaultView) => void;
}
