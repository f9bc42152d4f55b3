import { classify, fuseVectors, type AggregatorBundle } from '@wearnet/bundle';
import { computeTimeMs } from '@wearnet/hardware';
import { hostNowMs, roundBound, type LinkConfig } from '@wearnet/link';
import type { CutCause, DeviceOutcome, MissingReason, RequestRecord } from './request-record';
import type { Session, Sessions } from './sessions';

/** What one device has delivered for a request so far. */
export interface DeviceSlot {
  status: 'waiting' | 'arrived' | 'failed';
  vector?: Float32Array;
  /** Modelled ms of the arrival or failure. */
  atMs?: number;
  computeMs?: number;
  missing?: MissingReason;
}

/** A request issued and not yet fused. */
export interface PendingRequest {
  id: number;
  sample: number;
  /** Modelled start, ms. */
  startMs: number;
  hostStartMs: number;
  /** One per device the request was sent to. */
  slots: Map<string, DeviceSlot>;
  /** Devices not authenticated when it started. */
  notConnected: string[];
  bytesDown: number;
  bytesUp: number;
  retries: number;
  lostFrames: number;
  downBytesByDevice: Map<string, number>;
  /** Fires at the deadline plus the host grace. */
  timer: NodeJS.Timeout | null;
}

/** A fresh pending request. */
export function newPendingRequest(id: number, sample: number, startMs: number): PendingRequest {
  return {
    id,
    sample,
    startMs,
    hostStartMs: hostNowMs(),
    slots: new Map(),
    notConnected: [],
    bytesDown: 0,
    bytesUp: 0,
    retries: 0,
    lostFrames: 0,
    downBytesByDevice: new Map(),
    timer: null,
  };
}

/** What {@link fuseRequest} needs besides the request. */
export interface FuseContext {
  bundle: AggregatorBundle;
  sessions: Sessions;
  /** Label of each sample of the slice. */
  labels: ArrayLike<number>;
  deadlineMs: number;
}

/** Fuses what a request has received as the bundle says, classifies it, and returns its record. */
export function fuseRequest(pending: PendingRequest, context: FuseContext, cut?: CutCause): RequestRecord {
  const { bundle, sessions, deadlineMs } = context;
  const m = bundle.manifest;
  const vectors: (Float32Array | undefined)[] = new Array(m.devices).fill(undefined);
  // Entries, not assignments: a device may be called `__proto__`.
  const outcomes: [string, DeviceOutcome][] = [];
  const arrived: string[] = [];
  let waiting = false;
  let lastMs = pending.startMs;
  for (const [deviceId, slot] of pending.slots) {
    const session = sessions.get(deviceId) as Session;
    if (slot.status === 'arrived') {
      vectors[session.device.deviceIndex] = slot.vector;
      arrived.push(deviceId);
      outcomes.push([deviceId, { latencyMs: (slot.atMs as number) - pending.startMs, computeMs: slot.computeMs }]);
      lastMs = Math.max(lastMs, slot.atMs as number);
    } else {
      if (slot.status === 'waiting') waiting = true;
      else lastMs = Math.max(lastMs, Math.min(slot.atMs ?? lastMs, pending.startMs + deadlineMs));
      outcomes.push([deviceId, { missing: slot.missing ?? (cut && slot.status === 'waiting' ? 'cut' : 'no-reply') }]);
    }
  }
  for (const deviceId of pending.notConnected) outcomes.push([deviceId, { missing: 'not-connected' }]);
  const devices: Record<string, DeviceOutcome> = Object.fromEntries(outcomes);
  // Fused at the deadline: something was still awaited, or arrived stamped too late.
  const deadlineMissed = !cut && (waiting || [...pending.slots.values()].some((slot) => slot.missing === 'late'));
  const latencyMs = (deadlineMissed ? pending.startMs + deadlineMs : lastMs) - pending.startMs;
  // Nothing fused, nothing predicted: an all-zero (or empty) fusion says nothing about the input.
  const prediction = arrived.length === 0 ? null : classify(bundle.head, fuseVectors(m, vectors)).prediction;
  const label = context.labels[pending.sample];
  const record: RequestRecord = {
    id: pending.id,
    sample: pending.sample,
    label,
    prediction,
    correct: prediction === label,
    startMs: pending.startMs,
    latencyMs,
    deadlineMissed,
    arrived,
    devices,
    bytesDown: pending.bytesDown,
    bytesUp: pending.bytesUp,
    retries: pending.retries,
    lostFrames: pending.lostFrames,
    hostMs: hostNowMs() - pending.hostStartMs,
  };
  if (cut) record.cut = cut;
  return record;
}

/** The analytic lossless round of a request every device answered, modelled ms. */
export function requestBoundMs(pending: PendingRequest, arrived: readonly string[], context: { sessions: Sessions; link: LinkConfig }): number {
  const { sessions, link } = context;
  const answered = arrived.map((id) => sessions.get(id) as Session);
  const up = pending.bytesUp / Math.max(1, arrived.length);
  return roundBound({
    link,
    downlinkBytes: answered.map((s) => pending.downBytesByDevice.get(s.device.deviceId) ?? 0),
    computeMs: answered.map((s) => computeTimeMs(s.device.deviceClass, s.macs)),
    uplinkBytes: answered.map(() => Math.round(up)),
  }).roundMs;
}
