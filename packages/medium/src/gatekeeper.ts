import { randomBytes } from 'node:crypto';
import { PROTOCOL_VERSION, decodeHandshake, encodeHandshake, verifyProof, HANDSHAKE_NONCE_BYTES, type HandshakeRole } from '@wearnet/protocol';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, type RawData, type WebSocketServer } from 'ws';
import type { Logger } from '@wearnet/logger';

/** Who a connection claims to be, from its upgrade path. */
export interface Claim {
  role: HandshakeRole;
  /** Device id, or `hub`. */
  id: string;
}

/** A refusal: a stable code and why. */
export interface Refusal {
  code: string;
  message: string;
}

/** Options of {@link Gatekeeper}. */
export interface GatekeeperOptions {
  secret: Uint8Array;
  runId: string;
  /** Real ms a connection has to answer its challenge. */
  authTimeoutMs: number;
  /** Most connections waiting to authenticate at once; more are refused at the upgrade. */
  maxPending: number;
  logger: Logger;
  /** The WebSocket server that upgrades connections (noServer). */
  wss: () => WebSocketServer;
  /** The live connection of that id (the hub for `hub`), if any: a second one is refused. */
  live(claim: Claim): WebSocket | null;
  /** Takes over a connection that proved the secret and was accepted. */
  attach(claim: Claim, ws: WebSocket): void;
  /** Called with the code of every refusal, for the metrics. */
  onRefused(code: string): void;
}

/** WebSocket close code of a refused handshake. */
export const REFUSED_CLOSE_CODE = 4401;

const DEVICE_PATH = /^\/device\/([A-Za-z0-9_.-]{1,64})$/;

/**
 * Owns the connections that have not yet authenticated: each gets a fresh random nonce, must answer
 * with the HMAC of it (see `handshakeProof`) within `authTimeoutMs`, and until then receives nothing
 * but its challenge and can send nothing onward: its one frame is read as a handshake and nothing
 * else it sends is looked at. A refusal goes to that connection only, which is then closed.
 */
export class Gatekeeper {
  private readonly pending = new Set<WebSocket>();

  constructor(private readonly options: GatekeeperOptions) {}

  /**
   * Takes an HTTP upgrade: `/hub` or `/device/<id>` (else 404 `E_BAD_DEVICE_ID`), no second hub
   * (409 `E_HUB_TAKEN`), at most `maxPending` waiting (503 `E_TOO_MANY_PENDING`); then challenges it.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '').split('?')[0];
    const match = DEVICE_PATH.exec(path);
    const claim: Claim | undefined = path === '/hub' ? { role: 'hub', id: 'hub' } : match ? { role: 'device', id: match[1] } : undefined;
    if (!claim) return rejectUpgrade(socket, 404, 'E_BAD_DEVICE_ID');
    if (claim.role === 'hub' && isOpen(this.options.live(claim))) {
      this.options.onRefused('E_HUB_TAKEN');
      return rejectUpgrade(socket, 409, 'E_HUB_TAKEN');
    }
    if (this.pending.size >= this.options.maxPending) {
      this.options.onRefused('E_TOO_MANY_PENDING');
      this.options.logger.warn({ code: 'E_TOO_MANY_PENDING', pending: this.pending.size }, 'connection refused: too many waiting to authenticate');
      return rejectUpgrade(socket, 503, 'E_TOO_MANY_PENDING');
    }
    this.options.wss().handleUpgrade(req, socket, head, (ws) => this.challenge(claim, ws));
  }

  /** Connections waiting to authenticate. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Challenges a freshly upgraded connection. */
  challenge(claim: Claim, ws: WebSocket): void {
    const { runId, authTimeoutMs } = this.options;
    const nonce = new Uint8Array(randomBytes(HANDSHAKE_NONCE_BYTES));
    this.pending.add(ws);
    let answered = false;
    const timer = setTimeout(() => finish({ code: 'E_AUTH_TIMEOUT', message: `no answer to the challenge within ${authTimeoutMs} ms` }), authTimeoutMs);
    timer.unref();
    const finish = (refusal: Refusal | undefined): void => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      ws.off('message', onMessage);
      this.pending.delete(ws);
      if (refusal === undefined) refusal = this.admit(claim, ws);
      if (refusal !== undefined) this.refuse(claim, ws, refusal);
    };
    const onMessage = (data: RawData): void => finish(this.check(claim, nonce, data));
    ws.on('message', onMessage);
    ws.once('close', () => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      ws.off('message', onMessage);
      this.pending.delete(ws);
    });
    ws.on('error', (err) => this.options.logger.debug({ ...claim, err: err.message }, 'unauthenticated socket error'));
    ws.send(encodeHandshake({ v: PROTOCOL_VERSION, type: 'challenge', nonce, runId }));
  }

  /** Closes every waiting connection. */
  close(): void {
    for (const ws of this.pending) ws.terminate();
    this.pending.clear();
  }

  private check(claim: Claim, nonce: Uint8Array, data: RawData): Refusal | undefined {
    let message;
    try {
      message = decodeHandshake(toBytes(data));
    } catch (err) {
      return { code: 'E_AUTH_FAILED', message: `not a handshake answer (${(err as { code?: string }).code ?? 'E_DECODE_FAILED'})` };
    }
    if (message.type !== 'auth') return { code: 'E_AUTH_FAILED', message: `expected auth, got ${message.type}` };
    if (message.role !== claim.role || message.id !== claim.id) return { code: 'E_AUTH_FAILED', message: 'the answer names another connection' };
    const input = { secret: this.options.secret, role: claim.role, id: claim.id, runId: this.options.runId, nonce };
    if (!verifyProof(input, message.proof)) return { code: 'E_AUTH_FAILED', message: 'wrong proof' };
    return undefined;
  }

  /** A connection proved the secret: accepted and attached unless its id (or the hub) is live; the live one is left untouched. */
  private admit(claim: Claim, ws: WebSocket): Refusal | undefined {
    if (isOpen(this.options.live(claim))) {
      if (claim.role === 'hub') return { code: 'E_HUB_TAKEN', message: 'a hub is already connected' };
      return { code: 'E_DUPLICATE_DEVICE', message: `device ${claim.id} is already connected` };
    }
    ws.send(encodeHandshake({ v: PROTOCOL_VERSION, type: 'accepted', id: claim.id }));
    this.options.attach(claim, ws);
    return undefined;
  }

  private refuse(claim: Claim, ws: WebSocket, refusal: Refusal): void {
    this.options.logger.warn({ ...claim, code: refusal.code, why: refusal.message }, 'connection refused');
    this.options.onRefused(refusal.code);
    if (ws.readyState !== WebSocket.OPEN) return;
    ws.send(encodeHandshake({ v: PROTOCOL_VERSION, type: 'refused', ...refusal }));
    ws.close(REFUSED_CLOSE_CODE, refusal.code);
    // A peer that does not answer the close handshake is cut off.
    setTimeout(() => ws.terminate(), 1000).unref();
  }
}

function isOpen(ws: WebSocket | null): boolean {
  return ws !== null && ws.readyState === WebSocket.OPEN;
}

function rejectUpgrade(socket: Duplex, status: number, code: string): void {
  socket.end(`HTTP/1.1 ${status} ${code}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** The bytes of a WebSocket message. */
export function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
