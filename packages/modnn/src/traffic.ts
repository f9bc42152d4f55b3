import { frameCount, idleTransfer, type LinkConfig } from '@wearnet/link';
import { HUB, type MessageKind, type ModnnPlan, type PlannedMessage } from './plan-types';

/** Bytes and messages of one group of messages. */
export interface TrafficCount {
  messages: number;
  payloadBytes: number;
}

/** Traffic of one participant (device or hub) per inference. */
export interface EndpointTraffic {
  /** Device index or -1 for the hub. */
  endpoint: number;
  sent: TrafficCount;
  received: TrafficCount;
}

/** Traffic of one layer: the messages carrying one node's output. */
export interface LayerTraffic extends TrafficCount {
  tensor: string;
  kind: MessageKind;
  /** Convolutions (or the dense layer) that read what the messages carry. */
  readers: string[];
  /** Bytes each endpoint sends and receives in this layer: devices 0..K-1, then the hub. */
  perEndpoint: { endpoint: number; sentBytes: number; receivedBytes: number }[];
}

/** What one inference puts on the medium, from the plan alone (no link model). */
export interface TrafficSummary extends TrafficCount {
  byKind: Partial<Record<MessageKind, TrafficCount>>;
  /** Device -> device, device -> hub, hub -> device. */
  byDirection: { deviceToDevice: TrafficCount; deviceToHub: TrafficCount; hubToDevice: TrafficCount };
  /** Devices 0..K-1, then the hub. */
  byEndpoint: EndpointTraffic[];
  /** In graph order. */
  byLayer: LayerTraffic[];
}

const zero = (): TrafficCount => ({ messages: 0, payloadBytes: 0 });
const bump = (c: TrafficCount, m: PlannedMessage, headerBytes: number): void => {
  c.messages += 1;
  c.payloadBytes += m.payloadBytes + headerBytes;
};

/**
 * Bytes per inference of a plan, per kind, direction, endpoint (sent, received) and layer.
 * @param headerBytes bytes of envelope added to every message (default 0: tensor payload only).
 */
export function planTraffic(plan: ModnnPlan, headerBytes = 0): TrafficSummary {
  const total = zero();
  const byKind: Partial<Record<MessageKind, TrafficCount>> = {};
  const byDirection = { deviceToDevice: zero(), deviceToHub: zero(), hubToDevice: zero() };
  const endpoints = [...plan.programs.map((_, d) => d), HUB];
  const byEndpoint = endpoints.map((endpoint) => ({ endpoint, sent: zero(), received: zero() }));
  const at = (e: number): EndpointTraffic => byEndpoint[e === HUB ? plan.devices : e];
  const layers = new Map<string, LayerTraffic>();
  const readers = new Map<string, string[]>();
  for (const n of plan.graph.nodes) for (const i of n.inputs) readers.set(i, [...(readers.get(i) ?? []), n.name]);
  for (const m of plan.messages) {
    bump(total, m, headerBytes);
    bump((byKind[m.kind] ??= zero()), m, headerBytes);
    bump(m.from === HUB ? byDirection.hubToDevice : m.to === HUB ? byDirection.deviceToHub : byDirection.deviceToDevice, m, headerBytes);
    bump(at(m.from).sent, m, headerBytes);
    bump(at(m.to).received, m, headerBytes);
    const key = `${m.kind}:${m.tensor}`;
    const layer = layers.get(key) ?? {
      tensor: m.tensor,
      kind: m.kind,
      readers: m.kind === 'logits' ? [] : (readers.get(m.tensor) ?? []),
      perEndpoint: endpoints.map((endpoint) => ({ endpoint, sentBytes: 0, receivedBytes: 0 })),
      ...zero(),
    };
    bump(layer, m, headerBytes);
    layer.perEndpoint[m.from === HUB ? plan.devices : m.from].sentBytes += m.payloadBytes + headerBytes;
    layer.perEndpoint[m.to === HUB ? plan.devices : m.to].receivedBytes += m.payloadBytes + headerBytes;
    layers.set(key, layer);
  }
  return { ...total, byKind, byDirection, byEndpoint, byLayer: [...layers.values()] };
}

/** PHY frames and lossless medium occupancy of a set of messages on a link (each message framed on its own). */
export interface FramedTraffic {
  frames: number;
  /** Sum of `idleTransfer(...).occupancyMs`: data frames, IFS and ACKs, no retries; ms. */
  airtimeMs: number;
}

/** Frames and airtime of every message of a plan (relayed device-to-device messages count twice). */
export function framedTraffic(
  link: LinkConfig,
  messages: readonly PlannedMessage[],
  options: { headerBytes?: number; routing?: 'direct' | 'hub-relay' } = {},
): FramedTraffic {
  let frames = 0;
  let airtimeMs = 0;
  for (const m of messages) {
    const bytes = m.payloadBytes + (options.headerBytes ?? 0);
    const hops = options.routing === 'hub-relay' && m.from !== HUB && m.to !== HUB ? 2 : 1;
    frames += hops * frameCount(link, bytes);
    airtimeMs += hops * idleTransfer(link, bytes).occupancyMs;
  }
  return { frames, airtimeMs };
}
