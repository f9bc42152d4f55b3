import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { AggregatorBundle } from '@wearnet/bundle';
import { ModelClock, hostNowMs } from '@wearnet/link';
import { IMAGE_BYTES, PROTOCOL_VERSION } from '@wearnet/protocol';
import { openLoopStarts, sampleOrder, type DatasetSlice } from '@wearnet/workload';
import { EnergyLedger } from './energy-ledger';
import { AggregatorError } from './errors';
import { HubLink } from './hub-link';
import { Issuer } from './issuer';
import type { Logger } from '@wearnet/logger';
import { createAggregatorMetrics, type AggregatorMetrics } from './metrics';
import { MetricsServer } from './metrics-server';
import type { Progress, ResolvedAggregatorOptions } from './options';
import { RecordWriter, type IssuedEntry } from './record-writer';
import type { CutCause, RequestRecord } from './request-record';
import { RequestTable } from './request-table';
import { Sessions } from './sessions';
import type { AggregatorHandle } from './handle';
import { summarise, type RunSummary } from './summary';
import { HubTraffic } from './traffic';

/**
 * The coordinator: wires the parts, each of which owns its state (the hub link, the sessions,
 * the issuer, the request table, the energy ledger, the metrics), and runs the run's life cycle.
 */
export class Aggregator {
  private readonly logger: Logger;
  private readonly clock: ModelClock;
  private readonly metrics: AggregatorMetrics;
  private readonly server: MetricsServer;
  private readonly hub: HubLink;
  private readonly sessions: Sessions;
  private readonly issuer: Issuer;
  private readonly table: RequestTable;
  private readonly ledger: EnergyLedger;
  private readonly traffic: HubTraffic;
  private readonly writer: RecordWriter;
  private readonly journal: RecordWriter<IssuedEntry>;
  private readonly samples: Uint32Array;
  private readonly total: number;
  private finished = false;
  private lastSummary: RunSummary | undefined;
  private wallStart = 0;
  /** Modelled time the workload started (null before), in `/status` for a supervisor across the network. */
  private workloadStartMs: number | null = null;
  private startTimer: NodeJS.Timeout | null = null;
  private resolveStarted!: (devices: number) => void;
  private resolveDone!: (summary: RunSummary) => void;
  private rejectDone!: (err: Error) => void;
  private readonly startedPromise = new Promise<number>((resolve) => (this.resolveStarted = resolve));
  private readonly donePromise = new Promise<RunSummary>((resolve, reject) => {
    this.resolveDone = resolve;
    this.rejectDone = reject;
  });

  constructor(
    private readonly config: ResolvedAggregatorOptions,
    bundle: AggregatorBundle,
    private readonly slice: DatasetSlice,
  ) {
    const { workload, seed, limits } = config;
    this.logger = config.logger.child({ role: 'aggregator' });
    this.metrics = createAggregatorMetrics({ deadlineMs: workload.deadlineMs });
    this.clock = new ModelClock({ epochMs: config.epochMs, timeScale: config.timeScale });
    this.total = workload.requests > 0 ? workload.requests : slice.count;
    this.samples = sampleOrder({ requests: this.total, sliceCount: slice.count, order: workload.order, seed });
    this.writer = new RecordWriter(path.join(config.outDir, 'requests.jsonl'));
    this.journal = new RecordWriter<IssuedEntry>(path.join(config.outDir, 'issued.jsonl'));
    this.ledger = new EnergyLedger(
      config.link,
      config.devices.map((d) => d.deviceId),
    );
    this.sessions = new Sessions({
      devices: config.devices,
      manifest: bundle.manifest,
      gauge: this.metrics.devicesConnected,
      onDevices: config.onDevices,
    });
    this.hub = new HubLink({
      mediumUrl: config.mediumUrl,
      secret: config.secret,
      limits,
      logger: this.logger,
      ca: config.ca,
      onMessage: (m) => this.traffic.fromHub(m),
      onLost: () => this.hubLost(),
    });
    this.issuer = new Issuer({
      total: this.total,
      arrival: workload.arrival,
      opens: openLoopStarts(workload.arrival, this.total, seed),
      clock: this.clock,
      issueLimit: config.issueLimit,
      inFlight: () => this.issuer.issued - this.table.records.length,
      onIssue: (id, startMs) => this.issue(id, startMs),
    });
    this.table = new RequestTable({
      ...{ bundle, sessions: this.sessions, labels: slice.labels, deadlineMs: workload.deadlineMs },
      ...{ total: this.total, graceMs: config.graceMs, link: config.link, clock: this.clock },
      ...{ writer: this.writer, metrics: this.metrics, logger: this.logger, onFinalised: (record) => this.fused(record) },
    });
    this.traffic = new HubTraffic({
      ...{ hub: this.hub, sessions: this.sessions, table: this.table, ledger: this.ledger, metrics: this.metrics, limits },
      ...{ heartbeatMs: config.heartbeatMs, encoding: workload.encoding, logger: this.logger },
      onAdmitted: () => {
        if (!this.issuer.active && this.sessions.allAuthenticated()) this.begin();
      },
    });
    this.server = new MetricsServer(this.metrics.registry, () => this.status());
    this.donePromise.catch(() => undefined);
  }

  handle(): AggregatorHandle {
    return {
      metricsPort: this.server.port,
      started: this.startedPromise,
      done: this.donePromise,
      allowRequests: (upTo) => this.issuer.allow(upTo),
      stop: (reason) => this.stop(reason),
      close: () => this.close(),
    };
  }

