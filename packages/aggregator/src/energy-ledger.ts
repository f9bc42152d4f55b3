import { computeEnergyNj, type DeviceClass } from '@wearnet/hardware';
import { radioEnergyNj, type LinkConfig } from '@wearnet/link';
import type { TransferStats } from '@wearnet/protocol';

/** Modelled energy of one device so far, nJ. */
export interface DeviceEnergyNj {
  radioTx: number;
  radioRx: number;
  compute: number;
}

/** Modelled energy of the hub's radio so far, nJ. */
export interface HubEnergyNj {
  radioTx: number;
  radioRx: number;
}

/** Accumulates the modelled radio and compute energy of every device and of the hub. */
export class EnergyLedger {
  /** Per device id. */
  readonly devices: Record<string, DeviceEnergyNj> = {};
  readonly hub: HubEnergyNj = { radioTx: 0, radioRx: 0 };

  constructor(
    private readonly link: LinkConfig,
    deviceIds: readonly string[],
  ) {
    for (const id of deviceIds) this.devices[id] = { radioTx: 0, radioRx: 0, compute: 0 };
  }

  /** Books one message's transfer; unknown devices are ignored. */
  addTransfer(deviceId: string, direction: 'uplink' | 'downlink', stats: TransferStats): void {
    const energy = this.devices[deviceId];
    if (!energy) return;
    // The device transmits data and receives ACKs on the uplink, and the reverse on the downlink; the hub the opposite.
    const data = stats.dataBits;
    const acks = stats.ackBits;
    const deviceTx = direction === 'uplink' ? data : acks;
    const deviceRx = direction === 'uplink' ? acks : data;
    energy.radioTx += radioEnergyNj(this.link, { txBits: deviceTx, rxBits: 0 });
    energy.radioRx += radioEnergyNj(this.link, { txBits: 0, rxBits: deviceRx });
    this.hub.radioTx += radioEnergyNj(this.link, { txBits: deviceRx, rxBits: 0 });
    this.hub.radioRx += radioEnergyNj(this.link, { txBits: 0, rxBits: deviceTx });
  }

  /** Books one inference computed by a device of `deviceClass` running a student of `macs` MACs. */
  addCompute(deviceId: string, deviceClass: DeviceClass, macs: number): void {
    this.devices[deviceId].compute += computeEnergyNj(deviceClass, macs);
  }
}
