import type { StageDirection } from '@wearnet/link';
import { FaultError } from './errors';
import { FAULT_KINDS, type BurstParams, type Degradation, type FaultEnd, type FaultKind, type FaultSpec, type FaultStart } from './fault-spec';

/** Options of {@link parseFault} and {@link parseFaults}. */
export interface ParseFaultOptions {
  /** Device ids a fault may target. */
  devices: readonly string[];
  /** Id given to a fault without one; default `<kind>-<n>` with the first free n. */
  defaultId?: string;
  /** Ids already in use (a new fault may not reuse one). */
  usedIds?: ReadonlySet<string>;
}

type Obj = Record<string, unknown>;
type Path = (string | number)[];

const ID = /^[A-Za-z0-9_.-]{1,64}$/;
const COMMON_KEYS = ['id', 'kind', 'target', 'atMs', 'afterRequests', 'durationMs', 'forRequests'];
const KIND_KEYS: Record<FaultKind, string[]> = {
  crash: [],
  pause: [],
  restart: [],
  slow: ['factor'],
  'link-down': ['direction', 'toxicity'],
  flap: ['direction', 'upMeanMs', 'downMeanMs', 'toxicity'],
  degrade: ['direction', 'loss', 'burst', 'rateFactor', 'toxicity'],
  noise: ['direction', 'loss', 'burst', 'rateFactor', 'toxicity'],
  latency: ['direction', 'latencyMs', 'jitterMs', 'toxicity'],
  bandwidth: ['direction', 'rateBps', 'toxicity'],
};
/** Longest latency of a `latency` fault, modelled ms (an hour). */
const MAX_LATENCY_MS = 3.6e6;
/** Highest rate cap of a `bandwidth` fault, bit/s. */
const MAX_RATE_BPS = 1e12;
/** Longest modelled time or request count a fault field may hold. */
const MAX_MS = 1e9;

/**
 * Validates one fault, the flat shape of a topology's `faults:` entry and of `POST /faults`:
 * `{ id?, kind, target?, atMs? | afterRequests?, durationMs? | forRequests?, ...kind fields }`.
 * `target` is a device id or a list of them (not for `noise`); without `atMs` or `afterRequests`
 * the fault starts at once; without `durationMs` or `forRequests` it holds until cleared.
 * @throws FaultError `E_FAULT_INVALID` whose `path` names the field.
 */
export function parseFault(value: unknown, options: ParseFaultOptions): FaultSpec {
  return new FaultReader(options.devices).fault(value, [], options.defaultId, options.usedIds ?? new Set());
}

/**
 * Validates a list of faults (a topology's `faults:`); ids default to `<kind>-<index>` and must be
 * unique. @throws FaultError `E_FAULT_INVALID` whose `path` starts with the entry's index.
 */
export function parseFaults(value: unknown, options: ParseFaultOptions): FaultSpec[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new FaultError('E_FAULT_INVALID', `must be a list of faults, got ${describe(value)}`);
  const reader = new FaultReader(options.devices);
  const used = new Set(options.usedIds ?? []);
  const explicit = new Set(
    value.map((entry) => (entry && typeof entry === 'object' ? (entry as Obj).id : undefined)).filter((id): id is string => typeof id === 'string'),
  );
  return value.map((entry, i) => {
    const kind = entry && typeof entry === 'object' ? (entry as Obj).kind : undefined;
    let defaultId = `${typeof kind === 'string' ? kind : 'fault'}-${i}`;
    while (explicit.has(defaultId) || used.has(defaultId)) defaultId = `${defaultId}_`;
    const fault = reader.fault(entry, [i], defaultId, used);
    used.add(fault.id);
    return fault;
  });
}

class FaultReader {
  constructor(private readonly devices: readonly string[]) {}

