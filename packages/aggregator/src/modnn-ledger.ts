import { computeEnergyNj, type DeviceClass } from '@wearnet/hardware';
import { radioEnergyNj, type LinkConfig } from '@wearnet/link';
import type { TransferStats } from '@wearnet/protocol';

/** The hub's endpoint name in MoDNN accounting. */
export const MODNN_HUB = 'hub';

/** One message of a MoDNN inference as the medium reported it. */
export interface ModnnTransfer {
  requestId: number;
  /** Id of the message in the plan; -1 for the infer. */
  messageId: number;
  /** `request` (the infer), `halo`, `partial`, `pooled` or `logits`. */
  kind: string;
  /** The layer: node whose output it carries (`request` for the infer). */
  layer: string;
  /** Sender and receiver: a device id or {@link MODNN_HUB}. */
  from: string;
  to: string;
  delivered: boolean;
  stats: TransferStats;
}

/** Bytes and energy of one device per completed inference. */
export interface ModnnDeviceTraffic {
  /** Payload bytes it sent (to the hub and to other devices) and received. */
  txBytes: number;
  rxBytes: number;
  /** Of those, device-to-device. */
  peerTxBytes: number;
  peerRxBytes: number;
  /** Radio energy: bits on the air it sent (data and ACKs) x TX nJ/bit, bits it received x RX nJ/bit; and compute (MACs x pJ/MAC). nJ. */
  radioTxNj: number;
  radioRxNj: number;
  computeNj: number;
}

/** MoDNN traffic per completed inference. */
export interface ModnnTrafficSummary {
  /** Completed inferences the averages are over. */
  inferences: number;
  /** Payload bytes of every message on the medium, per inference (each counted once, whatever its retries). */
  bytesPerInference: number;
  /** Device-to-device, device -> hub and hub -> device shares of it. */
  byDirection: { peer: number; up: number; down: number };
  /** By layer (`<kind> <node>`), bytes and messages per inference. */
  byLayer: Record<string, { bytes: number; messages: number }>;
  /** Medium occupancy per inference (data, ACKs, IFS, retries), modelled ms. */
  airtimeMsPerInference: number;
  retriesPerInference: number;
  devices: Record<string, ModnnDeviceTraffic>;
}

const zero = (): ModnnDeviceTraffic => ({ txBytes: 0, rxBytes: 0, peerTxBytes: 0, peerRxBytes: 0, radioTxNj: 0, radioRxNj: 0, computeNj: 0 });

/**
 * Accumulates what the medium reported of each MoDNN request (every downlink, uplink and
 * device-to-device transfer) and turns the completed ones into per-inference bytes (per device,
 * direction and layer), airtime and energy. Requests that stalled are kept apart: their partial
 * traffic does not dilute the per-inference figures.
 */
export class ModnnLedger {
  private readonly byRequest = new Map<number, ModnnTransfer[]>();
  private readonly completed: number[] = [];

  constructor(
    private readonly link: LinkConfig,
    private readonly classes: Record<string, DeviceClass>,
  ) {}

  add(transfer: ModnnTransfer): void {
    const list = this.byRequest.get(transfer.requestId) ?? [];
    list.push(transfer);
    this.byRequest.set(transfer.requestId, list);
  }

  /** Request `requestId` completed (the hub gathered every logit). */
  complete(requestId: number): void {
    this.completed.push(requestId);
  }

  /** Transfers reported for a request so far. */
  transfers(requestId: number): readonly ModnnTransfer[] {
    return this.byRequest.get(requestId) ?? [];
  }

  /** Per-inference averages over the completed requests; `macs` is each device's share of one image. */
  summary(macs: Record<string, number>): ModnnTrafficSummary {
    const n = this.completed.length;
    const devices: Record<string, ModnnDeviceTraffic> = {};
    for (const id of Object.keys(this.classes)) devices[id] = zero();
    const byLayer: ModnnTrafficSummary['byLayer'] = {};
    const byDirection = { peer: 0, up: 0, down: 0 };
    let bytes = 0;
    let airtime = 0;
    let retries = 0;
    const nj = (bits: number, tx: boolean): number => radioEnergyNj(this.link, tx ? { txBits: bits, rxBits: 0 } : { txBits: 0, rxBits: bits });
    for (const id of this.completed) {
      for (const t of this.transfers(id)) {
        const b = t.stats.payloadBytes;
        bytes += b;
        airtime += t.stats.airtimeMs;
        retries += t.stats.retries;
        const key = t.kind === 'request' ? 'request' : `${t.kind} ${t.layer}`;
        byLayer[key] ??= { bytes: 0, messages: 0 };
        byLayer[key].bytes += b;
        byLayer[key].messages += 1;
        const peer = t.from !== MODNN_HUB && t.to !== MODNN_HUB;
        byDirection[peer ? 'peer' : t.from === MODNN_HUB ? 'down' : 'up'] += b;
        const sender = devices[t.from];
        const receiver = devices[t.to];
        if (sender) {
          sender.txBytes += b;
          if (peer) sender.peerTxBytes += b;
          sender.radioTxNj += nj(t.stats.dataBits, true);
          sender.radioRxNj += nj(t.stats.ackBits, false);
        }
        if (receiver && t.delivered) {
          receiver.rxBytes += b;
          if (peer) receiver.peerRxBytes += b;
          receiver.radioRxNj += nj(t.stats.dataBits, false);
          receiver.radioTxNj += nj(t.stats.ackBits, true);
        }
      }
    }
    for (const [id, cls] of Object.entries(this.classes)) devices[id].computeNj = n * computeEnergyNj(cls, macs[id] ?? 0);
    const per = (v: number): number => (n === 0 ? NaN : v / n);
    for (const d of Object.values(devices)) for (const k of Object.keys(d) as (keyof ModnnDeviceTraffic)[]) d[k] = per(d[k]);
    for (const v of Object.values(byLayer)) {
      v.bytes = per(v.bytes);
      v.messages = per(v.messages);
    }
    return {
      inferences: n,
      bytesPerInference: per(bytes),
      byDirection: { peer: per(byDirection.peer), up: per(byDirection.up), down: per(byDirection.down) },
      byLayer,
      airtimeMsPerInference: per(airtime),
      retriesPerInference: per(retries),
      devices,
    };
  }
}
