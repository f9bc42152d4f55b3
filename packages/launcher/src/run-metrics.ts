import { addProcessMetrics } from '@wearnet/aggregator';
import { Gauge, Registry } from 'prom-client';

/** One fault in effect on one target (a device id, or `medium` for medium-wide stages). */
export interface ActiveFault {
  kind: string;
  target: string;
}

/** Labels of `wearnet_run_info`. */
export interface RunInfo {
  /** Topology name. */
  topology: string;
  /** Method of the bundle set (`nonn`, `averaging`, ...). */
  method: string;
  seed: number;
  /** TensorFlow.js backends of the device processes, comma-separated (empty until they are ready). */
  backend: string;
}

/** Options of {@link createRunMetrics}. */
export interface RunMetricsOptions {
  /** The hook the fault controller answers at each scrape: the faults in effect now. */
  activeFaults: () => readonly ActiveFault[];
  /** Whether to add Node's default process metrics (`process_*`, `nodejs_*`); default true. */
  processMetrics?: boolean;
}

/** The launcher's metrics, served at `GET /metrics` of the control API. */
export interface RunMetrics {
  registry: Registry;
  /** Sets `wearnet_run_info` (one series, value 1; a later call replaces it). */
  setRunInfo(info: RunInfo): void;
}

/**
 * Creates the launcher's metrics: `wearnet_run_info{topology,method,seed,backend}` (1), and
 * `wearnet_faults_active{kind,target}`, the number of faults of each kind in effect on each target,
 * read from `activeFaults` at every scrape (a pair seen once stays, at 0 after its faults clear, so
 * a dashboard sees the fault end).
 */
export function createRunMetrics(options: RunMetricsOptions): RunMetrics {
  const registry = new Registry();
  if (options.processMetrics !== false) addProcessMetrics(registry);
  const info = new Gauge({
    name: 'wearnet_run_info',
    help: 'The run: topology, method, seed and TensorFlow.js backend (value 1)',
    labelNames: ['topology', 'method', 'seed', 'backend'],
    registers: [registry],
  });
  const seen = new Set<string>();
  new Gauge({
    name: 'wearnet_faults_active',
    help: 'Faults in effect by kind and target',
    labelNames: ['kind', 'target'],
    registers: [registry],
    collect() {
      const counts = new Map<string, number>();
      for (const key of seen) counts.set(key, 0);
      for (const f of options.activeFaults()) {
        const key = JSON.stringify([f.kind, f.target]);
        seen.add(key);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      this.reset();
      for (const [key, n] of counts) {
        const [kind, target] = JSON.parse(key) as [string, string];
        this.set({ kind, target }, n);
      }
    },
  });
  return {
    registry,
    setRunInfo: (run) => {
      info.reset();
      info.set({ topology: run.topology, method: run.method, seed: String(run.seed), backend: run.backend }, 1);
    },
  };
}