  async start(): Promise<void> {
    await this.server.listen(this.config.metricsPort, this.config.host);
    await this.connectHub();
    this.startTimer = setTimeout(() => this.begin(), this.config.startTimeoutMs);
  }

  /** Connects to the medium, retrying with backoff while it cannot be reached, for `hubConnectTimeoutMs`; a refusal is final. */
  private async connectHub(): Promise<void> {
    const until = hostNowMs() + this.config.hubConnectTimeoutMs;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.hub.connect();
      } catch (err) {
        const code = ((err as { cause?: { code?: string } }).cause ?? {}).code;
        const unreachable = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH' || code === 'ECONNRESET';
        const delayMs = Math.min(2000, 100 * 2 ** attempt);
        if (!unreachable || hostNowMs() + delayMs > until) throw err;
        this.logger.info({ code, attempt, delayMs }, 'medium not reachable yet: retrying');
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  /** The medium is gone: every request in flight is recorded as cut, and the summary says why. */
  private hubLost(): void {
    if (this.finished) return;
    this.logger.error({ code: 'E_HUB_LOST' }, 'medium closed the hub connection');
    if (!this.issuer.active) {
      this.fail(new AggregatorError('E_HUB_LOST', 'the medium closed the hub connection before the workload started'));
      return;
    }
    this.cut({ code: 'E_HUB_LOST', message: 'the medium closed the hub connection during the run' });
  }

  private cut(cause: CutCause): RunSummary {
    this.issuer.halt();
    this.table.cutAll(cause);
    if (this.finished) return this.lastSummary as RunSummary;
    return this.complete(false, cause);
  }

  private begin(): void {
    if (this.issuer.active || this.finished) return;
    if (this.startTimer) clearTimeout(this.startTimer);
    const ready = this.sessions.authenticatedCount();
    if (ready === 0) {
      this.fail(new AggregatorError('E_NO_DEVICES', `no device authenticated within ${this.config.startTimeoutMs} ms`));
      return;
    }
    this.wallStart = hostNowMs();
    this.workloadStartMs = this.clock.nowMs();
    this.logger.info({ devices: ready, requests: this.total, arrival: this.config.workload.arrival }, 'workload started');
    this.resolveStarted(ready);
    this.issuer.begin();
  }

  /** Starts request `id` at modelled `startMs`: sent to every authenticated device. */
  private issue(id: number, startMs: number): void {
    const sample = this.samples[id];
    this.journal.write({ id, sample, label: this.slice.labels[sample], startMs });
    const image = this.config.workload.inputMode === 'broadcast' ? this.slice.pixels.subarray(sample * IMAGE_BYTES, (sample + 1) * IMAGE_BYTES) : undefined;
    this.traffic.sendRequest(this.table.open(id, sample, startMs), image);
  }

  private fused(record: RequestRecord): void {
    this.config.onProgress?.(this.progress());
    if (this.table.records.length >= this.total) {
      this.complete(true);
      return;
    }
    this.issuer.fused(record.startMs + record.latencyMs);
  }

  private progress(): Progress {
    return this.table.progress({ total: this.total, issued: this.issuer.issued, allowed: this.issuer.allowed });
  }

  private status(): object {
    return { running: this.issuer.active, finished: this.finished, workloadStartMs: this.workloadStartMs, ...this.progress(), devices: this.sessions.views() };
  }

  private complete(complete: boolean, cause?: CutCause): RunSummary {
    this.finished = true;
    this.issuer.halt();
    if (this.startTimer) clearTimeout(this.startTimer);
    this.writer.close();
    this.journal.close();
    const summary = summarise(this.table.records, {
      issued: this.issuer.issued,
      complete,
      cause,
      wallMs: this.wallStart === 0 ? 0 : hostNowMs() - this.wallStart,
      devices: this.config.devices.map((d) => ({ deviceId: d.deviceId, deviceIndex: d.deviceIndex, deviceClass: d.deviceClass.name })),
      energyNj: this.ledger.devices,
      hubEnergyNj: this.ledger.hub,
      bounds: this.table.bounds,
      hostLateResults: this.table.hostLateResults,
      issueLags: this.issuer.issueLags,
    });
    writeFileSync(path.join(this.config.outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    this.lastSummary = summary;
    this.logger.info({ finalised: summary.requests.finalised, accuracy: summary.requests.accuracy, p50: summary.latencyMs.p50 }, 'workload finished');
    this.resolveDone(summary);
    return summary;
  }

  private async stop(reason: string): Promise<RunSummary> {
    if (this.finished) return this.donePromise;
    this.logger.warn({ reason }, 'stopping the workload early');
    return this.cut({ code: 'E_STOPPED', message: `the run was stopped: ${reason}` });
  }

  private fail(err: Error): void {
    if (this.finished) return;
    this.finished = true;
    this.issuer.halt();
    this.table.clearTimers();
    this.writer.close();
    this.journal.close();
    this.rejectDone(err);
  }

  private async close(): Promise<void> {
    for (const session of this.sessions.all()) {
      if (session.authenticated)
        this.hub.send({ v: PROTOCOL_VERSION, type: 'bye', reason: 'run finished' }, { deviceId: session.device.deviceId, readyAtMs: this.clock.nowMs() });
    }
    this.finished = true;
    this.table.clearTimers();
    await this.hub.close();
    await this.server.close();
  }
}
