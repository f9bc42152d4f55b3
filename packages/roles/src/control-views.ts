import type { RequestRecord } from '@wearnet/aggregator';
import type { FaultSpec } from '@wearnet/faults';
import type { Stage, StageDirection, StageSpec } from '@wearnet/link';
import type { LinkView } from '@wearnet/medium';

/** Where a link stage applies. */
export type Direction = StageDirection;

/** One link stage as the control API shows it. */
export type StageView = Stage;

/** `GET /links`: the medium's view of every link and of the medium-wide stages. */
export interface LinksView {
  /** Modelled now, ms. */
  nowMs: number;
  links: LinkView[];
  /** Stages on every link (noise). */
  mediumStages: StageView[];
}

/** How a device's process is doing, as the launcher sees it. */
export type DeviceProcessState = 'running' | 'starting' | 'paused' | 'down';

/** A device as the control API shows it (`GET /devices`). */
export interface DeviceView {
  id: string;
  /** Index of its bundle. */
  index: number;
  /** `running` (authenticated), `starting` (process up, not yet authenticated), `paused` (SIGSTOP), `down` (killed or exited). */
  state: DeviceProcessState;
  pid: number | null;
  /** Whether the aggregator has it authenticated. */
  authenticated: boolean;
  /** Modelled compute-time multiplier (1 = full speed). */
  computeFactor: number;
  /** A warm standby process for the next restore: `none`, `loading` or `ready`. */
  spare: 'none' | 'loading' | 'ready';
  /** Processes started for the device so far. */
  incarnations: number;
}

/** Where a fault is in its life. */
export type FaultState = 'scheduled' | 'active' | 'cleared';

/** A fault as the control API shows it. */
export interface FaultView {
  id: string;
  kind: FaultSpec['kind'];
  targets: string[];
  state: FaultState;
  /** The validated spec (`{ id, kind, targets, start, end, ... }`, see `@wearnet/faults`). */
  spec: FaultSpec;
  /** Modelled ms (the records' clock) it was applied and cleared. */
  appliedAtMs?: number;
  clearedAtMs?: number;
  /** Why applying or clearing it failed. */
  error?: string;
}

/** The workload part of {@link StatusView}. */
export interface WorkloadView {
  total: number;
  issued: number;
  allowed: number;
  done: number;
  correct: number;
  accuracy: number;
  deadlineMisses: number;
  /** Median modelled latency so far, ms; null before the first request. */
  p50LatencyMs: number | null;
}

/** The run as the control API shows it (`GET /status`). */
export interface StatusView {
  runId: string;
  outDir: string;
  /** Modelled now, ms (the records' clock). */
  nowMs: number;
  /** Modelled time the workload started, or null before. */
  workloadStartMs: number | null;
  /** Whether requests are issued only when asked (`POST /workload/run`). */
  gated: boolean;
  /** Whether the workload has ended. */
  finished: boolean;
  workload: WorkloadView;
  devices: DeviceView[];
  faults: FaultView[];
}

/** `POST /workload/run` answers `{ records }`. */
export interface RunRequestsView {
  records: RequestRecord[];
}

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

/** Field of the link kinds: the probability in [0, 1] that the fault applies to each message (seeded, reproducible); default 1. */
interface ToxicInput {
  toxicity?: number;
}

/** A fault to add (`POST /faults`), the same shape as a topology's `faults:` entry (see `@wearnet/faults`). */
export type FaultInput =
  | (FaultTiming & { kind: 'crash' | 'pause'; target: Target })
  | (Omit<FaultTiming, 'durationMs' | 'forRequests'> & { kind: 'restart'; target: Target })
  | (FaultTiming & { kind: 'slow'; target: Target; /** Compute-time multiplier, >= 1. */ factor: number })
  | (FaultTiming & ToxicInput & { kind: 'link-down'; target: Target; direction?: Direction })
  | (FaultTiming & ToxicInput & { kind: 'flap'; target: Target; durationMs: number; upMeanMs: number; downMeanMs: number; direction?: Direction })
  | (FaultTiming & ToxicInput & { kind: 'degrade'; target: Target; direction?: Direction; loss?: number; burst?: BurstInput; rateFactor?: number })
  | (FaultTiming & ToxicInput & { kind: 'noise'; direction?: Direction; loss?: number; burst?: BurstInput; rateFactor?: number })
  | (FaultTiming &
      ToxicInput & {
        kind: 'latency';
        target: Target;
        direction?: Direction;
        /** Fixed delay of each message, modelled ms. */
        latencyMs: number;
        /** Each delay is uniform in latencyMs ± jitterMs (at most latencyMs); default 0. */
        jitterMs?: number;
      })
  | (FaultTiming & ToxicInput & { kind: 'bandwidth'; target: Target; direction?: Direction; /** Payload rate cap, bit/s. */ rateBps: number });

/**
 * An update in place (`PATCH /faults/<id>`): some of the fault kind's changeable fields (`factor` of
 * `slow`; `direction`, `toxicity` and the kind's parameters of the link kinds); `null` puts one back
 * to its default. Identity and timing cannot change.
 */
export interface FaultPatch {
  factor?: number;
  direction?: Direction;
  toxicity?: number | null;
  loss?: number | null;
  burst?: BurstInput | null;
  rateFactor?: number | null;
  latencyMs?: number;
  jitterMs?: number | null;
  rateBps?: number;
}

/** A stage for the medium's own stage API (`POST /links/<device>/stages`, `POST /stages`): `{ name?, type, direction?, attributes?, toxicity?, group? }`. */
export type StageInput = StageSpec;

/**
 * Version of the control API, raised whenever a route or a view changes (1: status, devices,
 * links, faults, reset, workload and stop; 2: adds `PATCH /faults/<id>`, `GET /version` and the
 * medium's stage routes).
 */
export const CONTROL_API_VERSION = 2;

/** `GET /version`. */
export interface VersionView {
  /** wearnet's version (the packages' `version`). */
  version: string;
  /** Version of the wire protocol between the processes (`PROTOCOL_VERSION` of `@wearnet/protocol`). */
  protocolVersion: number;
  /** {@link CONTROL_API_VERSION}. */
  apiVersion: number;
}

/** Every route of the control API, `METHOD path` (a fault id in place of `:id`, a device id in place of `:device`, a stage name in place of `:name`). */
export const CONTROL_ROUTES = [
  'GET /status',
  'GET /devices',
  'GET /links',
  'GET /faults',
  'GET /faults/:id',
  'POST /faults',
  'PATCH /faults/:id',
  'DELETE /faults/:id',
  'GET /version',
  'POST /links/:device/stages',
  'DELETE /links/:device/stages/:name',
  'POST /stages',
  'DELETE /stages/:name',
  'POST /reset',
  'POST /workload/run',
  'POST /stop',
] as const;

/** One route of {@link CONTROL_ROUTES}. */
export type ControlRoute = (typeof CONTROL_ROUTES)[number];
