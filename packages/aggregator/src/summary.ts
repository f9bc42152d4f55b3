import { distribution, type Distribution } from './stats';
import type { CutCause, MissingReason, RequestRecord } from './request-record';

/** Per-device part of a {@link RunSummary}. */
export interface DeviceSummary {
  deviceIndex: number;
  deviceClass: string;
  /** Requests whose vector from this device was fused. */
  arrived: number;
  missing: Partial<Record<MissingReason, number>>;
  /** Modelled latency of this device's results, ms. */
  latencyMs: Distribution;
  /** Modelled energy per issued request, nJ: radio (link energy-per-bit hooks) and compute (device class). */
  energyNjPerInference: EnergyPerInference;
}

/**
 * Modelled energy of one device per issued request, nJ. Radio: bits the device put on the air
 * (data frames of its results, ACKs of the hub's frames, every attempt counted) x the link's TX
 * nJ/bit, plus bits it received x RX nJ/bit; compute: MACs of its student x the device class's
 * pJ/MAC for every request it computed (delivered, late or lost on the way).
 */
export interface EnergyPerInference {
  /** `radioTx + radioRx`. */
  radio: number;
  radioTx: number;
  radioRx: number;
  compute: number;
  /** `radio + compute`. */
  total: number;
}

/** What a run measured, as the aggregator saw it (`summary.json`). */
export interface RunSummary {
  format: 'wearnet-run-summary';
  version: 1;
  /** False when the run was stopped before every request finished. */
  complete: boolean;
  /** Why the run was cut short (absent when it completed). */
  cause?: CutCause;
  /** `cut`: records of requests cut short; `unpredicted`: records with nothing fused (prediction null). */
  requests: {
    issued: number;
    finalised: number;
    correct: number;
    accuracy: number;
    deadlineMisses: number;
    deadlineMissRate: number;
    cut: number;
    unpredicted: number;
  };
  /** Accuracy by number of device vectors fused. */
  accuracyByArrived: { arrived: number; count: number; accuracy: number }[];
  /** Modelled request latency, ms. */
  latencyMs: Distribution;
  /** The analytic lossless latency of one request round (median over requests where every device answered), ms. */
  boundMs: number;
  /** Host wall time per request, ms (diagnostic). */
  hostLatencyMs: Distribution;
  /** Payload bytes per finalised request. */
  bytesPerInference: { down: number; up: number; total: number };
  /** Link-layer retries and lost frame attempts per finalised request. */
  retriesPerInference: number;
  lostFramesPerInference: number;
  /** Modelled time from the first start to the last fusion, ms, and the modelled rate. */
  modelledDurationMs: number;
  inferencesPerSecond: number;
  /** Real time of the workload, ms. */
  wallMs: number;
  /**
   * Results in time on the modelled clock that reached the aggregator after the real-time grace
   * (counted missing). Non-zero means the host did not keep up: lower the time scale or the load.
   */
  hostLateResults: number;
  /**
   * How late, in modelled ms, the host issued each request after its intended start (the previous
   * completion in a closed loop, the schedule in an open loop). Large values mean the host does
   * not keep up with the time scale: closed loops absorb it as idle time, open loops as queueing.
   */
  issueLagMs: Distribution;
  devices: Record<string, DeviceSummary>;
  /** Radio energy of the hub (the aggregator's transceiver) per issued request, nJ: the mirror image of the devices' traffic. */
  hubEnergyNjPerInference: { radioTx: number; radioRx: number; total: number };
}

/** Inputs of {@link summarise} besides the records. */
export interface SummaryContext {
  issued: number;
  complete: boolean;
  /** Why the run was cut short, if it was. */
  cause?: CutCause;
  wallMs: number;
  devices: { deviceId: string; deviceIndex: number; deviceClass: string }[];
  /** Per device: radio (transmit, receive) and compute energy accumulated over the run, nJ. */
  energyNj: Record<string, { radioTx: number; radioRx: number; compute: number }>;
  /** Radio energy of the hub accumulated over the run, nJ; default zero. */
  hubEnergyNj?: { radioTx: number; radioRx: number };
  /** Per-request analytic bounds (requests where every device answered). */
  bounds: number[];
  hostLateResults: number;
  /** Host lag at each issue, modelled ms. */
  issueLags: number[];
}

