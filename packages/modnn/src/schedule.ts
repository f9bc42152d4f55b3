import { computeEnergyNj, computeTimeMs, type DeviceClass } from '@wearnet/hardware';
import { BodyTimeline, radioEnergyNj, type LinkConfig } from '@wearnet/link';
import { optionError } from './errors';
import { HUB, type ModnnPlan, type PlannedMessage } from './plan-types';

/** How a device-to-device message crosses the body: one transmission, or up to the hub and down again. */
export type Routing = 'direct' | 'hub-relay';

/** Options of {@link simulateInference}. */
export interface SimulateOptions {
  plan: ModnnPlan;
  link: LinkConfig;
  /** Device class of each device (compute time and energy). */
  deviceClasses: readonly DeviceClass[];
  /** Seed of the timeline's loss draws; default 1. */
  seed?: number;
  /** Default `direct`. */
  routing?: Routing;
  /** Envelope bytes added to every message; default 0. */
  headerBytes?: number;
  /** Devices that are missing (crashed, out of range): they never compute nor send. */
  missing?: readonly number[];
}

/** Per-device outcome of one simulated inference. */
export interface DeviceCost {
  device: number;
  macs: number;
  /** Modelled compute time (device class), including its fixed overhead once, ms. */
  computeMs: number;
  computeNj: number;
  /** Radio energy: data bits sent and ACKs received as sender, data received and ACKs sent as receiver; nJ. */
  radioTxNj: number;
  radioRxNj: number;
  txBits: number;
  rxBits: number;
}

/** Outcome of {@link simulateInference}. */
export interface SimulatedInference {
  /** True when the hub received every logit slice. */
  completed: boolean;
  /** When the hub has the logits, ms from the first request; `Infinity` when the inference stalls. */
  latencyMs: number;
  /** Medium occupancy, ms. */
  busyMs: number;
  transmissions: number;
  frames: number;
  attempts: number;
  retries: number;
  /** Messages that exhausted their retries (each stalls its receiver). */
  droppedMessages: number;
  devices: DeviceCost[];
  /** Radio energy of the hub, nJ. */
  hubRadioNj: number;
  /** Delivery time of each message, ms (undefined: never delivered). */
  deliveredAtMs: (number | undefined)[];
}

interface Participant {
  who: number;
  steps: ModnnPlan['hubProgram'];
  pc: number;
  atMs: number;
}

/**
 * Runs one inference of a plan on one shared body timeline (`@wearnet/link`'s `BodyTimeline`, so
 * frames, overheads, ACKs, retries and loss are the link model's): each participant runs its program,
 * a `compute` step takes the device class's time for its MACs, a `recv` waits for its messages, and
 * messages take the medium one at a time in the order they become ready (FIFO, as the emulator's
 * medium). With a lossless link this is the analytic latency of the layer-wise schedule.
 * A message lost after its retries, or a missing device, stalls the inference (`completed: false`).
 */
