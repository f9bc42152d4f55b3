import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { BodyTimeline, ModelClock, type LinkState, type Stage, type StageSpec, type TimelineTotals } from '@wearnet/link';
import {
  PROTOCOL_VERSION,
  controlCredential,
  decodeHubMessage,
  emptyTransferStats,
  decodeTimedFrame,
  encodeHubMessage,
  encodeTimedFrame,
  maxHubFrameBytes,
  type HubMessage,
} from '@wearnet/protocol';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { MediumError } from './errors';
import { countTransfer, emptyDirectionCounters, type LinkCounters } from './link-counters';
import { countOutcome, createMediumMetrics, type MediumMetrics } from './metrics';
import { resolveMediumOptions, type MediumOptions, type ResolvedMediumOptions } from './options';
import { Relay, type Outcome } from './relay';
import { handleStageRoute } from './control-routes';
import { Gatekeeper, toBytes } from './gatekeeper';
import { DisturbanceLog, type DisturbanceReport } from './disturbance-log';

const DISCONNECTED_STAGE = 'disconnected';

/** One link as the medium sees it. */
export interface LinkView {
  deviceId: string;
  /** Whether the device's process is connected to the medium. */
  connected: boolean;
  state: LinkState;
  stages: Stage[];
  counters: LinkCounters;
}

/** Final accounting of the medium. */
export interface MediumReport {
  totals: TimelineTotals;
  /** Modelled time the timeline was last busy until, ms. */
  busyUntilMs: number;
  links: LinkView[];
  /** Medium-wide stages active at the end. */
  mediumStages: Stage[];
  refused: number;
  /** Messages whose modelled timing the host disturbed, and the reorder window. */
  disturbed: DisturbanceReport;
}

/** A running medium. */
export interface MediumServer {
  /** Bound port (HTTP and WebSocket). */
  port: number;
  /** `ws://host:port` base URL; devices connect to `/device/<id>`, the hub to `/hub`. */
  url: string;
  /** The shared timeline (read its totals; do not transmit on it). */
  timeline: BodyTimeline;
  metrics: MediumMetrics;
  /** Adds a stage (fault) to a device's link, creating the link if needed. */
  addStage(deviceId: string, spec: StageSpec): Stage;
  /** Removes a stage by name. */
  removeStage(deviceId: string, name: string): boolean;
  /** Adds a medium-wide stage (applies to every link, for example noise on the whole body). */
  addMediumStage(spec: StageSpec): Stage;
  /** Removes a medium-wide stage by name. */
  removeMediumStage(name: string): boolean;
  /** Active medium-wide stages. */
  mediumStages(): Stage[];
  /** Every known link. */
  links(): LinkView[];
  report(): MediumReport;
  /** Closes every socket and the server. */
  close(): Promise<void>;
}

/**
 * Starts the body medium: an HTTP server whose WebSocket endpoints carry every device <-> hub
 * message over one shared {@link BodyTimeline}. Every connection first answers a challenge
 * (HMAC of the cluster secret over a fresh nonce, its id and the run id, see {@link Gatekeeper})
 * and carries nothing until it has. `GET /metrics` serves Prometheus metrics,
 * `GET /links` the link states, and the stage routes (`POST /links/<device>/stages`,
 * `DELETE /links/<device>/stages/<name>`, `POST /stages`, `DELETE /stages/<name>`, control
 * credential required; see {@link handleStageRoute}) add and remove faults while it runs.
 */
export async function startMedium(options: MediumOptions): Promise<MediumServer> {
  const config = resolveMediumOptions(options);
  return new Medium(config).listen();
}

class Medium {
  private readonly logger;
  private readonly timeline: BodyTimeline;
  private readonly clock: ModelClock;
  private readonly relay: Relay;
  private readonly metrics = createMediumMetrics();
  private readonly devices = new Map<string, WebSocket>();
  private readonly counters = new Map<string, LinkCounters>();
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly gatekeeper: Gatekeeper;
  private readonly credential: string;
  private hub: WebSocket | null = null;
  private refused = 0;
  private readonly disturbance = new DisturbanceLog();

