import type { LinkConfig } from './config';

/** Radio bits of one party in a transfer. */
export interface RadioBits {
  /** Bits this party put on the air. */
  txBits: number;
  /** Bits this party received (listened to). */
  rxBits: number;
}

/** Radio energy of `bits` under the link's energy-per-bit hooks, nJ. */
export function radioEnergyNj(link: LinkConfig, bits: RadioBits): number {
  return bits.txBits * link.energy.txNjPerBit + bits.rxBits * link.energy.rxNjPerBit;
}
