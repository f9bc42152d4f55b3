/** Gilbert-Elliott burst loss evolving in modelled time: a two-state channel (good/bad) per link. */
export interface BurstConfig {
  /** Mean time the channel stays good, modelled ms (holding times are exponential). */
  goodMeanMs: number;
  /** Mean time the channel stays bad (a fade), modelled ms. */
  badMeanMs: number;
  /** Frame loss probability while good, per attempt. */
  lossInGood: number;
  /** Frame loss probability while bad, per attempt. */
  lossInBad: number;
}

/** CSMA/CA backoff before each attempt: a uniform number of slots in [0, cw), cw doubling per retry. */
export interface BackoffConfig {
  /** Slot length, modelled ms. */
  slotMs: number;
  /** Contention window of a first attempt, slots. */
  cwMin: number;
  /** Largest contention window, slots. */
  cwMax: number;
}

/** Energy per bit of the radio, nJ/bit. */
export interface EnergyConfig {
  txNjPerBit: number;
  rxNjPerBit: number;
}

/** Complete physical and MAC description of the body link. Every field can be overridden in a topology. */
export interface LinkConfig {
  /** Preset this config started from (informational). */
  preset: string;
  /** PHY data rate, bit/s. */
  phyRateBps: number;
  /** Largest MAC payload per frame, bytes. */
  framePayloadBytes: number;
  /** MAC header + FCS per frame, bytes. */
  frameOverheadBytes: number;
  /** Fixed airtime per PHY frame (preamble, SFD, PHY header), ms. Applies to data frames and ACKs. */
  phyOverheadMs: number;
  /** Inter-frame space, ms (before the ACK, and after it). */
  ifsMs: number;
  /** Immediate-ACK frame size (MAC header + FCS), bytes; 0 disables ACKs and therefore retries. */
  ackBytes: number;
  /** Link-layer retries per frame after the first attempt. */
  maxRetries: number;
  /** Steady per-attempt frame loss probability, independent of bursts. */
  lossProbability: number;
  /** Gilbert-Elliott burst loss in time, or null for none. */
  burst: BurstConfig | null;
  /** CSMA/CA backoff, or null for a scheduled (contention-free) MAC. */
  backoff: BackoffConfig | null;
  energy: EnergyConfig;
}

/** A partial {@link LinkConfig} used as overrides; nested objects may be partial too. */
export type LinkOverrides = Partial<Omit<LinkConfig, 'burst' | 'backoff' | 'energy'>> & {
  burst?: Partial<BurstConfig> | null;
  backoff?: Partial<BackoffConfig> | null;
  energy?: Partial<EnergyConfig>;
};

/**
 * Checks a complete link config.
 * @throws RangeError / TypeError whose message starts with the offending field path (for example `burst.lossInBad`).
 */
export function validateLinkConfig(config: LinkConfig): LinkConfig {
  positive(config.phyRateBps, 'phyRateBps');
  positiveInt(config.framePayloadBytes, 'framePayloadBytes');
  nonNegativeInt(config.frameOverheadBytes, 'frameOverheadBytes');
  nonNegative(config.phyOverheadMs, 'phyOverheadMs');
  nonNegative(config.ifsMs, 'ifsMs');
  nonNegativeInt(config.ackBytes, 'ackBytes');
  nonNegativeInt(config.maxRetries, 'maxRetries');
  if (config.maxRetries > 100) throw new RangeError(`maxRetries must be at most 100, got ${config.maxRetries}`);
  probability(config.lossProbability, 'lossProbability');
  if (config.burst !== null) {
    if (typeof config.burst !== 'object') throw new TypeError('burst must be an object or null');
    positive(config.burst.goodMeanMs, 'burst.goodMeanMs');
    positive(config.burst.badMeanMs, 'burst.badMeanMs');
    probability(config.burst.lossInGood, 'burst.lossInGood');
    probability(config.burst.lossInBad, 'burst.lossInBad');
  }
  if (config.backoff !== null) {
    if (typeof config.backoff !== 'object') throw new TypeError('backoff must be an object or null');
    nonNegative(config.backoff.slotMs, 'backoff.slotMs');
    positiveInt(config.backoff.cwMin, 'backoff.cwMin');
    positiveInt(config.backoff.cwMax, 'backoff.cwMax');
    if (config.backoff.cwMax < config.backoff.cwMin) throw new RangeError('backoff.cwMax must be at least backoff.cwMin');
  }
  if (typeof config.energy !== 'object' || config.energy === null) throw new TypeError('energy must be an object');
  nonNegative(config.energy.txNjPerBit, 'energy.txNjPerBit');
  nonNegative(config.energy.rxNjPerBit, 'energy.rxNjPerBit');
  return config;
}

function number(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`${name} must be a finite number, got ${String(value)}`);
  return value;
}
function positive(value: unknown, name: string): void {
  if (number(value, name) <= 0) throw new RangeError(`${name} must be positive, got ${String(value)}`);
}
function nonNegative(value: unknown, name: string): void {
  if (number(value, name) < 0) throw new RangeError(`${name} must not be negative, got ${String(value)}`);
}
function positiveInt(value: unknown, name: string): void {
  if (!Number.isSafeInteger(number(value, name)) || (value as number) <= 0) throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
}
function nonNegativeInt(value: unknown, name: string): void {
  if (!Number.isSafeInteger(number(value, name)) || (value as number) < 0) throw new RangeError(`${name} must be a non-negative integer, got ${String(value)}`);
}
function probability(value: unknown, name: string): void {
  const p = number(value, name);
  if (p < 0 || p > 1) throw new RangeError(`${name} must be in [0, 1], got ${p}`);
}
