import {
  decodeHandshake,
  encodeHandshake,
  handshakeProof,
  type AuthMessage,
  type ChallengeMessage,
  type HandshakeMessage,
  type HandshakeRole,
} from '@wearnet/protocol';
import { WebSocket } from 'ws';

/** A raw client of the medium for tests: it sees every frame, handshake or not. */
export interface TestClient {
  ws: WebSocket;
  challenge: ChallengeMessage;
  /** Every frame received after the challenge, raw. */
  frames: Uint8Array[];
  /** Resolves with the next frame. */
  next(): Promise<Uint8Array>;
  /** Resolves when the socket closes, with its close code. */
  closed: Promise<number>;
}

/** Opens a socket and waits for its challenge (answering nothing). */
export function open(url: string): Promise<TestClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const frames: Uint8Array[] = [];
    const waiters: ((frame: Uint8Array) => void)[] = [];
    let challenge: ChallengeMessage | undefined;
    const closed = new Promise<number>((done) => ws.once('close', (code) => done(code)));
    ws.on('message', (data: Buffer) => {
      const frame = new Uint8Array(data);
      if (!challenge) {
        const message = decodeHandshake(frame);
        if (message.type !== 'challenge') return reject(new Error(`expected a challenge, got ${message.type}`));
        challenge = message;
        resolve({ ws, challenge, frames, closed, next: () => new Promise((r) => (frames.length > 0 ? r(frames.shift()!) : waiters.push(r))) });
        return;
      }
      const waiter = waiters.shift();
      if (waiter) waiter(frame);
      else frames.push(frame);
    });
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

/** The auth answer to a challenge. */
export function answer(challenge: ChallengeMessage, who: { role: HandshakeRole; id: string; secret: string }): AuthMessage {
  const proof = handshakeProof({ secret: Buffer.from(who.secret), role: who.role, id: who.id, runId: challenge.runId, nonce: challenge.nonce });
  return { v: 1, type: 'auth', role: who.role, id: who.id, proof };
}

/** Sends an auth message and resolves with the medium's verdict. */
export async function authenticate(client: TestClient, auth: AuthMessage): Promise<HandshakeMessage> {
  client.ws.send(encodeHandshake(auth));
  return decodeHandshake(await client.next());
}

/** Opens and authenticates; throws unless accepted. */
export async function connectAs(base: string, who: { role: HandshakeRole; id: string; secret: string }): Promise<TestClient> {
  const client = await open(who.role === 'hub' ? `${base}/hub` : `${base}/device/${who.id}`);
  const verdict = await authenticate(client, answer(client.challenge, who));
  if (verdict.type !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(verdict)}`);
  return client;
}
