/** Where a link stage applies. */
export type Direction = 'both' | 'uplink' | 'downlink';

/** Gilbert-Elliott fades: mean good and bad holding times (modelled ms), loss in each state (defaults 0 and 1). */
export interface BurstInput {
  goodMeanMs: number;
  badMeanMs: number;
  lossInGood?: number;
  lossInBad?: number;
}

/** Fields every fault may have. Times are modelled ms; without `atMs`/`afterRequests` the fault starts at once, without `durationMs`/`forRequests` it holds until removed. */
interface FaultTiming {
  /** `[A-Za-z0-9_.-]{1,64}`, unique in the run; default `<kind>-<n>`. */
  id?: string;
  /** Start at this modelled time after the workload started. */
  atMs?: number;
  /** Start once this many requests are finalised (exact). */
  afterRequests?: number;
  /** Clear after this modelled time. */
  durationMs?: number;
  /** Clear after this many further requests (exact). */
  forRequests?: number;
}

/** A device id or a list of them. */
type Target = string | string[];

/** A fault to add (`POST /faults`), the same shape as a topology's `faults:` entry (see `@wearnet/faults`). */
export type FaultInput =
  | (FaultTiming & { kind: 'crash' | 'pause'; target: Target })
  | (Omit<FaultTiming, 'durationMs' | 'forRequests'> & { kind: 'restart'; target: Target })
  | (FaultTiming & { kind: 'slow'; target: Target; /** Compute-time multiplier, >= 1. */ factor: number })
  | (FaultTiming & { kind: 'link-down'; target: Target; direction?: Direction })
  | (FaultTiming & { kind: 'flap'; target: Target; durationMs: number; upMeanMs: number; downMeanMs: number; direction?: Direction })
  | (FaultTiming & { kind: 'degrade'; target: Target; direction?: Direction; loss?: number; burst?: BurstInput; rateFactor?: number })
  | (FaultTiming & { kind: 'noise'; direction?: Direction; loss?: number; burst?: BurstInput; rateFactor?: number });

/** A fault as the API shows it. */
export interface FaultView {
  id: string;
  kind: FaultInput['kind'];
  targets: string[];
  state: 'scheduled' | 'active' | 'cleared';
  /** The validated spec (`{ id, kind, targets, start, end, ... }`). */
  spec: Record<string, unknown>;
  /** Modelled ms (the records' clock) it was applied and cleared. */
  appliedAtMs?: number;
  clearedAtMs?: number;
  error?: string;
}

/** A device as the API shows it. */
export interface DeviceView {
  id: string;
  index: number;
  /** `running` (authenticated), `starting`, `paused` (SIGSTOP) or `down` (killed). */
  state: 'running' | 'starting' | 'paused' | 'down';
  pid: number | null;
  authenticated: boolean;
  computeFactor: number;
  spare: 'none' | 'loading' | 'ready';
  incarnations: number;
}

/** One link stage. */
export interface StageView {
  name: string;
  type: string;
  direction: Direction;
  attributes: Record<string, number | string | boolean>;
}

/** `GET /links`: the medium's view. */
export interface LinksView {
  /** Modelled now, ms. */
  nowMs: number;
  links: { deviceId: string; connected: boolean; state: 'up' | 'degraded' | 'down'; stages: StageView[]; counters: Record<'uplink' | 'downlink', Record<string, number>> }[];
  /** Stages on every link (noise). */
  mediumStages: StageView[];
}

/** `GET /status`. */
export interface StatusView {
  runId: string;
  outDir: string;
  nowMs: number;
  workloadStartMs: number | null;
  gated: boolean;
  finished: boolean;
  workload: { total: number; issued: number; allowed: number; done: number; correct: number; accuracy: number; deadlineMisses: number; p50LatencyMs: number | null };
  devices: DeviceView[];
  faults: FaultView[];
}

/** Why a device's vector is missing from a request. */
export type MissingReason = 'not-connected' | 'downlink-lost' | 'uplink-lost' | 'late' | 'error' | 'no-reply';

/** One request as the aggregator recorded it (a line of `requests.jsonl`). */
export interface RequestRecord {
  id: number;
  sample: number;
  label: number;
  prediction: number;
  correct: boolean;
  /** Modelled start, ms. */
  startMs: number;
  /** Modelled latency, ms. */
  latencyMs: number;
  deadlineMissed: boolean;
  /** Ids of the devices whose vectors were fused. */
  arrived: string[];
  devices: Record<string, { latencyMs?: number; computeMs?: number; missing?: MissingReason }>;
  bytesDown: number;
  bytesUp: number;
  retries: number;
  lostFrames: number;
  hostMs: number;
}
