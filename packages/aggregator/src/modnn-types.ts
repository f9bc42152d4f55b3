import type { LinkConfig } from '@wearnet/link';
import type { Logger } from '@wearnet/logger';
import type { Limits } from '@wearnet/protocol';
import type { DatasetSpec } from '@wearnet/workload';
import type { ModnnTrafficSummary } from './modnn-ledger';
import type { ExpectedDevice } from './options';
import type { Distribution } from './stats';

/** Options of `startModnnHub`. */
export interface ModnnHubOptions {
  /** Medium base URL, `ws://host:port`. */
  mediumUrl: string;
  /** Cluster secret (at least 16 bytes). */
  secret: Uint8Array | string;
  /** Directory of the MoDNN bundle set. */
  setDir: string;
  /** One per plan index, in plan order (their classes give the analytic bound and the energy). */
  devices: ExpectedDevice[];
  /** The medium's link config (bound, energy). */
  link: LinkConfig;
  epochMs: number;
  /** Default 1. */
  timeScale?: number;
  /** The slice the sample ids refer to (labels); the devices read the same slice. */
  dataset: DatasetSpec;
  /** Requests, issued one at a time (closed loop) on samples 0, 1, ...; default the slice size. */
  requests?: number;
  /** Modelled ms a request may take; past it, a request still waiting for a band is recorded `stalled`. Default 5000. */
  deadlineMs?: number;
  /** Real ms past a modelled deadline the hub still waits (host slack); default 250. */
  graceMs?: number;
  /** Real ms to wait for every device's hello before starting with those present; default 60 000. */
  startTimeoutMs?: number;
  /** Where `requests.jsonl` and `summary.json` go (created). */
  outDir: string;
  limits?: Partial<Limits>;
  logger?: Logger;
}

/** A message the hub still waited for when a request stalled. */
export interface ModnnWait {
  messageId: number;
  kind: string;
  layer: string;
  /** Device that was to send it. */
  from: string;
}

/** One line of a MoDNN run's `requests.jsonl`. */
export interface ModnnRecord {
  id: number;
  sample: number;
  label: number;
  /** `ok`: gathered by the deadline; `late`: gathered after it (counted wrong); `stalled`: not gathered by the deadline. */
  status: 'ok' | 'late' | 'stalled';
  predicted: number | null;
  correct: boolean;
  /** Modelled start, ms. */
  startMs: number;
  /** Modelled time from start to the last logit slice, ms; null when stalled. */
  latencyMs: number | null;
  /** Stalled: what the hub still waited for. */
  waitingFor?: ModnnWait[];
  /** Stalled: expected devices that were not connected and welcomed at the deadline. */
  missingDevices?: string[];
}

/** `summary.json` of a MoDNN run. */
export interface ModnnRunSummary {
  format: 'wearnet-modnn-run-summary';
  version: 1;
  devices: string[];
  requests: { issued: number; completed: number; late: number; stalled: number; correct: number; accuracy: number };
  /** Modelled latency of the gathered requests, ms. */
  latencyMs: Distribution;
  /** The analytic lossless latency of the layer-wise schedule on this link and these device classes, with the measured envelope, ms. */
  boundMs: number;
  /** Mean bytes each message carried beyond its tensor payload (protocol envelope), measured. */
  envelopeBytes: number;
  /** Tensor payload bytes per inference the plan gives (no envelope). */
  plannedBytesPerInference: number;
  traffic: ModnnTrafficSummary;
}
