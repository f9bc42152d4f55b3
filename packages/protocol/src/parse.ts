import { ProtocolError } from './errors';
import { DEFAULT_LIMITS, type Limits } from './limits';
import { HUB_MESSAGE_TYPES, type HubMessage, type HubMessageType, type TransferStats } from './hub-messages';
import { MESSAGE_TYPES, PROTOCOL_VERSION, type Message, type MessageType } from './messages';
import { MAX_INT8_SCALE, VECTOR_ENCODINGS, bytesPerElement, unpackVector, type VectorPayload } from './vector';
import { bool, bytes, int, invalid, num, oneOf, record, str, type WireRecord } from './validate';

const ERROR_CODE = /^E_[A-Z0-9_]{1,60}$/;

/**
 * Validates a decoded value as a device <-> aggregator {@link Message}.
 * Returns a fresh object holding only the known fields; unknown fields are ignored.
 * @throws ProtocolError `E_INVALID_MESSAGE`, `E_UNSUPPORTED_VERSION`, `E_UNKNOWN_TYPE` or `E_VECTOR_TOO_LONG`.
 */
export function parseMessage(value: unknown, limits: Limits = DEFAULT_LIMITS): Message {
  const obj = envelope(value);
  const type = obj.type;
  if (typeof type !== 'string' || !(MESSAGE_TYPES as readonly string[]).includes(type)) {
    throw new ProtocolError('E_UNKNOWN_TYPE', `unknown message type ${describeType(type)}`, { path: 'type' });
  }
  const v = PROTOCOL_VERSION;
  switch (type as MessageType) {
    case 'hello': {
      const bundle = record(obj.bundle, 'bundle');
      return {
        v,
        type: 'hello',
        deviceId: str(obj, 'deviceId', '', limits, 1),
        deviceIndex: int(obj, 'deviceIndex', '', 0, 65535),
        deviceClass: str(obj, 'deviceClass', '', limits, 1),
        bundle: {
          part: int(bundle, 'part', 'bundle', 0, 65535),
          outputLength: int(bundle, 'outputLength', 'bundle', 1, limits.maxVectorLength),
          macs: num(bundle, 'macs', 'bundle', 0),
          weightsSha256: str(bundle, 'weightsSha256', 'bundle', limits),
        },
      };
    }
    case 'welcome':
      return {
        v,
        type: 'welcome',
        deviceId: str(obj, 'deviceId', '', limits, 1),
        heartbeatMs: num(obj, 'heartbeatMs', '', 1, 3.6e6),
        encoding: oneOf(obj, 'encoding', '', VECTOR_ENCODINGS),
      };
    case 'infer': {
      const message: Message = {
        v,
        type: 'infer',
        requestId: int(obj, 'requestId', ''),
        sample: int(obj, 'sample', ''),
      };
      if (obj.image !== undefined) message.image = bytes(obj, 'image', '', limits.maxImageBytes);
      return message;
    }
    case 'result':
      return {
        v,
        type: 'result',
        requestId: int(obj, 'requestId', ''),
        vector: vectorPayload(obj.vector, limits),
        computeMs: num(obj, 'computeMs', '', 0),
        hostMs: num(obj, 'hostMs', '', 0),
      };
    case 'heartbeat':
      return { v, type: 'heartbeat', seq: int(obj, 'seq', ''), reply: bool(obj, 'reply', '') };
    case 'error': {
      const code = str(obj, 'code', '', limits);
      if (!ERROR_CODE.test(code)) invalid('code', 'an E_* code', code);
      const message: Message = { v, type: 'error', code, message: str(obj, 'message', '', limits) };
      if (obj.requestId !== undefined) message.requestId = int(obj, 'requestId', '');
      return message;
    }
    case 'bye':
      return { v, type: 'bye', reason: str(obj, 'reason', '', limits) };
    case 'band':
      return { v, type: 'band', requestId: int(obj, 'requestId', ''), messageId: int(obj, 'messageId', ''), data: float32Bytes(obj, limits) };
  }
}

/** `data` of a band message: whole float32 elements, every one finite. */
function float32Bytes(obj: WireRecord, limits: Limits): Uint8Array {
  const data = bytes(obj, 'data', '', limits.maxMessageBytes);
  if (data.length % 4 !== 0) invalid('data', 'whole float32 elements (a multiple of 4 bytes)', data);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i < data.length; i += 4)
    if (!Number.isFinite(view.getFloat32(i, true))) invalid(`data[${i / 4}]`, 'finite numbers', view.getFloat32(i, true));
  return data;
}

/**
 * Validates a decoded value as a medium <-> hub {@link HubMessage}.
 * @throws ProtocolError `E_INVALID_MESSAGE`, `E_UNSUPPORTED_VERSION` or `E_UNKNOWN_TYPE`.
 */
