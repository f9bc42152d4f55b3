import * as path from 'node:path';
import { DEVICE_CLASS_NAMES, resolveDeviceClass, type DeviceClass } from '@wearnet/hardware';
import { LINK_PRESET_NAMES, resolveLinkConfig, validatePathLoss, type LinkConfig, type LinkOverrides } from '@wearnet/link';
import { VECTOR_ENCODINGS, type VectorEncoding } from '@wearnet/protocol';
import type { Arrival, DatasetSpec } from '@wearnet/workload';
import { FaultError, parseFaults, type FaultSpec } from '@wearnet/faults';
import { YamlWalker, type YamlPath } from './yaml-walker';

/** Pass/fail limits checked after a run; a violation makes `wearnet run` exit non-zero. */
export interface Thresholds {
  /** Lowest acceptable accuracy, 0..1. */
  minAccuracy?: number;
  /** Highest acceptable modelled latency percentiles, ms. */
  maxP50LatencyMs?: number;
  maxP95LatencyMs?: number;
  maxP99LatencyMs?: number;
  /** Highest acceptable fraction of requests fused at the deadline, 0..1. */
  maxDeadlineMissRate?: number;
  /** Highest acceptable payload bytes per inference (both ways). */
  maxBytesPerInference?: number;
}

/** One device of a topology. */
export interface TopologyDevice {
  /** Device id, also its link address. */
  id: string;
  /** Index of its bundle in the set. */
  index: number;
  deviceClass: DeviceClass;
  /** Body position (for the link's per-pair path-loss table), if given. */
  position?: string;
}

/** The workload of a topology (all defaults applied). */
export interface TopologyWorkload {
  dataset: DatasetSpec;
  /** 0 = the size of the dataset slice. */
  requests: number;
  order: 'sequential' | 'shuffled';
  arrival: Arrival;
  inputMode: 'broadcast' | 'local';
  deadlineMs: number;
  encoding: VectorEncoding;
  /**
   * Requests are issued only when asked through the control API (`POST /workload/run`) or by
   * `wearnet sweep`; the run ends on `POST /stop` or when every request is done. Default false.
   */
  gated: boolean;
}

/** A validated topology with defaults applied and paths made absolute. */
export interface Topology {
  name: string;
  description: string;
  /** File it came from (absolute), or `<inline>`. */
  file: string;
  seed: number;
  /** Absolute path of the bundle set. */
  bundles: string;
  link: LinkConfig;
  devices: TopologyDevice[];
  workload: TopologyWorkload;
  /** Modelled seconds per real second. */
  timeScale: number;
  /**
   * Real ms the medium holds each message so that messages a lagging host delivers late still
   * take the medium in modelled order. Default 0 in real time, 10 when `timeScale` > 1.
   */
  reorderWindowMs: number;
  /** Heartbeat interval, modelled ms. */
  heartbeatMs: number;
  /** Real ms the aggregator waits for devices before starting with those present. */
  startTimeoutMs: number;
  /** Most device processes the launcher starts at once (1..1024); undefined: the host's cores, 2..8. */
  startConcurrency?: number;
  /**
   * Start without the devices whose bundle is missing or corrupt (each listed as a violation in the
   * summary) instead of failing the start with `E_DEVICE_FAILED`; default false.
   */
  allowDegradedStart: boolean;
  thresholds: Thresholds;
  /** The fault schedule (`faults:`), validated against the device ids. */
  faults: FaultSpec[];
  /** Output directory (absolute) or undefined for `results/<run-id>`. */
  output: string | undefined;
}

type Obj = Record<string, unknown>;

const TOP_KEYS = [
  'name',
  'description',
  'seed',
  'bundles',
  'link',
  'devices',
  'workload',
  'timeScale',
  'reorderWindowMs',
  'heartbeatMs',
  'startTimeoutMs',
  'startConcurrency',
  'allowDegradedStart',
  'thresholds',
  'faults',
  'output',
];
const THRESHOLD_KEYS: (keyof Thresholds)[] = [
  'minAccuracy',
  'maxP50LatencyMs',
  'maxP95LatencyMs',
  'maxP99LatencyMs',
  'maxDeadlineMissRate',
  'maxBytesPerInference',
];

