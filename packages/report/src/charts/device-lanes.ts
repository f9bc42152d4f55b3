import type { TopLevelSpec } from 'vega-lite';
import type { DeviceOutcome, RequestRecord } from '@wearnet/aggregator';
import type { FaultPeriod } from '../run-results';
import { array, finite, positiveInt } from './check-input';
import { CHART_CONFIG, CHART_WIDTH, VEGA_LITE_SCHEMA } from './chart-config';

/** States of one device in one request, as its lane shows them. */
export const ARRIVED = 'arrived';
export const LATE = 'late';
export const LOST = 'lost / no reply';
export const DOWN = 'down';
export const LANE_STATES = [ARRIVED, LATE, LOST, DOWN] as const;
export type LaneState = (typeof LANE_STATES)[number];

const LANE_COLORS = ['#54a24b', '#f58518', '#e45756', '#555555'];
const FAULT_COLORS = ['#e45756', '#b279a2', '#eeca3b', '#9d755d', '#72b7b2', '#ff9da6'];

/** One device in one request. */
export interface LanePoint {
  device: string;
  requestId: number;
  /** Modelled start of the request, ms. */
  startMs: number;
  state: LaneState;
}

/**
 * The state of a device in a request: `arrived` when its vector was fused; `late` when it came
 * stamped after the deadline; `down` when it was not connected at the start (crashed, paused
 * past its heartbeat, or absent from the record); `lost / no reply` otherwise (lost on the body
 * either way, nothing heard by the deadline, an error, or the run was cut).
 */
export function laneState(outcome: DeviceOutcome | undefined, arrived: boolean): LaneState {
  if (arrived) return ARRIVED;
  if (outcome === undefined || outcome.missing === 'not-connected') return DOWN;
  if (outcome.missing === 'late') return LATE;
  return LOST;
}

/** One point per device per record, devices in the given order. */
export function deviceLanes(records: readonly RequestRecord[], deviceIds: readonly string[]): LanePoint[] {
  return records.flatMap((r) =>
    deviceIds.map((device) => ({ device, requestId: r.id, startMs: r.startMs, state: laneState(r.devices[device], r.arrived.includes(device)) })),
  );
}

/** Requests per state per device, in device order (every state present, zero when none). */
export function laneCounts(points: readonly LanePoint[], deviceIds: readonly string[]): { device: string; counts: Record<LaneState, number> }[] {
  const rows = deviceIds.map((device) => ({ device, counts: Object.fromEntries(LANE_STATES.map((s) => [s, 0])) as Record<LaneState, number> }));
  const byId = new Map(rows.map((row) => [row.device, row]));
  for (const p of points) {
    const row = byId.get(p.device);
    if (row) row.counts[p.state] += 1;
  }
  return rows;
}

/** Input of {@link deviceLanesChart}. */
export interface DeviceLanesInput {
  /** Device ids, top to bottom. */
  devices: string[];
  points: LanePoint[];
  /** Fault periods: shaded on the lane of their target, across every lane for a medium-wide fault. */
  faults?: FaultPeriod[];
  /** Requests drawn at most per lane; beyond it arrived points are thinned evenly, the others all kept. Default 2500. */
  maxPoints?: number;
  title?: string;
}

function thin(points: readonly LanePoint[], maxPoints: number): LanePoint[] {
  const ids = [...new Set(points.map((p) => p.requestId))];
  if (ids.length <= maxPoints) return [...points];
  const keep = new Set(Array.from({ length: maxPoints }, (_, j) => ids[Math.round((j * (ids.length - 1)) / Math.max(1, maxPoints - 1))]));
  return points.filter((p) => p.state !== ARRIVED || keep.has(p.requestId));
}

/**
 * Per-device lanes over modelled time: one row per device, one tick per request coloured by the
 * device's state in it (arrived, late, lost / no reply, down), fault periods shaded on the lane
 * of the device they hit (medium-wide faults across every lane).
 * @throws TypeError / RangeError naming the offending input field.
 */
export function deviceLanesChart(input: DeviceLanesInput): TopLevelSpec {
  const devices = array(input?.devices, 'devices');
  if (devices.length === 0) throw new RangeError('devices must not be empty');
  const maxPoints = input.maxPoints === undefined ? 2500 : positiveInt(input.maxPoints, 'maxPoints');
  const known = new Set(devices);
  const points = thin(array(input.points, 'points'), maxPoints).map((p, i) => {
    if (!known.has(p.device)) throw new RangeError(`points[${i}].device "${p.device}" is not in devices`);
    if (!(LANE_STATES as readonly string[]).includes(p.state)) throw new RangeError(`points[${i}].state must be one of ${LANE_STATES.join(', ')}`);
    return { device: p.device, timeS: finite(p.startMs, `points[${i}].startMs`) / 1000, state: p.state, requestId: p.requestId };
  });
  const faults = array(input.faults ?? [], 'faults').map((f, i) => {
    const startS = finite(f.startMs, `faults[${i}].startMs`) / 1000;
    const endS = finite(f.endMs, `faults[${i}].endMs`) / 1000;
    if (endS < startS) throw new RangeError(`faults[${i}].endMs must be >= startMs`);
    return { startS, endS, kind: String(f.kind), device: String(f.target) };
  });
  const times = [...points.map((p) => p.timeS), ...faults.flatMap((f) => [f.startS, f.endS])];
  const t0 = times.length === 0 ? 0 : Math.min(...times);
  const t1 = times.length === 0 ? 1 : Math.max(...times);
  const scale = { domain: [t0, t1 > t0 ? t1 : t0 + 1], nice: false, zero: false };
  const y = { field: 'device', type: 'nominal', title: 'device', scale: { domain: [...devices] }, sort: [...devices] } as const;
  const kinds = [...new Set(faults.map((f) => f.kind))];
  const fill = {
    field: 'kind',
    type: 'nominal',
    title: 'fault',
    scale: { domain: kinds, range: kinds.map((_, i) => FAULT_COLORS[i % FAULT_COLORS.length]) },
  } as const;
  const onDevice = faults.filter((f) => known.has(f.device));
  const everywhere = faults.filter((f) => !known.has(f.device));
  const shade = (values: readonly object[], withY: boolean): object[] =>
    values.length === 0
      ? []
      : [
          {
            data: { values },
            mark: { type: 'rect', opacity: 0.22 },
            encoding: { x: { field: 'startS', type: 'quantitative', scale, title: 'modelled time (s)' }, x2: { field: 'endS' }, fill, ...(withY ? { y } : {}) },
          },
        ];
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: input.title ?? 'Devices per request',
    config: CHART_CONFIG,
    width: CHART_WIDTH,
    height: Math.max(60, 22 * devices.length),
    layer: [
      ...shade(everywhere, false),
      ...shade(onDevice, true),
      {
        data: { values: points },
        mark: { type: 'tick', thickness: 1.5, bandSize: 16, aria: false },
        encoding: {
          x: { field: 'timeS', type: 'quantitative', title: 'modelled time (s)', scale },
          y,
          color: { field: 'state', type: 'nominal', title: 'device vector', scale: { domain: [...LANE_STATES], range: LANE_COLORS } },
        },
      },
    ],
    resolve: { scale: { color: 'independent' } },
  } as TopLevelSpec;
}
