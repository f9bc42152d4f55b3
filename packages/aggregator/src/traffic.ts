import {
  PROTOCOL_VERSION,
  decodeMessage,
  type HelloMessage,
  type HubMessage,
  type Limits,
  type Message,
  type TransferStats,
  type UplinkMessage,
  type VectorEncoding,
} from '@wearnet/protocol';
import type { EnergyLedger } from './energy-ledger';
import type { HubLink } from './hub-link';
import type { Logger } from '@wearnet/logger';
import type { AggregatorMetrics } from './metrics';
import type { PendingRequest } from './pending-request';
import type { RequestTable } from './request-table';
import type { Sessions } from './sessions';

/** Options of {@link HubTraffic}: the parts each message updates. */
export interface HubTrafficOptions {
  hub: HubLink;
  sessions: Sessions;
  table: RequestTable;
  ledger: EnergyLedger;
  metrics: AggregatorMetrics;
  limits: Limits;
  /** Heartbeat interval devices are told to keep, modelled ms. */
  heartbeatMs: number;
  /** Vector encoding devices are told to use. */
  encoding: VectorEncoding;
  logger: Logger;
  /** Called after a device is admitted. */
  onAdmitted: () => void;
}

/**
 * The hub's traffic with the devices: sends requests down, and routes what the medium reports
 * to the part that owns it (link state and hellos to the sessions, results and link-layer
 * outcomes to the request table, bits and MACs to the ledger). It owns no state of its own.
 */
export class HubTraffic {
  constructor(private readonly options: HubTrafficOptions) {}

  /**
   * Sends a request just opened in the table to every authenticated device (with `image` in
   * broadcast mode), counts its bytes, and arms its deadline.
   */
  sendRequest(pending: PendingRequest, image: Uint8Array | undefined): void {
    const { id, sample, startMs } = pending;
    for (const session of this.options.sessions.all()) {
      const deviceId = session.device.deviceId;
      if (!session.authenticated) {
        pending.notConnected.push(deviceId);
        continue;
      }
      pending.slots.set(deviceId, { status: 'waiting' });
      const base = { v: PROTOCOL_VERSION, type: 'infer', requestId: id, sample } as const;
      const message: Message = image ? { ...base, image } : base;
      const bytes = this.options.hub.send(message, { deviceId, readyAtMs: startMs, requestId: id });
      pending.bytesDown += bytes;
      pending.downBytesByDevice.set(deviceId, bytes);
      this.options.metrics.payloadBytes.inc({ direction: 'down' }, bytes);
    }
    this.options.table.arm(pending);
  }

  /** Handles one validated message from the medium. */
  fromHub(message: HubMessage): void {
    switch (message.type) {
      case 'link-open':
        return this.options.sessions.linkOpened(message.deviceId);
      case 'link-close':
        return this.options.sessions.linkClosed(message.deviceId);
      case 'uplink':
        return this.fromDevice(message);
      case 'uplink-dropped':
        return this.uplinkDropped(message.deviceId, message.stats, this.resultIdOf(message.payload));
      case 'downlink-report': {
        this.options.ledger.addTransfer(message.deviceId, 'downlink', message.stats);
        const tag = this.options.hub.takeTag(message.seq);
        if (!tag) return;
        this.countLink(message.stats);
        return this.options.table.downlinkReport(tag, message);
      }
      case 'downlink':
        this.options.logger.warn({}, 'unexpected downlink from the medium');
    }
  }

  private fromDevice(uplink: UplinkMessage): void {
    const { deviceId, payload, atMs, stats } = uplink;
    let message: Message;
    try {
      message = decodeMessage(payload, { limits: this.options.limits });
    } catch (err) {
      this.options.logger.warn({ deviceId, code: (err as { code?: string }).code }, 'bad message from a device');
      this.options.hub.send({ v: PROTOCOL_VERSION, type: 'error', code: 'E_BAD_MESSAGE', message: (err as Error).message }, { deviceId, readyAtMs: atMs });
      return;
    }
    const session = this.options.sessions.get(deviceId);
    if (message.type === 'hello') return this.hello(deviceId, message, atMs);
    if (!session || !session.authenticated) {
      this.options.hub.send({ v: PROTOCOL_VERSION, type: 'error', code: 'E_NOT_AUTHENTICATED', message: 'send hello first' }, { deviceId, readyAtMs: atMs });
      return;
    }
    switch (message.type) {
      case 'result':
        this.options.ledger.addTransfer(deviceId, 'uplink', stats);
        this.options.ledger.addCompute(deviceId, session.device.deviceClass, session.macs);
        this.options.metrics.payloadBytes.inc({ direction: 'up' }, stats.payloadBytes);
        this.countLink(stats);
        return this.options.table.result(session, message, uplink);
      case 'heartbeat':
        if (!message.reply) this.options.hub.send({ v: PROTOCOL_VERSION, type: 'heartbeat', seq: message.seq, reply: true }, { deviceId, readyAtMs: atMs });
        return;
      case 'error':
        this.options.logger.warn({ deviceId, code: message.code, requestId: message.requestId }, 'device reported an error');
        if (message.requestId !== undefined) this.options.table.settleFailed({ requestId: message.requestId, deviceId }, 'error', atMs);
        return;
      case 'bye':
        return this.options.sessions.setAuthenticated(session, false);
      default:
        this.options.logger.warn({ deviceId, type: message.type }, 'unexpected message from a device');
    }
  }

  private hello(deviceId: string, hello: HelloMessage, atMs: number): void {
    const refused = this.options.sessions.admit(deviceId, hello);
    if (refused !== undefined) {
      this.options.logger.warn({ deviceId, code: 'E_AUTH_FAILED', why: refused }, 'hello refused');
      this.options.hub.send({ v: PROTOCOL_VERSION, type: 'error', code: 'E_AUTH_FAILED', message: refused }, { deviceId, readyAtMs: atMs });
      return;
    }
    this.options.hub.send(
      { v: PROTOCOL_VERSION, type: 'welcome', deviceId, heartbeatMs: this.options.heartbeatMs, encoding: this.options.encoding },
      { deviceId, readyAtMs: atMs },
    );
    this.options.logger.info({ deviceId, deviceClass: hello.deviceClass, macs: hello.bundle.macs }, 'device authenticated');
    this.options.onAdmitted();
  }

  private uplinkDropped(deviceId: string, stats: TransferStats, requestId: number | undefined): void {
    this.options.ledger.addTransfer(deviceId, 'uplink', stats);
    // A result lost on the way was still computed.
    const session = this.options.sessions.get(deviceId);
    if (requestId !== undefined && session) this.options.ledger.addCompute(deviceId, session.device.deviceClass, session.macs);
    this.countLink(stats);
    this.options.table.uplinkDropped(deviceId, stats, requestId);
  }

  /** Which request a lost device message answered (instrumentation: the hub's radio never saw it). */
  private resultIdOf(payload: Uint8Array): number | undefined {
    try {
      const message = decodeMessage(payload, { limits: this.options.limits });
      return message.type === 'result' ? message.requestId : undefined;
    } catch {
      return undefined;
    }
  }

  private countLink(stats: TransferStats): void {
    this.options.metrics.retries.inc(stats.retries);
    this.options.metrics.lostFrames.inc(stats.lostFrames);
  }
}
