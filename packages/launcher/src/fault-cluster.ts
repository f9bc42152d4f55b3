import type { Progress } from '@wearnet/aggregator';
import type { Stage, StageSpec } from '@wearnet/link';

/**
 * What the fault runner acts on: the aggregator's view of the run (progress, authenticated
 * devices, the start of the workload) and the primitive operations faults are made of. The
 * launcher's process-owning `Cluster` is one; the compose controller's `RemoteCluster`, which
 * reaches the medium and the aggregator over the network, is the other.
 */
export interface FaultCluster {
  /** Latest progress of the aggregator. */
  readonly progress: Progress | undefined;
  /** Devices the aggregator has authenticated. */
  readonly authenticated: ReadonlySet<string>;
  /** Modelled time the workload started (undefined before). */
  readonly workloadStartMs: number | undefined;
  /** Whether the aggregator has finished the workload. */
  readonly finished: boolean;
  readonly topology: { timeScale: number };
  /** Modelled now, ms. */
  nowMs(): number;
  /** Device ids in topology order. */
  deviceIds(): string[];
  /** Subscribes to the aggregator's progress. */
  on(event: 'progress', listener: () => void): unknown;
  /** Resolves once `predicate` holds; rejects with `E_SETTLE_TIMEOUT` after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void>;
  /** Lets the aggregator issue requests up to `upTo` in all. */
  allowRequests(upTo: number): void;
  kill(id: string): void;
  revive(id: string, timeoutMs: number): Promise<void>;
  restart(id: string): void;
  pause(id: string, paused: boolean): boolean;
  setComputeFactor(id: string, factor: number): void;
  addStage(link: string | null, spec: StageSpec): Promise<Stage>;
  removeStage(link: string | null, name: string): Promise<boolean>;
}