export function simulateInference(options: SimulateOptions): SimulatedInference {
  const { plan, link } = options;
  if (options.deviceClasses.length !== plan.devices) throw optionError('deviceClasses', `needs ${plan.devices} classes, got ${options.deviceClasses.length}`);
  const routing = options.routing ?? 'direct';
  if (routing !== 'direct' && routing !== 'hub-relay') throw optionError('routing', `must be direct or hub-relay, got ${String(routing)}`);
  const headerBytes = options.headerBytes ?? 0;
  const missing = new Set(options.missing ?? []);
  const timeline = new BodyTimeline({ link, seed: options.seed ?? 1 });
  const linkId = (d: number): string => `device-${d}`;
  for (let d = 0; d < plan.devices; d += 1) timeline.addLink(linkId(d));
  const costs: DeviceCost[] = options.deviceClasses.map((_, device) => ({
    device,
    macs: 0,
    computeMs: 0,
    computeNj: 0,
    radioTxNj: 0,
    radioRxNj: 0,
    txBits: 0,
    rxBits: 0,
  }));
  let hubRadioNj = 0;
  const parts: Participant[] = [
    ...plan.programs.map((steps, who) => ({ who, steps, pc: 0, atMs: 0 })),
    { who: HUB, steps: plan.hubProgram, pc: 0, atMs: 0 },
  ].filter((p) => !missing.has(p.who));
  const delivered: (number | undefined)[] = plan.messages.map(() => undefined);
  const pending: { m: PlannedMessage; readyAtMs: number; order: number }[] = [];
  let order = 0;
  const totals = { transmissions: 0, frames: 0, attempts: 0, retries: 0, dropped: 0 };
  const charge = (who: number, tx: number, rx: number): void => {
    if (who === HUB) hubRadioNj += radioEnergyNj(link, { txBits: tx, rxBits: rx });
    else {
      const c = costs[who];
      c.txBits += tx;
      c.rxBits += rx;
      c.radioTxNj += radioEnergyNj(link, { txBits: tx, rxBits: 0 });
      c.radioRxNj += radioEnergyNj(link, { txBits: 0, rxBits: rx });
    }
  };
  const hop = (from: number, to: number, bytes: number, readyAtMs: number): { ok: boolean; atMs: number } => {
    const device = from === HUB ? to : from;
    const result = timeline.transmit({ linkId: linkId(device), direction: from === HUB ? 'downlink' : 'uplink', payloadBytes: bytes, readyAtMs });
    const s = result.stats;
    totals.transmissions += 1;
    totals.frames += s.frames;
    totals.attempts += s.attempts;
    totals.retries += s.retries;
    charge(from, s.dataBits, s.ackBits);
    if (!missing.has(to)) charge(to, s.ackBits, s.dataBits);
    return { ok: result.delivered && !missing.has(to), atMs: result.atMs };
  };
  const advance = (p: Participant): void => {
    while (p.pc < p.steps.length) {
      const step = p.steps[p.pc];
      if (step.op === 'recv') {
        if (!step.messages.every((id) => delivered[id] !== undefined)) return;
        p.atMs = Math.max(p.atMs, ...step.messages.map((id) => delivered[id] as number));
      } else if (step.op === 'send') {
        for (const id of step.messages) pending.push({ m: plan.messages[id], readyAtMs: p.atMs, order: (order += 1) });
      } else if (p.who !== HUB) {
        const cls = options.deviceClasses[p.who];
        const c = costs[p.who];
        const first = c.computeMs === 0;
        const ms = computeTimeMs(first ? cls : { ...cls, overheadMs: 0 }, step.macs);
        c.macs += step.macs;
        c.computeMs += ms;
        c.computeNj += computeEnergyNj(cls, step.macs);
        p.atMs += ms;
      }
      p.pc += 1;
    }
  };
  parts.forEach(advance);
  while (pending.length > 0) {
    pending.sort((a, b) => a.readyAtMs - b.readyAtMs || a.order - b.order);
    const { m, readyAtMs } = pending.shift() as (typeof pending)[number];
    const bytes = m.payloadBytes + headerBytes;
    let outcome: { ok: boolean; atMs: number };
    if (routing === 'hub-relay' && m.from !== HUB && m.to !== HUB) {
      const up = hop(m.from, HUB, bytes, readyAtMs);
      outcome = up.ok ? hop(HUB, m.to, bytes, up.atMs) : up;
    } else {
      outcome = hop(m.from, m.to, bytes, readyAtMs);
    }
    if (!outcome.ok) {
      totals.dropped += 1;
      continue;
    }
    delivered[m.id] = outcome.atMs;
    parts.forEach(advance);
  }
  const hub = parts.find((p) => p.who === HUB) as Participant;
  const completed = hub.pc === hub.steps.length;
  return {
    completed,
    latencyMs: completed ? hub.atMs : Infinity,
    busyMs: timeline.totals.busyMs,
    transmissions: totals.transmissions,
    frames: totals.frames,
    attempts: totals.attempts,
    retries: totals.retries,
    droppedMessages: totals.dropped,
    devices: costs,
    hubRadioNj,
    deliveredAtMs: delivered,
  };
}

/** The lossless latency of the layer-wise schedule: {@link simulateInference} with loss and bursts removed. */
export function modnnLatencyBound(options: Omit<SimulateOptions, 'seed' | 'missing'>): SimulatedInference {
  return simulateInference({ ...options, link: { ...options.link, lossProbability: 0, burst: null } });
}