  fault(value: unknown, at: Path, defaultId: string | undefined, used: ReadonlySet<string>): FaultSpec {
    const o = this.obj(value, at);
    const kind = o.kind;
    if (typeof kind !== 'string' || !(FAULT_KINDS as string[]).includes(kind)) {
      throw this.error([...at, 'kind'], `must be one of ${FAULT_KINDS.join(', ')}, got ${describe(kind)}`);
    }
    const k = kind as FaultKind;
    const allowed = [...COMMON_KEYS, ...KIND_KEYS[k]];
    for (const key of Object.keys(o))
      if (!allowed.includes(key)) throw this.error([...at, key], `unknown key for a ${k} fault (allowed: ${allowed.join(', ')})`);
    const id = o.id === undefined ? (defaultId ?? `${k}-${used.size}`) : this.str(o.id, [...at, 'id']);
    if (!ID.test(id)) throw this.error([...at, 'id'], `must match [A-Za-z0-9_.-]{1,64}, got ${JSON.stringify(id)}`);
    if (used.has(id)) throw this.error([...at, 'id'], `fault id "${id}" is already used`);
    const start = this.start(o, at);
    const end = this.end(o, at);
    const targets = k === 'noise' ? this.noTarget(o, at) : this.targets(o.target, [...at, 'target']);
    const base = { id, start, end };
    const toxic = this.toxicity(o, at);
    switch (k) {
      case 'crash':
      case 'pause':
        return { ...base, kind: k, targets };
      case 'restart':
        if (end !== null) throw this.error([...at, 'durationMs' in o ? 'durationMs' : 'forRequests'], 'a restart is instantaneous: it takes no duration');
        return { ...base, kind: k, targets, end: null };
      case 'slow':
        return { ...base, kind: k, targets, factor: this.num(o.factor, [...at, 'factor'], 1, 1e6) };
      case 'link-down':
        return { ...base, ...toxic, kind: k, targets, direction: this.direction(o.direction, [...at, 'direction']) };
      case 'flap': {
        if (end === null || !('durationMs' in end)) throw this.error([...at, 'durationMs'], 'a flap needs durationMs (its outages are drawn in modelled time)');
        return {
          ...base,
          ...toxic,
          end,
          kind: k,
          targets,
          direction: this.direction(o.direction, [...at, 'direction']),
          upMeanMs: this.positive(o.upMeanMs, [...at, 'upMeanMs'], 1e7),
          downMeanMs: this.positive(o.downMeanMs, [...at, 'downMeanMs'], 1e7),
        };
      }
      case 'degrade':
        return { ...base, ...toxic, kind: k, targets, direction: this.direction(o.direction, [...at, 'direction']), ...this.degradation(o, at) };
      case 'noise':
        return { ...base, ...toxic, kind: k, targets: [], direction: this.direction(o.direction, [...at, 'direction']), ...this.degradation(o, at) };
      case 'latency': {
        const latencyMs = this.num(o.latencyMs, [...at, 'latencyMs'], 0, MAX_LATENCY_MS);
        const jitterMs = o.jitterMs === undefined ? 0 : this.num(o.jitterMs, [...at, 'jitterMs'], 0, MAX_LATENCY_MS);
        if (jitterMs > latencyMs) throw this.error([...at, 'jitterMs'], `must not exceed latencyMs (${latencyMs}): a delay is never negative`);
        return { ...base, ...toxic, kind: k, targets, direction: this.direction(o.direction, [...at, 'direction']), latencyMs, jitterMs };
      }
      case 'bandwidth':
        return {
          ...base,
          ...toxic,
          kind: k,
          targets,
          direction: this.direction(o.direction, [...at, 'direction']),
          rateBps: this.positive(o.rateBps, [...at, 'rateBps'], MAX_RATE_BPS),
        };
    }
  }

  private toxicity(o: Obj, at: Path): { toxicity?: number } {
    return o.toxicity === undefined ? {} : { toxicity: this.num(o.toxicity, [...at, 'toxicity'], 0, 1) };
  }

  private start(o: Obj, at: Path): FaultStart {
    if (o.atMs !== undefined && o.afterRequests !== undefined) throw this.error([...at, 'afterRequests'], 'give atMs or afterRequests, not both');
    if (o.afterRequests !== undefined) return { afterRequests: this.int(o.afterRequests, [...at, 'afterRequests'], 0, MAX_MS) };
    return { atMs: o.atMs === undefined ? 0 : this.num(o.atMs, [...at, 'atMs'], 0, MAX_MS) };
  }

  private end(o: Obj, at: Path): FaultEnd {
    if (o.durationMs !== undefined && o.forRequests !== undefined) throw this.error([...at, 'forRequests'], 'give durationMs or forRequests, not both');
    if (o.durationMs !== undefined) return { durationMs: this.positive(o.durationMs, [...at, 'durationMs'], MAX_MS) };
    if (o.forRequests !== undefined) return { forRequests: this.int(o.forRequests, [...at, 'forRequests'], 1, MAX_MS) };
    return null;
  }

