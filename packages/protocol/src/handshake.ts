import { createHmac, timingSafeEqual } from 'node:crypto';
import { msgpackCodec } from './codec';
import { ProtocolError } from './errors';
import { PROTOCOL_VERSION } from './messages';
import { bytes, invalid, oneOf, record, str } from './validate';
import { DEFAULT_LIMITS } from './limits';

/** Bytes of a challenge nonce and of a proof (HMAC-SHA256). */
export const HANDSHAKE_NONCE_BYTES = 32;
/** Largest handshake frame accepted before authentication, bytes: nothing bigger is decoded. */
export const MAX_HANDSHAKE_BYTES = 1024;
/** Fewest bytes a cluster secret may have. */
export const MIN_SECRET_BYTES = 16;

/** Who is authenticating: a device (its id) or the hub (id `hub`). */
export type HandshakeRole = 'device' | 'hub';

/** Medium -> connection: prove the cluster secret over this fresh nonce. */
export interface ChallengeMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'challenge';
  nonce: Uint8Array;
  runId: string;
}

/** Connection -> medium: HMAC-SHA256(secret, role, id, runId, nonce). */
export interface AuthMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'auth';
  role: HandshakeRole;
  id: string;
  proof: Uint8Array;
}

/** Medium -> connection: authenticated; ordinary traffic follows. */
export interface AcceptedMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'accepted';
  id: string;
}

/** Medium -> connection: refused (`E_AUTH_FAILED`, `E_AUTH_TIMEOUT`, `E_DUPLICATE_DEVICE`, `E_HUB_TAKEN`); the medium closes it. */
export interface RefusedMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'refused';
  code: string;
  message: string;
}

/**
 * The messages of the per-connection handshake, exchanged before anything else on a device or hub
 * WebSocket (plain codec frames, no timed-frame header): challenge, auth, then accepted or refused.
 */
export type HandshakeMessage = ChallengeMessage | AuthMessage | AcceptedMessage | RefusedMessage;

const HANDSHAKE_TYPES = ['challenge', 'auth', 'accepted', 'refused'] as const;
const ROLES: readonly HandshakeRole[] = ['device', 'hub'];
const DOMAIN = 'wearnet-auth-v1';

/** Encodes a handshake message (msgpack). */
export function encodeHandshake(message: HandshakeMessage): Uint8Array {
  return msgpackCodec.encode(message);
}

/**
 * Decodes and validates a handshake frame from `unknown` bytes.
 * @throws ProtocolError `E_MESSAGE_TOO_LARGE` (over {@link MAX_HANDSHAKE_BYTES}), `E_DECODE_FAILED`,
 * `E_UNSUPPORTED_VERSION`, `E_UNKNOWN_TYPE` or `E_INVALID_MESSAGE`.
 */
export function decodeHandshake(data: Uint8Array): HandshakeMessage {
  if (data.length > MAX_HANDSHAKE_BYTES) {
    throw new ProtocolError('E_MESSAGE_TOO_LARGE', `handshake frame of ${data.length} bytes exceeds ${MAX_HANDSHAKE_BYTES}`);
  }
  let value: unknown;
  try {
    value = msgpackCodec.decode(data);
  } catch (err) {
    throw new ProtocolError('E_DECODE_FAILED', 'handshake frame is not valid msgpack', { cause: err });
  }
  const obj = record(value, '');
  if (obj.v !== PROTOCOL_VERSION) {
    if (typeof obj.v === 'number') throw new ProtocolError('E_UNSUPPORTED_VERSION', `protocol version ${obj.v}, expected ${PROTOCOL_VERSION}`, { path: 'v' });
    invalid('v', `the number ${PROTOCOL_VERSION}`, obj.v);
  }
  const type = obj.type;
  if (typeof type !== 'string' || !(HANDSHAKE_TYPES as readonly string[]).includes(type)) {
    throw new ProtocolError('E_UNKNOWN_TYPE', 'unknown handshake message type', { path: 'type' });
  }
  const limits = DEFAULT_LIMITS;
  const v = PROTOCOL_VERSION;
  switch (type as HandshakeMessage['type']) {
    case 'challenge':
      return { v, type: 'challenge', nonce: fixedBytes(obj, 'nonce'), runId: str(obj, 'runId', '', limits, 1) };
    case 'auth':
      return { v, type: 'auth', role: oneOf(obj, 'role', '', ROLES), id: str(obj, 'id', '', limits, 1), proof: fixedBytes(obj, 'proof') };
    case 'accepted':
      return { v, type: 'accepted', id: str(obj, 'id', '', limits, 1) };
    case 'refused':
      return { v, type: 'refused', code: str(obj, 'code', '', limits, 1), message: str(obj, 'message', '', limits) };
  }
}

/** What a proof is computed over. */
export interface ProofInput {
  /** Cluster secret (never sent). */
  secret: Uint8Array;
  role: HandshakeRole;
  /** Device id, or `hub`. */
  id: string;
  runId: string;
  nonce: Uint8Array;
}

/**
 * HMAC-SHA256 keyed by the secret over the domain tag, role, id, run id and nonce, each
 * length-prefixed (so no two inputs share an encoding).
 */
export function handshakeProof(input: ProofInput): Uint8Array {
  const hmac = createHmac('sha256', input.secret);
  for (const part of [Buffer.from(DOMAIN), Buffer.from(input.role), Buffer.from(input.id), Buffer.from(input.runId), Buffer.from(input.nonce)]) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(part.length);
    hmac.update(length);
    hmac.update(part);
  }
  return new Uint8Array(hmac.digest());
}

/** Whether `proof` is the proof of `input`, compared in constant time. */
export function verifyProof(input: ProofInput, proof: Uint8Array): boolean {
  const expected = handshakeProof(input);
  return proof.length === expected.length && timingSafeEqual(proof, expected);
}

/**
 * The bearer credential of the medium's HTTP stage routes: derived from the secret and the run id
 * (HMAC), so the secret itself never crosses the wire. Hex.
 */
export function controlCredential(secret: Uint8Array, runId: string): string {
  return createHmac('sha256', secret).update(`${DOMAIN}/control/${runId}`).digest('hex');
}

function fixedBytes(obj: Record<string, unknown>, key: string): Uint8Array {
  const value = bytes(obj, key, '', HANDSHAKE_NONCE_BYTES);
  if (value.length !== HANDSHAKE_NONCE_BYTES) invalid(key, `${HANDSHAKE_NONCE_BYTES} bytes`, value);
  return value;
}

/**
 * The cluster secret as bytes (a string is taken as its UTF-8 bytes).
 * @throws TypeError naming `secret` (never echoing it) when it is shorter than {@link MIN_SECRET_BYTES}.
 */
export function resolveSecret(secret: Uint8Array | string): Uint8Array {
  const bytes = typeof secret === 'string' ? new Uint8Array(Buffer.from(secret, 'utf8')) : secret;
  if (!(bytes instanceof Uint8Array) || bytes.length < MIN_SECRET_BYTES) throw new TypeError(`secret must be at least ${MIN_SECRET_BYTES} bytes`);
  return bytes;
}
