import { validateLinkConfig, type LinkConfig, type LinkOverrides } from './config';
import { FADE_PRESETS } from './fade-presets';
import { LinkError } from './errors';
import { HBC_ENERGY, HBC_FRAME } from './hbc-phy';

/** Name of a built-in link preset. */
export type LinkPresetName =
  'hbc-164k' | 'hbc-1m3' | 'eqs-30m' | 'walking' | 'hbc-still' | 'hbc-sitting' | 'hbc-walking' | 'hbc-walking-harsh' | 'onbody-2g4-walking';

/**
 * Built-in presets (DESIGN.md section 4).
 *
 * ASSUMPTIONS (not published as Gilbert-Elliott fits for HBC; override them in the topology):
 * - hbc-164k, hbc-1m3: steady frame loss 0.1 %, no bursts, 3 retries, scheduled access (no backoff).
 * - eqs-30m: 1 KiB frames, 0.01 ms PHY overhead and IFS, steady loss 0.1 %, 3 retries, 6.3 pJ/bit both ways.
 * - walking: 656.25 kbit/s with CSMA/CA backoff (slot 0.125 ms, cw 16..64), steady loss 1 %, and
 *   posture fades as Gilbert-Elliott bursts in time (good ~2 s, bad ~150 ms, 80 % loss while bad), 4 retries.
 */
export const LINK_PRESETS: Readonly<Record<LinkPresetName, LinkConfig>> = Object.freeze({
  'hbc-164k': {
    preset: 'hbc-164k',
    phyRateBps: 164062.5,
    ...HBC_FRAME,
    maxRetries: 3,
    lossProbability: 0.001,
    burst: null,
    fade: null,
    bodyFade: null,
    pathLoss: null,
    trace: null,
    backoff: null,
    energy: HBC_ENERGY,
  },
  'hbc-1m3': {
    preset: 'hbc-1m3',
    phyRateBps: 1312500,
    ...HBC_FRAME,
    maxRetries: 3,
    lossProbability: 0.001,
    burst: null,
    fade: null,
    bodyFade: null,
    pathLoss: null,
    trace: null,
    backoff: null,
    energy: HBC_ENERGY,
  },
  'eqs-30m': {
    preset: 'eqs-30m',
    phyRateBps: 30e6,
    framePayloadBytes: 1024,
    frameOverheadBytes: 9,
    phyOverheadMs: 0.01,
    ifsMs: 0.01,
    ackBytes: 9,
    maxRetries: 3,
    lossProbability: 0.001,
    burst: null,
    fade: null,
    bodyFade: null,
    pathLoss: null,
    trace: null,
    backoff: null,
    energy: { txNjPerBit: 0.0063, rxNjPerBit: 0.0063 },
  },
  walking: {
    preset: 'walking',
    phyRateBps: 656250,
    ...HBC_FRAME,
    maxRetries: 4,
    lossProbability: 0.01,
    burst: { goodMeanMs: 2000, badMeanMs: 150, lossInGood: 0, lossInBad: 0.8 },
    fade: null,
    bodyFade: null,
    pathLoss: null,
    trace: null,
    backoff: { slotMs: 0.125, cwMin: 16, cwMax: 64 },
    energy: HBC_ENERGY,
  },
  ...FADE_PRESETS,
});

/** Names of the built-in presets. */
export const LINK_PRESET_NAMES = Object.keys(LINK_PRESETS) as LinkPresetName[];

/** Options of {@link resolveLinkConfig}. */
export interface ResolveLinkOptions {
  /** Preset name; default `hbc-1m3`. */
  preset?: string;
  /** Fields replacing the preset's; nested `burst`, `backoff`, `energy` merge field by field (`null` removes). */
  overrides?: LinkOverrides;
}

/**
 * Builds a complete link config from a preset and overrides, and validates it.
 * @throws LinkError `E_UNKNOWN_PRESET`; RangeError/TypeError naming the field for bad values.
 */
export function resolveLinkConfig(options: ResolveLinkOptions = {}): LinkConfig {
  const name = options.preset ?? 'hbc-1m3';
  if (!Object.prototype.hasOwnProperty.call(LINK_PRESETS, name)) {
    throw new LinkError('E_UNKNOWN_PRESET', `unknown link preset "${name}" (known: ${LINK_PRESET_NAMES.join(', ')})`);
  }
  const base = LINK_PRESETS[name as LinkPresetName];
  const overrides = options.overrides ?? {};
  const config: LinkConfig = {
    ...base,
    energy: { ...base.energy },
    burst: base.burst && { ...base.burst },
    fade: base.fade && { ...base.fade },
    bodyFade: base.bodyFade && { ...base.bodyFade },
    trace: base.trace && { ...base.trace },
    pathLoss: base.pathLoss && { hub: base.pathLoss.hub, pairsDb: { ...base.pathLoss.pairsDb }, devices: { ...base.pathLoss.devices } },
    backoff: base.backoff && { ...base.backoff },
  };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!(key in base) || key === 'preset') throw new RangeError(`${key} is not an overridable link field (known: ${Object.keys(base).join(', ')})`);
    if (key === 'burst' || key === 'fade' || key === 'bodyFade' || key === 'pathLoss' || key === 'trace' || key === 'backoff' || key === 'energy') {
      if (value === null) {
        if (key === 'energy') throw new TypeError('energy must be an object');
        config[key] = null;
        continue;
      }
      if (typeof value !== 'object') throw new TypeError(`${key} must be an object or null`);
      const nestedBase = (config[key] ?? defaultNested(key)) as unknown as Record<string, unknown>;
      for (const nestedKey of Object.keys(value)) {
        if (!(nestedKey in nestedBase)) throw new RangeError(`${key}.${nestedKey} is not a field (known: ${Object.keys(nestedBase).join(', ')})`);
      }
      (config as unknown as Record<string, unknown>)[key] = { ...nestedBase, ...(value as object) };
      continue;
    }
    (config as unknown as Record<string, unknown>)[key] = value;
  }
  return validateLinkConfig(config);
}

function defaultNested(key: 'burst' | 'fade' | 'bodyFade' | 'pathLoss' | 'trace' | 'backoff' | 'energy'): object {
  if (key === 'trace') return { file: '', thresholdDb: -85, widthDb: 1, loop: true };
  if (key === 'pathLoss') return { hub: 'waist', pairsDb: {}, devices: {} };
  if (key === 'burst') return { ...(LINK_PRESETS.walking.burst as object) };
  if (key === 'fade' || key === 'bodyFade') return { ...(LINK_PRESETS['hbc-walking'].fade as object) };
  if (key === 'backoff') return { ...(LINK_PRESETS.walking.backoff as object) };
  return { ...HBC_ENERGY };
}
