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

/**
 * A fade process: alternating fade / non-fade periods in modelled time whose durations follow
 * `distribution` (lognormal: the fit of measured body-area channels; exponential: memoryless),
 * with a per-attempt loss probability in each state.
 */
export interface FadeConfig {
  /** Family of both duration distributions: `lognormal` (default) or `exponential`. */
  distribution: 'lognormal' | 'exponential';
  /** Mean fade duration, modelled ms. */
  fadeMeanMs: number;
  /** Standard deviation of ln(fade duration) (lognormal only). */
  fadeSigma: number;
  /** Mean non-fade duration, modelled ms. */
  clearMeanMs: number;
  /** Standard deviation of ln(non-fade duration) (lognormal only). */
  clearSigma: number;
  /** Frame loss probability per attempt during a fade. */
  lossInFade: number;
  /** Frame loss probability per attempt between fades. */
  lossInClear: number;
}

/**
 * Where devices sit on the body and how much each hub-device pair loses relative to the reference
 * pair: a link with `d` dB more path loss is lost more often in every state, as a Rayleigh outage
 * is (`1 - (1 - p)^(10^(d/10))`, see `path-loss.ts`).
 */
export interface PathLossConfig {
  /** Body position of the hub (for example `waist`). */
  hub: string;
  /** Extra path loss of a pair of positions relative to the reference pair, dB, keyed `a-b` (either order). */
  pairsDb: Record<string, number>;
  /** Body position of each device, by device id; devices not listed sit at the reference (0 dB). */
  devices: Record<string, string>;
}

/** A recorded channel trace replayed on the links named by its columns (read by the medium process; see `trace.ts`). */
export interface TraceReplayConfig {
  /** CSV file (absolute, or relative to the working directory). */
  file: string;
  /** Gain below which frames are lost, dB (gain-db traces). */
  thresholdDb: number;
  /** Width of the gain-to-loss transition, dB (0: a hard threshold). */
  widthDb: number;
  /** Replay from the start after the end (else hold the last sample). */
  loop: boolean;
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
  /** A fade process per link (each link fades on its own), or null. */
  fade: FadeConfig | null;
  /** One fade process for the whole body (a posture change fades every link at once), or null. */
  bodyFade: FadeConfig | null;
  /** A recorded channel trace on top of the other channels, or null. */
  trace: TraceReplayConfig | null;
  /** Body positions and the per-pair path-loss table, or null (every link at the reference). */
  pathLoss: PathLossConfig | null;
  /** CSMA/CA backoff, or null for a scheduled (contention-free) MAC. */
  backoff: BackoffConfig | null;
  energy: EnergyConfig;
}

/** A partial {@link LinkConfig} used as overrides; nested objects may be partial too. */
export type LinkOverrides = Partial<Omit<LinkConfig, 'burst' | 'fade' | 'bodyFade' | 'pathLoss' | 'trace' | 'backoff' | 'energy'>> & {
  trace?: Partial<TraceReplayConfig> | null;
  pathLoss?: Partial<PathLossConfig> | null;
  burst?: Partial<BurstConfig> | null;
  fade?: Partial<FadeConfig> | null;
  bodyFade?: Partial<FadeConfig> | null;
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
  validateFade(config.fade, 'fade');
  validateFade(config.bodyFade, 'bodyFade');
  validatePathLoss(config.pathLoss);
  if (config.trace !== null) {
    if (typeof config.trace !== 'object') throw new TypeError('trace must be an object or null');
    if (typeof config.trace.file !== 'string' || config.trace.file === '') throw new TypeError('trace.file must name a CSV file');
    number(config.trace.thresholdDb, 'trace.thresholdDb');
    nonNegative(config.trace.widthDb, 'trace.widthDb');
    if (typeof config.trace.loop !== 'boolean') throw new TypeError('trace.loop must be true or false');
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

const POSITION = /^[a-z]+$/;

/** Checks a path-loss config (or null): positions are lower-case words, every device's pair with the hub is in the table. */
export function validatePathLoss(pathLoss: PathLossConfig | null): void {
  if (pathLoss === null) return;
  if (typeof pathLoss !== 'object') throw new TypeError('pathLoss must be an object or null');
  if (typeof pathLoss.hub !== 'string' || !POSITION.test(pathLoss.hub))
    throw new RangeError(`pathLoss.hub must be a lower-case word (a body position), got ${String(pathLoss.hub)}`);
  if (typeof pathLoss.pairsDb !== 'object' || pathLoss.pairsDb === null) throw new TypeError('pathLoss.pairsDb must be a mapping of "a-b" to dB');
  for (const [pair, db] of Object.entries(pathLoss.pairsDb)) {
    if (!/^[a-z]+-[a-z]+$/.test(pair)) throw new RangeError(`pathLoss.pairsDb.${pair} must be named "position-position"`);
    number(db, `pathLoss.pairsDb.${pair}`);
    if (db < -40 || db > 60) throw new RangeError(`pathLoss.pairsDb.${pair} must be in [-40, 60] dB, got ${db}`);
  }
  if (typeof pathLoss.devices !== 'object' || pathLoss.devices === null) throw new TypeError('pathLoss.devices must be a mapping of device id to position');
  for (const [device, position] of Object.entries(pathLoss.devices)) {
    if (typeof position !== 'string' || !POSITION.test(position))
      throw new RangeError(`pathLoss.devices.${device} must be a lower-case word (a body position), got ${String(position)}`);
    if (
      position !== pathLoss.hub &&
      pathLoss.pairsDb[`${pathLoss.hub}-${position}`] === undefined &&
      pathLoss.pairsDb[`${position}-${pathLoss.hub}`] === undefined
    ) {
      throw new RangeError(
        `pathLoss.devices.${device}: no pair ${pathLoss.hub}-${position} in pathLoss.pairsDb (known: ${Object.keys(pathLoss.pairsDb).join(', ')})`,
      );
    }
  }
}

/** Checks a fade config (or null); errors name `<field>.<key>`. */
export function validateFade(fade: FadeConfig | null, field: string): void {
  if (fade === null) return;
  if (typeof fade !== 'object') throw new TypeError(`${field} must be an object or null`);
  if (fade.distribution !== 'lognormal' && fade.distribution !== 'exponential') {
    throw new RangeError(`${field}.distribution must be lognormal or exponential, got ${String(fade.distribution)}`);
  }
  positive(fade.fadeMeanMs, `${field}.fadeMeanMs`);
  positive(fade.clearMeanMs, `${field}.clearMeanMs`);
  nonNegative(fade.fadeSigma, `${field}.fadeSigma`);
  nonNegative(fade.clearSigma, `${field}.clearSigma`);
  if (fade.distribution === 'lognormal' && (fade.fadeSigma > 5 || fade.clearSigma > 5))
    throw new RangeError(`${field}.${fade.fadeSigma > 5 ? 'fadeSigma' : 'clearSigma'} must be at most 5 for a lognormal`);
  probability(fade.lossInFade, `${field}.lossInFade`);
  probability(fade.lossInClear, `${field}.lossInClear`);
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