/** Builds the run summary from the records. */
export function summarise(records: readonly RequestRecord[], context: SummaryContext): RunSummary {
  const n = records.length;
  const correct = records.filter((r) => r.correct).length;
  const misses = records.filter((r) => r.deadlineMissed).length;
  const byArrived = new Map<number, { count: number; correct: number }>();
  for (const r of records) {
    const entry = byArrived.get(r.arrived.length) ?? { count: 0, correct: 0 };
    entry.count += 1;
    if (r.correct) entry.correct += 1;
    byArrived.set(r.arrived.length, entry);
  }
  const per = (value: number): number => (n === 0 ? 0 : value / n);
  const sum = (f: (r: RequestRecord) => number): number => records.reduce((a, r) => a + f(r), 0);
  const starts = records.map((r) => r.startMs);
  const ends = records.map((r) => r.startMs + r.latencyMs);
  const modelledDurationMs = n === 0 ? 0 : Math.max(...ends) - Math.min(...starts);
  const devices: Record<string, DeviceSummary> = {};
  for (const d of context.devices) {
    const missing: Partial<Record<MissingReason, number>> = {};
    const latencies: number[] = [];
    let arrived = 0;
    for (const r of records) {
      const outcome = r.devices[d.deviceId];
      if (!outcome) continue;
      if (outcome.missing) missing[outcome.missing] = (missing[outcome.missing] ?? 0) + 1;
      else {
        arrived += 1;
        if (outcome.latencyMs !== undefined) latencies.push(outcome.latencyMs);
      }
    }
    const energy = context.energyNj[d.deviceId] ?? { radioTx: 0, radioRx: 0, compute: 0 };
    const issued = Math.max(1, context.issued);
    const radioTx = energy.radioTx / issued;
    const radioRx = energy.radioRx / issued;
    const compute = energy.compute / issued;
    devices[d.deviceId] = {
      deviceIndex: d.deviceIndex,
      deviceClass: d.deviceClass,
      arrived,
      missing,
      latencyMs: distribution(latencies),
      energyNjPerInference: { radio: radioTx + radioRx, radioTx, radioRx, compute, total: radioTx + radioRx + compute },
    };
  }
  const hub = context.hubEnergyNj ?? { radioTx: 0, radioRx: 0 };
  const perIssued = (value: number): number => value / Math.max(1, context.issued);
  const down = per(sum((r) => r.bytesDown));
  const up = per(sum((r) => r.bytesUp));
  return {
    format: 'wearnet-run-summary',
    version: 1,
    complete: context.complete,
    ...(context.cause ? { cause: context.cause } : {}),
    requests: {
      ...{ issued: context.issued, finalised: n, correct, accuracy: per(correct), deadlineMisses: misses, deadlineMissRate: per(misses) },
      ...{ cut: records.filter((r) => r.cut).length, unpredicted: records.filter((r) => r.prediction === null).length },
    },
    accuracyByArrived: [...byArrived.entries()].sort((a, b) => a[0] - b[0]).map(([arrived, e]) => ({ arrived, count: e.count, accuracy: e.correct / e.count })),
    latencyMs: distribution(records.map((r) => r.latencyMs)),
    boundMs: distribution(context.bounds).p50,
    hostLatencyMs: distribution(records.map((r) => r.hostMs)),
    bytesPerInference: { down, up, total: down + up },
    retriesPerInference: per(sum((r) => r.retries)),
    lostFramesPerInference: per(sum((r) => r.lostFrames)),
    modelledDurationMs,
    inferencesPerSecond: modelledDurationMs > 0 ? (n * 1000) / modelledDurationMs : 0,
    wallMs: context.wallMs,
    hostLateResults: context.hostLateResults,
    issueLagMs: distribution(context.issueLags),
    devices,
    hubEnergyNjPerInference: { radioTx: perIssued(hub.radioTx), radioRx: perIssued(hub.radioRx), total: perIssued(hub.radioTx + hub.radioRx) },
  };
}