export function parseHubMessage(value: unknown, limits: Limits = DEFAULT_LIMITS): HubMessage {
  const obj = envelope(value);
  const type = obj.type;
  if (typeof type !== 'string' || !(HUB_MESSAGE_TYPES as readonly string[]).includes(type)) {
    throw new ProtocolError('E_UNKNOWN_TYPE', `unknown hub message type ${describeType(type)}`, { path: 'type' });
  }
  const v = PROTOCOL_VERSION;
  const deviceId = str(obj, 'deviceId', '', limits, 1);
  switch (type as HubMessageType) {
    case 'link-open':
      return { v, type: 'link-open', deviceId, atMs: num(obj, 'atMs', '') };
    case 'link-close':
      return { v, type: 'link-close', deviceId, atMs: num(obj, 'atMs', ''), reason: str(obj, 'reason', '', limits) };
    case 'uplink':
      return {
        v,
        type: 'uplink',
        deviceId,
        atMs: num(obj, 'atMs', ''),
        payload: bytes(obj, 'payload', '', limits.maxMessageBytes),
        stats: transferStats(obj.stats),
      };
    case 'uplink-dropped':
      return {
        v,
        type: 'uplink-dropped',
        deviceId,
        atMs: num(obj, 'atMs', ''),
        stats: transferStats(obj.stats),
        payload: bytes(obj, 'payload', '', limits.maxMessageBytes),
      };
    case 'downlink':
      return {
        v,
        type: 'downlink',
        deviceId,
        seq: int(obj, 'seq', ''),
        readyAtMs: num(obj, 'readyAtMs', ''),
        payload: bytes(obj, 'payload', '', limits.maxMessageBytes),
      };
    case 'peer-report':
      return {
        v,
        type: 'peer-report',
        deviceId,
        to: str(obj, 'to', '', limits, 1),
        delivered: bool(obj, 'delivered', ''),
        atMs: num(obj, 'atMs', ''),
        stats: transferStats(obj.stats),
        payload: bytes(obj, 'payload', '', limits.maxMessageBytes),
      };
    case 'downlink-report':
      return {
        v,
        type: 'downlink-report',
        deviceId,
        seq: int(obj, 'seq', ''),
        delivered: bool(obj, 'delivered', ''),
        atMs: num(obj, 'atMs', ''),
        stats: transferStats(obj.stats),
      };
  }
}

function envelope(value: unknown): WireRecord {
  const obj = record(value, '');
  if (obj.v !== PROTOCOL_VERSION) {
    if (typeof obj.v === 'number') {
      throw new ProtocolError('E_UNSUPPORTED_VERSION', `protocol version ${obj.v} is not supported (this peer speaks ${PROTOCOL_VERSION})`, { path: 'v' });
    }
    invalid('v', `protocol version ${PROTOCOL_VERSION}`, obj.v);
  }
  return obj;
}

function describeType(type: unknown): string {
  return typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : typeof type;
}

function vectorPayload(value: unknown, limits: Limits): VectorPayload {
  const obj = record(value, 'vector');
  const encoding = oneOf(obj, 'encoding', 'vector', VECTOR_ENCODINGS);
  const length = int(obj, 'length', 'vector');
  if (length > limits.maxVectorLength) {
    throw new ProtocolError('E_VECTOR_TOO_LONG', `vector.length ${length} exceeds maxVectorLength ${limits.maxVectorLength}`, { path: 'vector.length' });
  }
  const data = bytes(obj, 'bytes', 'vector', limits.maxVectorLength * 4);
  if (data.length !== length * bytesPerElement(encoding)) {
    invalid('vector.bytes', `${length * bytesPerElement(encoding)} bytes for ${length} ${encoding} elements`, data);
  }
  const payload: VectorPayload = { encoding, length, bytes: data };
  // A scale beyond this makes q * scale leave float32 (Infinity once unpacked).
  if (encoding === 'int8') payload.scale = num(obj, 'scale', 'vector', 0, MAX_INT8_SCALE);
  const values = unpackVector(payload);
  for (let i = 0; i < values.length; i += 1) {
    if (!Number.isFinite(values[i])) invalid(`vector.bytes[${i}]`, 'finite numbers', values[i]);
  }
  return payload;
}

function transferStats(value: unknown): TransferStats {
  const obj = record(value, 'stats');
  return {
    payloadBytes: int(obj, 'payloadBytes', 'stats'),
    frames: int(obj, 'frames', 'stats'),
    attempts: int(obj, 'attempts', 'stats'),
    retries: int(obj, 'retries', 'stats'),
    lostFrames: int(obj, 'lostFrames', 'stats'),
    dataBits: int(obj, 'dataBits', 'stats'),
    ackBits: int(obj, 'ackBits', 'stats'),
    airtimeMs: num(obj, 'airtimeMs', 'stats', 0),
    queuedMs: num(obj, 'queuedMs', 'stats', 0),
    readyAtMs: num(obj, 'readyAtMs', 'stats'),
    endAtMs: num(obj, 'endAtMs', 'stats'),
  };
}
