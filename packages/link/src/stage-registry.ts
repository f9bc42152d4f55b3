import { LinkError } from './errors';
import type { RandomStream } from '@wearnet/random';

/** Direction of a transfer: `uplink` is device -> hub, `downlink` hub -> device. */
export type Direction = 'uplink' | 'downlink';

/** Direction a stage applies to. */
export type StageDirection = Direction | 'both';

/**
 * A link effect, Toxiproxy-style: one shape for every fault, registered by `type` name.
 * `name` identifies the stage on its link (default: the type) so it can be removed.
 */
export interface Stage {
  name: string;
  type: string;
  direction: StageDirection;
  attributes: Record<string, number | string | boolean>;
  /**
   * Probability in [0, 1] that the stage applies to a message, drawn once per message from the run
   * seed, the link, the message's index on it and the stage's `group`; absent = 1, every message.
   */
  toxicity?: number;
  /**
   * Stages of one group (default: the stage's own name) draw the same number for a message, so a
   * fault made of several stages (`degrade`: loss, burst, rate) applies to a message as a whole.
   */
  group?: string;
}

/** What an active stage does to a whole message (as opposed to {@link StageEffect}, per frame attempt). */
export interface MessageEffect {
  /** Delay added after the medium delivered the message, modelled ms (`latency`). */
  latencyMs?: number;
  /** Cap of the link's payload rate, bit/s (`bandwidth`): the message is not delivered before its payload passed at this rate. */
  rateCapBps?: number;
}

/** What active stages do to one frame attempt. */
export interface StageEffect {
  /** The link is down: the attempt is lost. */
  down: boolean;
  /** Extra loss probability of the attempt, combined with the channel's as independent events. */
  lossProbability: number;
  /** Multiplier of the PHY rate (0, 1]; airtime grows as it shrinks. */
  rateFactor: number;
}

/**
 * A registered stage type: validates attributes once, then maps them to an effect per attempt.
 * A type whose effect evolves in time (a fading channel) creates its state in `init`, from a
 * random stream the timeline derives from the run seed, the link and the stage name.
 */
export interface StageType {
  type: string;
  /** Link state a stage of this type puts its link in. */
  state: 'down' | 'degraded';
  /** Resolves and checks attributes. @throws RangeError/TypeError naming the attribute. */
  resolve(attributes: Record<string, unknown>): Record<string, number | string | boolean>;
  /** Creates the stage's state when it is added at modelled `atMs` (optional; stateless types omit it). */
  init?(attributes: Record<string, number | string | boolean>, stream: RandomStream, atMs: number): unknown;
  /** Effect on an attempt starting at modelled `atMs`; `state` is what `init` returned. Queries come in non-decreasing time. */
  effect(attributes: Record<string, number | string | boolean>, atMs: number, state?: unknown): Partial<StageEffect>;
  /** Effect on a whole message (optional); `random` draws from the stage's own seeded stream. */
  message?(attributes: Record<string, number | string | boolean>, random: () => number): MessageEffect;
}

const registry = new Map<string, StageType>();

/** Registers a stage type (a new fault is one new file calling this). Replaces a type of the same name. */
export function registerStageType(definition: StageType): void {
  registry.set(definition.type, definition);
}

/** Names of the registered stage types. */
export function stageTypeNames(): string[] {
  return [...registry.keys()];
}

/** Looks up a registered stage type. @throws LinkError `E_UNKNOWN_STAGE`. */
export function stageType(type: string): StageType {
  const found = registry.get(type);
  if (!found) throw new LinkError('E_UNKNOWN_STAGE', `unknown stage type "${type}" (known: ${stageTypeNames().join(', ')})`);
  return found;
}

/** Input of {@link createStage}. */
export interface StageSpec {
  type: string;
  name?: string;
  /** Default `both`. */
  direction?: StageDirection;
  attributes?: Record<string, unknown>;
  /** Probability that the stage applies to a message, [0, 1]; default 1. */
  toxicity?: number;
  /** Toxicity group (see {@link Stage.group}); default the name. */
  group?: string;
}

/**
 * Validates a stage spec into a {@link Stage}.
 * @throws LinkError `E_UNKNOWN_STAGE` or `E_INVALID_STAGE` (with the RangeError as `cause`).
 */
export function createStage(spec: StageSpec): Stage {
  const definition = stageType(spec.type);
  const direction = spec.direction ?? 'both';
  if (direction !== 'uplink' && direction !== 'downlink' && direction !== 'both') {
    throw new LinkError('E_INVALID_STAGE', `stage direction must be uplink, downlink or both, got ${String(direction)}`);
  }
  let attributes: Stage['attributes'];
  try {
    attributes = definition.resolve(spec.attributes ?? {});
  } catch (err) {
    throw new LinkError('E_INVALID_STAGE', `stage "${spec.type}": ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const stage: Stage = { name: spec.name ?? spec.type, type: spec.type, direction, attributes };
  if (spec.toxicity !== undefined) {
    if (typeof spec.toxicity !== 'number' || !(spec.toxicity >= 0 && spec.toxicity <= 1))
      throw new LinkError('E_INVALID_STAGE', `stage "${spec.type}": toxicity must be a number in [0, 1], got ${String(spec.toxicity)}`);
    if (spec.toxicity < 1) stage.toxicity = spec.toxicity;
  }
  if (spec.group !== undefined) {
    if (typeof spec.group !== 'string' || spec.group.length === 0 || spec.group.length > 128)
      throw new LinkError('E_INVALID_STAGE', `stage "${spec.type}": group must be a non-empty string of at most 128 characters`);
    stage.group = spec.group;
  }
  return stage;
}

/**
 * Combined effect of `stages` on an attempt in `direction` at `atMs`; `stateOf` gives the state
 * of a stateful stage (see {@link StageType.init}).
 */
export function combineStages(stages: readonly Stage[], direction: Direction, atMs: number, stateOf?: (stage: Stage) => unknown): StageEffect {
  const combined: StageEffect = { down: false, lossProbability: 0, rateFactor: 1 };
  for (const stage of stages) {
    if (stage.direction !== 'both' && stage.direction !== direction) continue;
    const effect = stageType(stage.type).effect(stage.attributes, atMs, stateOf?.(stage));
    if (effect.down) combined.down = true;
    if (effect.lossProbability !== undefined) combined.lossProbability = 1 - (1 - combined.lossProbability) * (1 - effect.lossProbability);
    if (effect.rateFactor !== undefined) combined.rateFactor *= effect.rateFactor;
  }
  return combined;
}

/** Reads a number attribute within [min, max], with a default. @throws RangeError naming it. */
export function numberAttribute(attributes: Record<string, unknown>, key: string, min: number, max: number, fallback?: number): number {
  const value = attributes[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`attributes.${key} must be a number in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}
