import type { LinkConfig, ModelClock } from '@wearnet/link';
import { unpackVector, type DownlinkReportMessage, type ResultMessage, type TransferStats, type UplinkMessage } from '@wearnet/protocol';
import type { DownlinkTag } from './hub-link';
import type { Logger } from '@wearnet/logger';
import type { AggregatorMetrics } from './metrics';
import { fuseRequest, newPendingRequest, requestBoundMs, type FuseContext, type PendingRequest } from './pending-request';
import type { RecordWriter } from './record-writer';
import type { Progress } from './options';
import type { CutCause, MissingReason, RequestRecord } from './request-record';
import type { Session } from './sessions';
import { distribution } from './stats';

/** Options of {@link RequestTable}. */
export interface RequestTableOptions extends FuseContext {
  /** Requests of the whole workload. */
  total: number;
  /** Real ms to wait past a modelled deadline for deliveries already due. */
  graceMs: number;
  link: LinkConfig;
  clock: ModelClock;
  writer: RecordWriter;
  metrics: AggregatorMetrics;
  logger: Logger;
  /** Called after each request is fused and its record written. */
  onFinalised: (record: RequestRecord) => void;
}

/**
 * Every issued request: the ones in flight (what each device has delivered) and the records of
 * the fused ones. A request is fused when every device it was sent to has answered or failed, or
 * at its deadline (plus the host grace); its record is written before the next one is fused.
 */
export class RequestTable {
  /** Records of the fused requests, in fusion order. */
  readonly records: RequestRecord[] = [];
  /** Analytic round of each request every device answered, modelled ms. */
  readonly bounds: number[] = [];
  /** Results in time on the modelled clock that came after the host grace. */
  hostLateResults = 0;
  private readonly pending = new Map<number, PendingRequest>();
  private readonly startById: Float64Array;

  constructor(private readonly options: RequestTableOptions) {
    this.startById = new Float64Array(options.total).fill(NaN);
  }

  /** Opens request `id` at modelled `startMs`; the caller sends it and then calls {@link arm}. */
  open(id: number, sample: number, startMs: number): PendingRequest {
    const pending = newPendingRequest(id, sample, startMs);
    this.pending.set(id, pending);
    this.startById[id] = startMs;
    return pending;
  }

  /** Starts the deadline timer of a request that has been sent, and fuses it if nothing is awaited. */
  arm(pending: PendingRequest): void {
    const deadlineAt = pending.startMs + this.options.deadlineMs;
    pending.timer = setTimeout(() => this.finalise(pending), this.options.clock.realDelayUntilMs(deadlineAt) + this.options.graceMs);
    this.maybeFinalise(pending);
  }

  /** A result from an authenticated device, as it arrived at modelled `uplink.atMs`. */
  result(session: Session, message: ResultMessage, uplink: Pick<UplinkMessage, 'atMs' | 'stats'>): void {
    const { atMs, stats } = uplink;
    const deviceId = session.device.deviceId;
    const deadlineMs = this.options.deadlineMs;
    const pending = this.pending.get(message.requestId);
    if (!pending) {
      const startMs = this.startById[message.requestId];
      if (atMs <= startMs + deadlineMs) {
        // In time on the modelled clock, but the host delivered it after the real-time grace.
        this.hostLateResults += 1;
        this.options.logger.warn(
          { deviceId, requestId: message.requestId },
          'result in time in the model arrived after the host grace: the host is not keeping up',
        );
      }
      return;
    }
    pending.bytesUp += stats.payloadBytes;
    pending.retries += stats.retries;
    pending.lostFrames += stats.lostFrames;
    const slot = pending.slots.get(deviceId);
    if (!slot || slot.status !== 'waiting') return;
    if (atMs > pending.startMs + deadlineMs) {
      slot.status = 'failed';
      slot.missing = 'late';
      slot.atMs = atMs;
      return;
    }
    const manifest = this.options.bundle.manifest;
    const expected = manifest.partWidths[manifest.devicePart[session.device.deviceIndex]];
    if (message.vector.length !== expected) {
      this.options.logger.warn({ deviceId, length: message.vector.length, expected }, 'result vector of the wrong length');
      this.settleFailed({ requestId: message.requestId, deviceId }, 'error', atMs);
      return;
    }
    slot.status = 'arrived';
    slot.vector = unpackVector(message.vector);
    slot.atMs = atMs;
    slot.computeMs = message.computeMs;
    this.maybeFinalise(pending);
  }