/**
 * Parses and validates topology YAML. Every error is a LauncherError `E_TOPOLOGY_INVALID` whose
 * message starts with `file:line:col: yaml.path:`, for example
 * `body-8.yaml:14:12: devices[3].class: unknown device class "m9" (known: ...)`.
 */
export function parseTopology(text: string, file = '<inline>'): Topology {
  const walker = new YamlWalker(file, text);
  return new TopologyReader(walker, file === '<inline>' ? process.cwd() : path.dirname(path.resolve(file))).read();
}

class TopologyReader {
  constructor(
    private readonly w: YamlWalker,
    private readonly baseDir: string,
  ) {}

  read(): Topology {
    const root = this.obj(this.w.value, []);
    this.keys(root, [], TOP_KEYS);
    const name = this.str(root.name, ['name']);
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) throw this.w.error(['name'], 'must match [A-Za-z0-9_.-]{1,64}');
    const devices = this.devices(root.devices);
    const timeScale = root.timeScale === undefined ? 1 : this.num(root.timeScale, ['timeScale'], 1e-3, 1e4);
    return {
      name,
      description: root.description === undefined ? '' : this.str(root.description, ['description']),
      file: this.w.file,
      seed: root.seed === undefined ? 1 : this.int(root.seed, ['seed'], 0, 2 ** 31 - 1),
      bundles: path.resolve(this.baseDir, this.str(root.bundles, ['bundles'])),
      link: this.withPositions(this.link(root.link), devices),
      devices,
      workload: this.workload(root.workload),
      timeScale,
      reorderWindowMs: root.reorderWindowMs === undefined ? (timeScale > 1 ? 10 : 0) : this.num(root.reorderWindowMs, ['reorderWindowMs'], 0, 10000),
      heartbeatMs: root.heartbeatMs === undefined ? 2000 : this.num(root.heartbeatMs, ['heartbeatMs'], 1, 3.6e6),
      startTimeoutMs: root.startTimeoutMs === undefined ? 120000 : this.num(root.startTimeoutMs, ['startTimeoutMs'], 1, 3.6e6),
      ...(root.startConcurrency === undefined ? {} : { startConcurrency: this.int(root.startConcurrency, ['startConcurrency'], 1, 1024) }),
      allowDegradedStart: root.allowDegradedStart === undefined ? false : this.bool(root.allowDegradedStart, ['allowDegradedStart']),
      thresholds: this.thresholds(root.thresholds),
      faults: this.faults(
        root.faults,
        devices.map((d) => d.id),
      ),
      output: root.output === undefined ? undefined : path.resolve(this.baseDir, this.str(root.output, ['output'])),
    };
  }

  private link(value: unknown): LinkConfig {
    const at: YamlPath = ['link'];
    const obj = value === undefined ? {} : this.obj(value, at);
    const { preset, ...overrides } = obj;
    if (preset !== undefined && (typeof preset !== 'string' || !(LINK_PRESET_NAMES as string[]).includes(preset))) {
      throw this.w.error([...at, 'preset'], `unknown link preset ${JSON.stringify(preset)} (known: ${LINK_PRESET_NAMES.join(', ')})`);
    }
    try {
      const link = resolveLinkConfig({ preset: (preset as string | undefined) ?? 'hbc-1m3', overrides: overrides as LinkOverrides });
      // A trace file is relative to the topology, like the bundles.
      return link.trace ? { ...link, trace: { ...link.trace, file: path.resolve(this.baseDir, link.trace.file) } } : link;
    } catch (err) {
      const message = (err as Error).message;
      const field = message.split(' ')[0];
      throw this.w.error([...at, ...field.split('.')], message.slice(field.length + 1));
    }
  }

  /** Puts the devices' body positions into the link's path-loss table (`link.pathLoss.devices`). */
  private withPositions(link: LinkConfig, devices: TopologyDevice[]): LinkConfig {
    const placed = devices.filter((d) => d.position !== undefined);
    if (placed.length === 0) return link;
    const at = (d: TopologyDevice): YamlPath => ['devices', devices.indexOf(d), 'position'];
    if (link.pathLoss === null) throw this.w.error(at(placed[0]), `link preset ${link.preset} has no path-loss table: add link.pathLoss { hub, pairsDb }`);
    const pathLoss = { ...link.pathLoss, devices: { ...link.pathLoss.devices, ...Object.fromEntries(placed.map((d) => [d.id, d.position as string])) } };
    try {
      validatePathLoss(pathLoss);
    } catch (err) {
      const bad = placed.find((d) => (err as Error).message.startsWith(`pathLoss.devices.${d.id}`)) ?? placed[0];
      throw this.w.error(at(bad), (err as Error).message);
    }
    return { ...link, pathLoss };
  }

  private devices(value: unknown): TopologyDevice[] {
    const at: YamlPath = ['devices'];
    if (value === undefined) throw this.w.error(at, 'is required: { count, class } or a list of { class, id?, index?, overrides? }');
    if (Array.isArray(value)) {
      if (value.length === 0) throw this.w.error(at, 'must list at least one device');
      const devices = value.map((entry, i) => {
        const p: YamlPath = [...at, i];
        const o = this.obj(entry, p);
        this.keys(o, p, ['id', 'index', 'class', 'overrides', 'position']);
        const index = o.index === undefined ? i : this.int(o.index, [...p, 'index'], 0, 1023);
        const id = o.id === undefined ? `device-${index}` : this.str(o.id, [...p, 'id']);
        if (!/^[A-Za-z0-9_.-]{1,64}$/.test(id)) throw this.w.error([...p, 'id'], 'must match [A-Za-z0-9_.-]{1,64}');
        const device: TopologyDevice = { id, index, deviceClass: this.deviceClass(o.class, o.overrides, p) };
        if (o.position !== undefined) device.position = this.str(o.position, [...p, 'position']);
        return device;
      });
      const ids = new Set<string>();
      const indices = new Set<number>();
      devices.forEach((d, i) => {
        if (ids.has(d.id)) throw this.w.error([...at, i, 'id'], `device id "${d.id}" is repeated`);
        if (indices.has(d.index)) throw this.w.error([...at, i, 'index'], `bundle index ${d.index} is used twice`);
        ids.add(d.id);
        indices.add(d.index);
      });
      return devices;
    }
    const o = this.obj(value, at);
    this.keys(o, at, ['count', 'class', 'overrides']);
    const count = this.int(o.count, [...at, 'count'], 1, 1024);
    const deviceClass = this.deviceClass(o.class, o.overrides, at);
    return Array.from({ length: count }, (_, i) => ({ id: `device-${i}`, index: i, deviceClass }));
  }

  private deviceClass(name: unknown, overrides: unknown, at: YamlPath): DeviceClass {
    const className = name === undefined ? 'cortex-m7-480' : this.str(name, [...at, 'class']);
    if (!DEVICE_CLASS_NAMES.includes(className))
      throw this.w.error([...at, 'class'], `unknown device class "${className}" (known: ${DEVICE_CLASS_NAMES.join(', ')})`);
    try {
      return resolveDeviceClass({ name: className, overrides: overrides === undefined ? undefined : (this.obj(overrides, [...at, 'overrides']) as never) });
    } catch (err) {
      if ((err as { code?: string }).code === 'E_TOPOLOGY_INVALID') throw err;
      const message = (err as Error).message;
      const field = message.split(' ')[0];
      throw this.w.error([...at, 'overrides', field], message.slice(field.length + 1));
    }
  }

  private workload(value: unknown): TopologyWorkload {
    const at: YamlPath = ['workload'];
    const o = value === undefined ? {} : this.obj(value, at);
    this.keys(o, at, ['dataset', 'requests', 'order', 'arrival', 'inputMode', 'deadlineMs', 'encoding', 'gated']);
    return {
      dataset: this.dataset(o.dataset),
      requests: o.requests === undefined ? 0 : this.int(o.requests, [...at, 'requests'], 1, 1e9),
      order: o.order === undefined ? 'sequential' : this.choice(o.order, [...at, 'order'], ['sequential', 'shuffled'] as const),
      arrival: this.arrival(o.arrival),
      inputMode: o.inputMode === undefined ? 'broadcast' : this.choice(o.inputMode, [...at, 'inputMode'], ['broadcast', 'local'] as const),
      deadlineMs: o.deadlineMs === undefined ? 1000 : this.num(o.deadlineMs, [...at, 'deadlineMs'], 1e-3, 3.6e6),
      encoding: o.encoding === undefined ? 'float32' : this.choice(o.encoding, [...at, 'encoding'], VECTOR_ENCODINGS),
      gated: o.gated === undefined ? false : this.bool(o.gated, [...at, 'gated']),
    };
  }

  private faults(value: unknown, devices: string[]): FaultSpec[] {
    try {
      return parseFaults(value, { devices });
    } catch (err) {
      if (!(err instanceof FaultError)) throw err;
      throw this.w.error(['faults', ...err.path], err.reason);
    }
  }

  private dataset(value: unknown): DatasetSpec {
    const at: YamlPath = ['workload', 'dataset'];
    if (value === undefined) return { source: 'shipped' };
    const o = this.obj(value, at);
    this.keys(o, at, ['source', 'dir', 'split', 'offset', 'count']);
    const source = o.source === undefined ? 'shipped' : this.choice(o.source, [...at, 'source'], ['shipped', 'cifar100'] as const);
    const spec: DatasetSpec = { source };
    if (source === 'cifar100') spec.dir = path.resolve(this.baseDir, this.str(o.dir, [...at, 'dir']));
    else if (o.dir !== undefined) throw this.w.error([...at, 'dir'], 'is only allowed with source cifar100');
    if (o.split !== undefined) spec.split = this.choice(o.split, [...at, 'split'], ['train', 'test'] as const);
    if (o.offset !== undefined) spec.offset = this.int(o.offset, [...at, 'offset'], 0, 1e6);
    if (o.count !== undefined) spec.count = this.int(o.count, [...at, 'count'], 1, 1e6);
    return spec;
  }

  private arrival(value: unknown): Arrival {
    const at: YamlPath = ['workload', 'arrival'];
    if (value === undefined) return { mode: 'closed', concurrency: 1 };
    const o = this.obj(value, at);
    const mode = this.choice(o.mode, [...at, 'mode'], ['closed', 'open'] as const);
    if (mode === 'closed') {
      this.keys(o, at, ['mode', 'concurrency']);
      return { mode, concurrency: o.concurrency === undefined ? 1 : this.int(o.concurrency, [...at, 'concurrency'], 1, 10000) };
    }
    this.keys(o, at, ['mode', 'ratePerSecond', 'process']);
    return {
      mode,
      ratePerSecond: this.num(o.ratePerSecond, [...at, 'ratePerSecond'], 1e-6, 1e6),
      process: o.process === undefined ? 'fixed' : this.choice(o.process, [...at, 'process'], ['fixed', 'poisson'] as const),
    };
  }

  private thresholds(value: unknown): Thresholds {
    const at: YamlPath = ['thresholds'];
    if (value === undefined) return {};
    const o = this.obj(value, at);
    this.keys(o, at, THRESHOLD_KEYS);
    const out: Thresholds = {};
    for (const key of THRESHOLD_KEYS) {
      if (o[key] === undefined) continue;
      const isRate = key === 'minAccuracy' || key === 'maxDeadlineMissRate';
      out[key] = this.num(o[key], [...at, key], 0, isRate ? 1 : 1e12);
    }
    return out;
  }

  // ---- primitives ----

  private obj(value: unknown, at: YamlPath): Obj {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw this.w.error(at, `must be a mapping, got ${describe(value)}`);
    return value as Obj;
  }

  private keys(o: Obj, at: YamlPath, allowed: readonly string[]): void {
    for (const key of Object.keys(o)) if (!allowed.includes(key)) throw this.w.error([...at, key], `unknown key (allowed: ${allowed.join(', ')})`);
  }

  private str(value: unknown, at: YamlPath): string {
    if (typeof value !== 'string' || value.length === 0) throw this.w.error(at, `must be a non-empty string, got ${describe(value)}`);
    return value;
  }

  private num(value: unknown, at: YamlPath, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max)
      throw this.w.error(at, `must be a number in [${min}, ${max}], got ${describe(value)}`);
    return value;
  }

  private bool(value: unknown, at: YamlPath): boolean {
    if (typeof value !== 'boolean') throw this.w.error(at, `must be true or false, got ${describe(value)}`);
    return value;
  }

  private int(value: unknown, at: YamlPath, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
      throw this.w.error(at, `must be an integer in [${min}, ${max}], got ${describe(value)}`);
    return value;
  }

  private choice<T extends string>(value: unknown, at: YamlPath, choices: readonly T[]): T {
    if (typeof value !== 'string' || !(choices as readonly string[]).includes(value))
      throw this.w.error(at, `must be one of ${choices.join(', ')}, got ${describe(value)}`);
    return value as T;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}