  constructor(private readonly config: ResolvedMediumOptions) {
    this.logger = config.logger.child({ role: 'medium' });
    this.timeline = new BodyTimeline({ link: config.link, seed: config.seed, channelFor: config.channelFor });
    this.clock = new ModelClock({ epochMs: config.epochMs, timeScale: config.timeScale });
    this.relay = new Relay({
      timeline: this.timeline,
      clock: this.clock,
      onOutcome: (outcome) => this.release(outcome),
      maxQueuedMessages: config.maxQueuedMessages,
      maxLeadMs: config.maxLeadMs,
      reorderWindowMs: config.reorderWindowMs,
      adaptiveReorder: config.adaptiveReorder,
      maxReplyWaitMs: config.maxReplyWaitMs,
    });
    this.credential = controlCredential(config.secret, config.runId);
    this.gatekeeper = new Gatekeeper({
      secret: config.secret,
      runId: config.runId,
      authTimeoutMs: config.authTimeoutMs,
      maxPending: config.maxPendingConnections,
      logger: this.logger,
      wss: () => this.wss,
      live: (claim) => (claim.role === 'hub' ? this.hub : this.devices.get(claim.id)) ?? null,
      attach: (claim, ws) => (claim.role === 'hub' ? this.attachHub(ws) : this.attachDevice(claim.id, ws)),
      onRefused: (code) => this.countRefusal(code),
    });
    const handler = (req: IncomingMessage, res: ServerResponse): void => void this.handleHttp(req, res);
    this.http = config.tls ? (createTlsServer(config.tls, handler) as unknown as Server) : createServer(handler);
    this.wss = new WebSocketServer({ noServer: true, maxPayload: maxHubFrameBytes(config.limits) });
    this.http.on('upgrade', (req, socket, head) => this.gatekeeper.handleUpgrade(req, socket, head));
  }