  /** A device's message lost on the uplink; `requestId` when it was a result. */
  uplinkDropped(deviceId: string, stats: TransferStats, requestId: number | undefined): void {
    const pending = requestId === undefined ? undefined : this.pending.get(requestId);
    if (!pending) return;
    pending.bytesUp += stats.payloadBytes;
    pending.retries += stats.retries;
    pending.lostFrames += stats.lostFrames;
    const slot = pending.slots.get(deviceId);
    // Instrumentation only: a real hub cannot tell which request a lost frame carried, so this
    // labels the record but never finalises the request early.
    if (slot && slot.status === 'waiting') slot.missing = 'uplink-lost';
  }

  /** The link-layer outcome of a request sent to a device. */
  downlinkReport(tag: DownlinkTag, report: Pick<DownlinkReportMessage, 'delivered' | 'atMs' | 'stats'>): void {
    const pending = this.pending.get(tag.requestId);
    if (!pending) return;
    pending.retries += report.stats.retries;
    pending.lostFrames += report.stats.lostFrames;
    if (!report.delivered) this.settleFailed(tag, 'downlink-lost', report.atMs);
  }

  /** Marks one device's part of a request failed at modelled `atMs` (its vector will be missing for `reason`). */
  settleFailed(part: DownlinkTag, reason: MissingReason, atMs: number): void {
    const pending = this.pending.get(part.requestId);
    const slot = pending?.slots.get(part.deviceId);
    if (!pending || !slot || slot.status !== 'waiting') return;
    slot.status = 'failed';
    slot.missing = reason;
    slot.atMs = atMs;
    this.maybeFinalise(pending);
  }

  /** Progress of the run, given what the issuer has issued and may issue. */
  progress(counts: Pick<Progress, 'total' | 'issued' | 'allowed'>): Progress {
    const records = this.records;
    const recent = records.slice(-500).map((r) => r.latencyMs);
    return {
      done: records.length,
      ...counts,
      correct: records.filter((r) => r.correct).length,
      deadlineMisses: records.filter((r) => r.deadlineMissed).length,
      p50LatencyMs: distribution(recent).p50,
    };
  }

  /** Fuses every request in flight as it stands, each record marked as cut by `cause`. */
  cutAll(cause: CutCause): void {
    for (const pending of [...this.pending.values()]) this.finalise(pending, cause);
  }

  /** Stops every deadline timer (the run is over). */
  clearTimers(): void {
    for (const pending of this.pending.values()) if (pending.timer) clearTimeout(pending.timer);
  }

  private maybeFinalise(pending: PendingRequest): void {
    for (const slot of pending.slots.values()) if (slot.status === 'waiting') return;
    this.finalise(pending);
  }

  private finalise(pending: PendingRequest, cut?: CutCause): void {
    if (!this.pending.has(pending.id)) return;
    this.pending.delete(pending.id);
    if (pending.timer) clearTimeout(pending.timer);
    const record = fuseRequest(pending, this.options, cut);
    const { arrived } = record;
    const boundMs = arrived.length === pending.slots.size && arrived.length > 0 ? requestBoundMs(pending, arrived, this.options) : undefined;
    if (boundMs !== undefined) {
      this.bounds.push(boundMs);
      record.boundMs = boundMs;
    }
    this.options.writer.write(record);
    this.records.push(record);
    const metrics = this.options.metrics;
    metrics.requests.inc({ outcome: record.cut ? 'cut' : record.prediction === null ? 'none' : record.correct ? 'correct' : 'wrong' });
    if (record.deadlineMissed) metrics.deadlineMisses.inc();
    metrics.latency.observe(record.latencyMs, boundMs);
    if (boundMs !== undefined) metrics.boundSeconds.set(boundMs / 1000);
    for (const [deviceId, outcome] of Object.entries(record.devices)) metrics.deviceResults.inc({ device: deviceId, outcome: outcome.missing ?? 'arrived' });
    this.options.onFinalised(record);
  }
}
