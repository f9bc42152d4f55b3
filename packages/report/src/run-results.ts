import type { RequestRecord } from '@wearnet/aggregator';

/** A period during which a fault was active, on the run's modelled clock (the clock of `startMs` in the records). */
export interface FaultPeriod {
  /** Start, modelled ms. */
  startMs: number;
  /** End, modelled ms (>= startMs). */
  endMs: number;
  /** Kind of fault, e.g. `device-down`, `link-loss`; one colour per kind. */
  kind: string;
  /** What it hit, e.g. a device id. */
  target: string;
}

/** Modelled energy per issued request of one device, nJ. */
export interface EnergyNj {
  radio: number;
  compute: number;
  total: number;
}

/** What one direction of one device's link carried over the whole run, from the medium's final report (`summary.medium.links[].counters`). */
export interface LinkTraffic {
  deviceId: string;
  /** `downlink` (hub -> device) or `uplink` (device -> hub). */
  direction: 'downlink' | 'uplink';
  /** Messages put on the body. */
  messages: number;
  /** Payload bytes of those messages (delivered or not), each counted once. */
  payloadBytes: number;
  /** PHY frames the messages were cut into (first attempts). */
  frames: number;
  /** Link-layer retries (frame attempts after the first). */
  retries: number;
  /** Frame attempts lost on the body. */
  lostFrames: number;
  /** Bits of every data frame attempt, MAC header and FCS included. */
  dataBits: number;
  /** Bits of the ACKs sent back for this direction's frames. */
  ackBits: number;
  /** Medium time occupied, ms (modelled). */
  airtimeMs: number;
}

/** One device as `summary.json` lists it. */
export interface ReportDevice {
  id: string;
  deviceIndex: number;
  deviceClass: string;
  /** Absent when the summary predates energy accounting. */
  energyNjPerInference?: EnergyNj;
}

/** The part of `summary.json` (aggregator `RunSummary` plus the launcher's `run` block) a report shows. */
export interface ReportSummary {
  complete: boolean;
  requests: { issued: number; finalised: number; accuracy: number; deadlineMissRate: number };
  /** Modelled request latency percentiles, ms (NaN when no request finished). */
  latencyMs: { p50: number; p95: number; p99: number };
  /** Analytic lossless latency of one round, ms (NaN when unknown). */
  boundMs: number;
  /** Payload bytes per finalised request. */
  bytesPerInference: { down: number; up: number; total: number };
  /** Devices in index order. */
  devices: ReportDevice[];
  /** The launcher's description of the run, when present. */
  run?: { id?: string; name?: string; linkPreset?: string; bundles?: string; method?: string };
  /** Fault periods of the run, when the launcher recorded a fault schedule (`summary.faults`). */
  faults: FaultPeriod[];
  /** How late the host issued requests after their intended start, modelled ms (`summary.issueLagMs`; absent in older summaries). */
  issueLagMs?: { p50: number; p95: number; max: number };
  /** Results that reached the hub after the real-time grace (`summary.hostLateResults`; absent in older summaries). */
  hostLateResults?: number;
  /** Per device and direction, what the medium carried (`summary.medium.links`; empty without a medium report). */
  traffic: LinkTraffic[];
}

/** Set-up facts of a run read from its `topology.json` (the launcher's resolved topology), when present. */
export interface RunSetup {
  /** The workload's deadline per request, modelled ms. */
  deadlineMs?: number;
  /** MAC header + FCS bytes per PHY frame of the link. */
  frameOverheadBytes?: number;
}

/** One run directory, read and validated. */
export interface RunResults {
  /** Absolute path of the run directory. */
  dir: string;
  /** Run id (`summary.run.id`, else the directory name). */
  id: string;
  /** Method the run emulated, the key that groups runs in the charts (see README: "method of a run"). */
  method: string;
  summary: ReportSummary;
  /** Records of `requests.jsonl` in file order. */
  records: RequestRecord[];
  /** From `topology.json` next to the summary; empty when it is absent or unreadable. */
  setup: RunSetup;
}