  private targets(value: unknown, at: Path): string[] {
    const list = Array.isArray(value) ? value : [value];
    if (value === undefined || list.length === 0) throw this.error(at, `is required: a device id or a list of them (known: ${this.devices.join(', ')})`);
    const seen = new Set<string>();
    return list.map((entry, i) => {
      const p = Array.isArray(value) ? [...at, i] : at;
      const id = this.str(entry, p);
      if (!this.devices.includes(id)) throw this.error(p, `unknown device "${id}" (known: ${this.devices.join(', ')})`);
      if (seen.has(id)) throw this.error(p, `device "${id}" is listed twice`);
      seen.add(id);
      return id;
    });
  }

  private noTarget(o: Obj, at: Path): [] {
    if (o.target !== undefined && o.target !== 'medium') throw this.error([...at, 'target'], 'noise acts on the whole medium: omit target (or write "medium")');
    return [];
  }

  private degradation(o: Obj, at: Path): Degradation {
    const out: Degradation = {};
    if (o.loss !== undefined) out.loss = this.num(o.loss, [...at, 'loss'], 0, 1);
    if (o.rateFactor !== undefined) {
      out.rateFactor = this.num(o.rateFactor, [...at, 'rateFactor'], 0, 1);
      if (out.rateFactor === 0) throw this.error([...at, 'rateFactor'], 'must be above 0');
    }
    if (o.burst !== undefined) out.burst = this.burst(o.burst, [...at, 'burst']);
    if (out.loss === undefined && out.rateFactor === undefined && out.burst === undefined)
      throw this.error([...at, 'kind'], `a ${String(o.kind)} fault needs loss, burst or rateFactor`);
    return out;
  }

  private burst(value: unknown, at: Path): BurstParams {
    const o = this.obj(value, at);
    for (const key of Object.keys(o))
      if (!['goodMeanMs', 'badMeanMs', 'lossInGood', 'lossInBad'].includes(key))
        throw this.error([...at, key], 'unknown key (allowed: goodMeanMs, badMeanMs, lossInGood, lossInBad)');
    return {
      goodMeanMs: this.positive(o.goodMeanMs, [...at, 'goodMeanMs'], 3.6e6),
      badMeanMs: this.positive(o.badMeanMs, [...at, 'badMeanMs'], 3.6e6),
      lossInGood: o.lossInGood === undefined ? 0 : this.num(o.lossInGood, [...at, 'lossInGood'], 0, 1),
      lossInBad: o.lossInBad === undefined ? 1 : this.num(o.lossInBad, [...at, 'lossInBad'], 0, 1),
    };
  }

  private direction(value: unknown, at: Path): StageDirection {
    if (value === undefined) return 'both';
    if (value !== 'both' && value !== 'uplink' && value !== 'downlink') throw this.error(at, `must be both, uplink or downlink, got ${describe(value)}`);
    return value;
  }

  private obj(value: unknown, at: Path): Obj {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw this.error(at, `must be a mapping, got ${describe(value)}`);
    return value as Obj;
  }

  private str(value: unknown, at: Path): string {
    if (typeof value !== 'string' || value.length === 0) throw this.error(at, `must be a non-empty string, got ${describe(value)}`);
    return value;
  }

  private num(value: unknown, at: Path, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max)
      throw this.error(at, `must be a number in [${min}, ${max}], got ${describe(value)}`);
    return value;
  }

  private positive(value: unknown, at: Path, max: number): number {
    const n = this.num(value, at, 0, max);
    if (n === 0) throw this.error(at, 'must be above 0');
    return n;
  }

  private int(value: unknown, at: Path, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
      throw this.error(at, `must be an integer in [${min}, ${max}], got ${describe(value)}`);
    return value;
  }

  private error(path: Path, message: string): FaultError {
    return new FaultError('E_FAULT_INVALID', `${formatFaultPath(path)}: ${message}`, { path, reason: message });
  }
}

/** Renders a path as `[2].burst.goodMeanMs` (`(fault)` when empty). */
export function formatFaultPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out || '(fault)';
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}
