import {
  PROTOCOL_VERSION,
  decodeHandshake,
  decodeHubMessage,
  encodeHandshake,
  handshakeProof,
  encodeHubMessage,
  encodeMessage,
  maxHubFrameBytes,
  type HubMessage,
  type Limits,
  type Message,
} from '@wearnet/protocol';
import { WebSocket, type RawData } from 'ws';
import { AggregatorError } from './errors';
import type { Logger } from '@wearnet/logger';

/** Which request and device a downlink carried (to attribute its link-layer report). */
export interface DownlinkTag {
  requestId: number;
  deviceId: string;
}

/** Where a downlink goes, and when it is ready. */
export interface Downlink {
  deviceId: string;
  /** Modelled ms the message is ready to send. */
  readyAtMs: number;
  /** The request it carries, if any. */
  requestId?: number;
}

/** Options of {@link HubLink}. */
export interface HubLinkOptions {
  /** Medium base URL, `ws://host:port`. */
  mediumUrl: string;
  /** Cluster secret: the hub proves it by HMAC over the medium's challenge; it never goes on the wire. */
  secret: Uint8Array;
  limits: Limits;
  logger: Logger;
  /** CA of the medium's certificate (`wss://`); default the system's CAs. */
  ca?: Buffer;
  /** Called with every validated message from the medium. */
  onMessage: (message: HubMessage) => void;
  /** Called when the medium closes the connection (not when {@link HubLink.close} does). */
  onLost: () => void;
}

/**
 * The hub's one WebSocket to the medium: owns the socket, the downlink sequence numbers and the
 * tags that attribute each downlink report to its request.
 */
export class HubLink {
  private ws: WebSocket | null = null;
  private seq = 0;
  private readonly tags = new Map<number, DownlinkTag>();

  constructor(private readonly options: HubLinkOptions) {}

  /**
   * Opens the connection and answers the medium's challenge (HMAC of the secret over its nonce,
   * `hub` and the run id); resolves once the medium accepted the hub.
   * @throws AggregatorError `E_HUB_CONNECT_FAILED` (unreachable, or refused with the medium's code).
   */
  connect(): Promise<void> {
    const { mediumUrl, secret, limits, logger } = this.options;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${mediumUrl}/hub`, { maxPayload: maxHubFrameBytes(limits), ...(this.options.ca ? { ca: this.options.ca } : {}) });
      let state: 'challenge' | 'verdict' | 'open' = 'challenge';
      const refuse = (why: string, cause?: unknown): void => {
        reject(new AggregatorError('E_HUB_CONNECT_FAILED', why, { cause }));
        ws.terminate();
      };
      ws.once('unexpected-response', (_req, res) => refuse(`medium refused the hub: HTTP ${res.statusCode} ${res.statusMessage ?? ''}`.trim()));
      ws.once('error', (err) => {
        if (this.ws !== ws) reject(new AggregatorError('E_HUB_CONNECT_FAILED', `cannot reach the medium at ${mediumUrl}`, { cause: err }));
      });
      ws.on('message', (data: RawData) => {
        if (state === 'open') return this.receive(data);
        let message;
        try {
          message = decodeHandshake(toBytes(data));
        } catch (err) {
          return refuse('the medium sent no valid handshake', err);
        }
        if (state === 'challenge' && message.type === 'challenge') {
          const proof = handshakeProof({ secret, role: 'hub', id: 'hub', runId: message.runId, nonce: message.nonce });
          ws.send(encodeHandshake({ v: PROTOCOL_VERSION, type: 'auth', role: 'hub', id: 'hub', proof }));
          state = 'verdict';
          return;
        }
        if (state === 'verdict' && message.type === 'accepted') {
          state = 'open';
          this.ws = ws;
          logger.info({ url: mediumUrl }, 'hub authenticated by the medium');
          return resolve();
        }
        if (message.type === 'refused') return refuse(`medium refused the hub: ${message.code}: ${message.message}`);
        refuse(`unexpected handshake message ${message.type}`);
      });
      ws.on('close', () => {
        if (state !== 'open') return reject(new AggregatorError('E_HUB_CONNECT_FAILED', 'the medium closed the connection during the handshake'));
        if (this.ws !== ws) return;
        this.ws = null;
        this.options.onLost();
      });
    });
  }

  /**
   * Sends a device message down to `to.deviceId`, ready at modelled `to.readyAtMs`; `to.requestId`
   * tags it so that its report can be attributed. Returns the message's payload bytes (counted
   * even when the hub is gone).
   */
  send(message: Message, to: Downlink): number {
    const { deviceId, readyAtMs, requestId } = to;
    const limits = this.options.limits;
    const payload = encodeMessage(message, { limits });
    const ws = this.ws;
    this.seq += 1;
    if (requestId !== undefined) this.tags.set(this.seq, { requestId, deviceId });
    if (ws && ws.readyState === WebSocket.OPEN) {
      ws.send(encodeHubMessage({ v: PROTOCOL_VERSION, type: 'downlink', deviceId, seq: this.seq, readyAtMs, payload }, { limits }));
    }
    return payload.length;
  }

  /** Sequence number of the last downlink sent (its `downlink-report` echoes it). */
  get lastSeq(): number {
    return this.seq;
  }

  /** The tag of downlink `seq`, forgotten once taken. */
  takeTag(seq: number): DownlinkTag | undefined {
    const tag = this.tags.get(seq);
    this.tags.delete(seq);
    return tag;
  }

  /** Closes the connection (waiting at most 500 ms for the close handshake); not reported as lost. */
  async close(): Promise<void> {
    const ws = this.ws;
    this.ws = null;
    if (!ws) return;
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.close();
      setTimeout(resolve, 500).unref();
    });
  }

  private receive(data: RawData): void {
    let message: HubMessage;
    try {
      message = decodeHubMessage(toBytes(data), { limits: this.options.limits });
    } catch (err) {
      this.options.logger.warn({ code: (err as { code?: string }).code, err: (err as Error).message }, 'bad hub message');
      return;
    }
    this.options.onMessage(message);
  }
}

function toBytes(data: RawData): Uint8Array {
  const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
