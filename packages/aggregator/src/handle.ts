import type { RunSummary } from './summary';

/** A running aggregator. */
export interface AggregatorHandle {
  /** Port of the metrics HTTP server (`GET /metrics`, `GET /status`). */
  metricsPort: number;
  /** Resolves with the number of authenticated devices when the workload starts. */
  started: Promise<number>;
  /** Resolves with the summary when every request is finalised (or after `stop`); rejects on a fatal error. */
  done: Promise<RunSummary>;
  /**
   * Sets how many requests the aggregator may issue in all: `upTo`, but never below what it has
   * issued nor beyond the workload; it starts issuing at once if it was waiting.
   */
  allowRequests(upTo: number): void;
  /** Stops issuing, finalises what is in flight as it stands, writes the summary. */
  stop(reason: string): Promise<RunSummary>;
  /** Says bye to devices, closes the hub connection and the metrics server. */
  close(): Promise<void>;
}