  listen(): Promise<MediumServer> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.config.port, this.config.host, () => {
        const { port } = this.http.address() as AddressInfo;
        this.logger.info({ port, preset: this.config.link.preset, seed: this.config.seed, timeScale: this.config.timeScale }, 'medium listening');
        resolve({
          port,
          url: `${this.config.tls ? 'wss' : 'ws'}://${this.config.host}:${port}`,
          timeline: this.timeline,
          metrics: this.metrics,
          addStage: (deviceId, spec) => this.addStage(deviceId, spec),
          removeStage: (deviceId, name) => this.removeStage(deviceId, name),
          addMediumStage: (spec) => this.addMediumStage(spec),
          removeMediumStage: (name) => this.removeMediumStage(name),
          mediumStages: () => this.timeline.mediumStages(),
          links: () => this.links(),
          report: () => this.report(),
          close: () => this.close(),
        });
      });
    });
  }

  /** Counts a refusal; `reason` is a metric label or an `E_*` code (labelled without `E_`, lower case). */
  private countRefusal(reason: string): void {
    this.refused += 1;
    this.metrics.refused.inc({ reason: reason.startsWith('E_') ? reason.slice(2).toLowerCase() : reason });
  }

  private attachHub(ws: WebSocket): void {
    this.hub = ws;
    this.logger.info({}, 'hub connected');
    for (const deviceId of this.devices.keys()) this.sendHub({ v: PROTOCOL_VERSION, type: 'link-open', deviceId, atMs: this.clock.nowMs() });
    ws.on('message', (data: RawData) => this.fromHub(toBytes(data)));
    ws.on('close', () => {
      if (this.hub === ws) this.hub = null;
      this.logger.info({}, 'hub disconnected');
    });
    ws.on('error', (err) => this.logger.warn({ err }, 'hub socket error'));
  }

  private attachDevice(deviceId: string, ws: WebSocket): void {
    this.devices.set(deviceId, ws);
    this.timeline.addLink(deviceId, this.clock.nowMs());
    this.timeline.removeStage(deviceId, DISCONNECTED_STAGE);
    this.updateLinkGauge(deviceId);
    this.logger.info({ deviceId }, 'device attached');
    this.sendHub({ v: PROTOCOL_VERSION, type: 'link-open', deviceId, atMs: this.clock.nowMs() });
    ws.on('message', (data: RawData) => this.fromDevice(deviceId, toBytes(data)));
    ws.on('close', () => {
      if (this.devices.get(deviceId) !== ws) return;
      this.devices.delete(deviceId);
      // A device that is gone answers no frame: its link is down until it comes back.
      this.timeline.addStage(deviceId, { name: DISCONNECTED_STAGE, type: 'down' });
      this.relay.forgetDevice(deviceId);
      this.updateLinkGauge(deviceId);
      this.logger.info({ deviceId }, 'device detached');
      this.sendHub({ v: PROTOCOL_VERSION, type: 'link-close', deviceId, atMs: this.clock.nowMs(), reason: 'device disconnected' });
    });
    ws.on('error', (err) => this.logger.warn({ deviceId, err }, 'device socket error'));
  }

  private fromDevice(deviceId: string, data: Uint8Array): void {
    let frame;
    try {
      frame = decodeTimedFrame(data, this.config.limits.maxMessageBytes);
    } catch (err) {
      this.refuse('bad_frame', { deviceId, err });
      return;
    }
    if (frame.to === deviceId) return this.refuse('bad_frame', { deviceId, why: 'a device message addressed to its sender' });
    const offer = { linkId: deviceId, direction: 'uplink' as const, payload: Uint8Array.from(frame.payload), readyAtMs: frame.atMs, seq: 0 };
    this.offer(frame.to === undefined ? offer : { ...offer, to: frame.to });
  }

  private fromHub(data: Uint8Array): void {
    let message: HubMessage;
    try {
      message = decodeHubMessage(data, { limits: this.config.limits });
    } catch (err) {
      this.refuse('bad_frame', { from: 'hub', err });
      return;
    }
    if (message.type !== 'downlink') {
      this.refuse('bad_frame', { from: 'hub', type: message.type });
      return;
    }
    this.offer({ linkId: message.deviceId, direction: 'downlink', payload: Uint8Array.from(message.payload), readyAtMs: message.readyAtMs, seq: message.seq });
  }

  private offer(offer: Parameters<Relay['offer']>[0]): void {
    try {
      this.relay.offer(offer);
      this.metrics.queueLength.set(this.relay.queueLength);
    } catch (err) {
      if (!(err instanceof MediumError)) throw err;
      this.refuse('queue_full', { linkId: offer.linkId, code: err.code });
      // The hub's MAC knows its own refusal: report the downlink as not delivered, with no airtime.
      if (offer.direction === 'downlink') {
        const stats = emptyTransferStats(offer.payload.length, offer.readyAtMs);
        this.sendHub({ v: PROTOCOL_VERSION, type: 'downlink-report', deviceId: offer.linkId, seq: offer.seq, delivered: false, atMs: offer.readyAtMs, stats });
      }
    }
  }

  private refuse(reason: string, details: object): void {
    this.countRefusal(reason);
    this.logger.warn({ ...details, reason, code: reason === 'queue_full' ? 'E_QUEUE_FULL' : 'E_BAD_FRAME' }, 'message refused by the medium');
  }

  private release(released: Outcome): void {
    const { offer, result } = released;
    const { linkId: deviceId, direction } = offer;
    if (this.disturbance.record(released)) this.metrics.disturbed.inc({ direction });
    const stats = result.stats;
    countTransfer(this.countersOf(deviceId)[direction], result.delivered, stats);
    if (offer.to !== undefined) return this.releasePeer(released);
    countOutcome(this.metrics, direction, result);
    this.metrics.queueLength.set(this.relay.queueLength);
    if (direction === 'uplink') {
      const type = result.delivered ? 'uplink' : 'uplink-dropped';
      return this.sendHub({ v: PROTOCOL_VERSION, type, deviceId, atMs: result.atMs, payload: offer.payload, stats });
    }
    if (result.delivered) {
      const ws = this.devices.get(deviceId);
      if (ws && ws.readyState === WebSocket.OPEN) ws.send(encodeTimedFrame({ atMs: result.atMs, payload: offer.payload }));
    }
    this.sendHub({ v: PROTOCOL_VERSION, type: 'downlink-report', deviceId, seq: offer.seq, delivered: result.delivered, atMs: result.atMs, stats });
  }

  /** Device to device: one transmission on the sender's link (counted on its uplink); a receiver not connected or down gets nothing; the hub gets a `peer-report`. */
  private releasePeer({ offer, result }: Outcome): void {
    const to = offer.to as string;
    const ws = this.devices.get(to);
    const delivered = result.delivered && ws !== undefined && ws.readyState === WebSocket.OPEN && this.timeline.linkState(to) !== 'down';
    countOutcome(this.metrics, 'peer', { delivered, stats: result.stats });
    this.metrics.queueLength.set(this.relay.queueLength);
    if (delivered) ws.send(encodeTimedFrame({ atMs: result.atMs, payload: offer.payload }));
    const { atMs, stats } = result;
    this.sendHub({ v: PROTOCOL_VERSION, type: 'peer-report', deviceId: offer.linkId, to, delivered, atMs, stats, payload: offer.payload });
  }

  private sendHub(message: HubMessage): void {
    const hub = this.hub;
    if (!hub || hub.readyState !== WebSocket.OPEN) {
      this.logger.debug({ type: message.type }, 'no hub connected: hub message discarded');
      return;
    }
    hub.send(encodeHubMessage(message, { limits: this.config.limits }));
  }

  private addStage(deviceId: string, spec: StageSpec): Stage {
    const now = this.clock.nowMs();
    this.timeline.addLink(deviceId, now);
    const stage = this.timeline.addStage(deviceId, spec, now);
    this.updateLinkGauge(deviceId);
    this.logger.info({ deviceId, stage }, 'stage added');
    return stage;
  }

  private removeStage(deviceId: string, name: string): boolean {
    if (!this.timeline.hasLink(deviceId)) return false;
    const removed = this.timeline.removeStage(deviceId, name);
    this.updateLinkGauge(deviceId);
    if (removed) this.logger.info({ deviceId, name }, 'stage removed');
    return removed;
  }

  private addMediumStage(spec: StageSpec): Stage {
    const stage = this.timeline.addMediumStage(spec, this.clock.nowMs());
    for (const deviceId of this.timeline.linkIds()) this.updateLinkGauge(deviceId);
    this.logger.info({ stage }, 'medium-wide stage added');
    return stage;
  }

  private removeMediumStage(name: string): boolean {
    const removed = this.timeline.removeMediumStage(name);
    for (const deviceId of this.timeline.linkIds()) this.updateLinkGauge(deviceId);
    if (removed) this.logger.info({ name }, 'medium-wide stage removed');
    return removed;
  }

  private links(): LinkView[] {
    return this.timeline.linkIds().map((deviceId) => ({
      deviceId,
      connected: this.devices.has(deviceId),
      state: this.timeline.linkState(deviceId),
      stages: this.timeline.stages(deviceId),
      counters: this.countersOf(deviceId),
    }));
  }

  private report(): MediumReport {
    return {
      totals: this.timeline.totals,
      busyUntilMs: this.timeline.busyUntilMs,
      links: this.links(),
      mediumStages: this.timeline.mediumStages(),
      refused: this.refused,
      disturbed: this.disturbance.report(this.relay.reorderWindow),
    };
  }

  private countersOf(deviceId: string): LinkCounters {
    let counters = this.counters.get(deviceId);
    if (!counters) {
      counters = { uplink: emptyDirectionCounters(), downlink: emptyDirectionCounters() };
      this.counters.set(deviceId, counters);
    }
    return counters;
  }

  private updateLinkGauge(deviceId: string): void {
    const state = this.timeline.linkState(deviceId);
    for (const s of ['up', 'degraded', 'down'] as const) this.metrics.linkState.set({ device: deviceId, state: s }, s === state ? 1 : 0);
  }

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      res.setHeader('content-type', this.metrics.registry.contentType);
      res.end(await this.metrics.registry.metrics());
      return;
    }
    if (req.method === 'GET' && path === '/links') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ nowMs: this.clock.nowMs(), links: this.links(), mediumStages: this.timeline.mediumStages() }));
      return;
    }
    const control = {
      credential: this.credential,
      addStage: (deviceId: string, spec: StageSpec) => this.addStage(deviceId, spec),
      removeStage: (deviceId: string, name: string) => this.removeStage(deviceId, name),
      addMediumStage: (spec: StageSpec) => this.addMediumStage(spec),
      removeMediumStage: (name: string) => this.removeMediumStage(name),
    };
    if (handleStageRoute(req, res, control)) return;
    if (req.method === 'GET' && path === '/healthz') {
      res.end('ok');
      return;
    }
    res.statusCode = 404;
    res.end();
  }

  private async close(): Promise<void> {
    this.relay.close();
    this.gatekeeper.close();
    for (const ws of this.devices.values()) ws.terminate();
    this.hub?.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeAllConnections?.();
  }
}
