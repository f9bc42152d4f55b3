import type { Topology } from './topology';
import type { RoleChild } from './child';

/** A device of the cluster and its processes. */
export interface DeviceSlot {
  id: string;
  index: number;
  /** The process currently standing for the device (null once it is killed and not yet replaced). */
  child: RoleChild | null;
  /** A warm standby process that replaces the device when it is restored. */
  spare: RoleChild | null;
  /** Modelled compute-time multiplier (slow-down faults). */
  computeFactor: number;
  /** Processes started for this device so far. */
  incarnations: number;
}

/** Options of {@link Cluster.start}. */
export interface ClusterOptions {
  topology: Topology;
  /** Run directory (exists; `config/` and `logs/` are created in it). */
  outDir: string;
  /** Path of `packages/cli/bin/wearnet.js`. */
  cliBin: string;
  /** Environment of the children; default `process.env` (any `WEARNET_TOKEN` in it is removed: the secret travels in a file). */
  env?: NodeJS.ProcessEnv;
  /** Run id every connection's proof covers; default the run directory's name. */
  runId?: string;
  /** Real ms to wait for the medium and the aggregator to be ready; default 30 000. */
  readyTimeoutMs?: number;
  /** Port of the aggregator's metrics server (`/metrics`, `/status`) on 127.0.0.1; default 0 (any free port). */
  metricsPort?: number;
  /** Requests the aggregator may issue before it is allowed more; default all. */
  issueLimit?: number;
  /** Path of the device entry point; default the lean `bin/device.js` of `@wearnet/device`. */
  deviceBin?: string;
  /** Most device processes starting at once (integer 1..1024); default the topology's `startConcurrency`, else the host's cores (2..8). */
  startConcurrency?: number;
}
