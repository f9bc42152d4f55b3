import type { TopLevelSpec } from 'vega-lite';
import type { FaultPeriod } from '../run-results';
import { array, finite, nonNegative, nonNegativeInt, positiveInt } from './check-input';
import { CHART_CONFIG, CHART_WIDTH, VEGA_LITE_SCHEMA } from './chart-config';

/** One request on the timeline. */
export interface TimelineRequest {
  /** Modelled start, ms. */
  startMs: number;
  /** Modelled latency, ms. */
  latencyMs: number;
  /** Device vectors fused. */
  fused: number;
  deadlineMissed: boolean;
  /** The request's analytic lossless latency, ms (records carry it when every device answered). */
  boundMs?: number;
}

/** Input of {@link timelineChart}. */
export interface TimelineInput {
  /** Devices of the run (the top of the "vectors fused" axis). */
  devices: number;
  requests: TimelineRequest[];
  /** Fault periods, shaded in both panels (one colour per kind). */
  faults?: FaultPeriod[];
  /** The workload's deadline, ms: a dashed red rule on the latency panel. */
  deadlineMs?: number;
  /** Analytic bound for the whole run (the summary's median), drawn as a rule when no request carries its own `boundMs`. */
  boundMs?: number;
  /** Requests drawn at most (evenly spaced in issue order beyond it); default 5000. */
  maxPoints?: number;
  title?: string;
}

/** Legend labels of a request's outcome. */
export const ALL_FUSED = 'all vectors fused';
export const SOME_MISSING = 'vectors missing';
export const DEADLINE_MISSED = 'deadline missed';

/** Half-width of the moving mean of vectors fused, requests. */
const MEAN_WINDOW = 10;

const FAULT_COLORS = ['#e45756', '#b279a2', '#eeca3b', '#9d755d', '#72b7b2', '#ff9da6'];

function every<T>(items: readonly T[], max: number): readonly T[] {
  if (items.length <= max) return items;
  return Array.from({ length: max }, (_, j) => items[Math.round((j * (items.length - 1)) / (max - 1))]);
}

const DEADLINE_COLOR = '#e45756';
const BOUND_COLOR = '#54a24b';

/** The deadline rule and the analytic bound (per request as a line, or one rule) on the latency panel, each labelled at the right end. */
function referenceLayers(input: TimelineInput, points: readonly { timeS: number; boundMs?: number }[], x: { scale: object; t1: number }): object[] {
  const layers: object[] = [];
  const label = (text: string, yMs: number, color: string): object => ({
    data: { values: [{ timeS: x.t1, y: yMs, text }] },
    mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -2, fontSize: 10, color },
    encoding: {
      x: { field: 'timeS', type: 'quantitative', scale: x.scale },
      y: { field: 'y', type: 'quantitative' },
      text: { field: 'text', type: 'nominal' },
    },
  });
  const rule = (yMs: number, color: string, dash: number[]): object => ({
    data: { values: [{ y: yMs }] },
    mark: { type: 'rule', color, strokeWidth: 1.5, strokeDash: dash },
    encoding: { y: { field: 'y', type: 'quantitative' } },
  });
  if (input.deadlineMs !== undefined) {
    const deadlineMs = nonNegative(input.deadlineMs, 'deadlineMs');
    layers.push(rule(deadlineMs, DEADLINE_COLOR, [6, 3]), label(`deadline ${deadlineMs} ms`, deadlineMs, DEADLINE_COLOR));
  }
  const bounded = points.filter((p) => p.boundMs !== undefined);
  if (bounded.length > 0) {
    layers.push({
      data: { values: bounded },
      mark: { type: 'line', interpolate: 'step-after', color: BOUND_COLOR, strokeWidth: 1.5, aria: false },
      encoding: { x: { field: 'timeS', type: 'quantitative', scale: x.scale }, y: { field: 'boundMs', type: 'quantitative' } },
    });
    layers.push(label('analytic bound', bounded[bounded.length - 1].boundMs as number, BOUND_COLOR));
  } else if (input.boundMs !== undefined && Number.isFinite(input.boundMs)) {
    const boundMs = nonNegative(input.boundMs, 'boundMs');
    layers.push(rule(boundMs, BOUND_COLOR, [2, 2]), label(`analytic bound ${boundMs.toFixed(1)} ms`, boundMs, BOUND_COLOR));
  }
  return layers;
}

/**
 * Timeline of a run on the modelled clock: request latency (points, coloured by outcome) above
 * the number of device vectors fused per request (grey squares, with their moving mean over 21
 * requests as a blue line), with fault periods shaded and labelled in both panels, and on the
 * latency panel the deadline (dashed red) and the analytic bound (green: per request when the
 * records carry it, else the run's median as a dotted rule).
 * @throws TypeError / RangeError naming the offending input field.
 */
export function timelineChart(input: TimelineInput): TopLevelSpec {
  const devices = positiveInt(input?.devices, 'devices');
  const maxPoints = input.maxPoints === undefined ? 5000 : positiveInt(input.maxPoints, 'maxPoints');
  if (maxPoints < 2) throw new RangeError(`maxPoints must be at least 2, got ${maxPoints}`);
  const requests = array(input.requests, 'requests');
  const points = every(
    requests.map((r, i) => {
      const fused = nonNegativeInt(r.fused, `requests[${i}].fused`);
      if (fused > devices) throw new RangeError(`requests[${i}].fused must be <= devices (${devices}), got ${fused}`);
      const outcome = fused === devices ? ALL_FUSED : r.deadlineMissed ? DEADLINE_MISSED : SOME_MISSING;
      const point = {
        timeS: finite(r.startMs, `requests[${i}].startMs`) / 1000,
        latencyMs: nonNegative(r.latencyMs, `requests[${i}].latencyMs`),
        fused,
        outcome,
      };
      return r.boundMs === undefined ? point : { ...point, boundMs: nonNegative(r.boundMs, `requests[${i}].boundMs`) };
    }),
    maxPoints,
  );
  const faults = array(input.faults ?? [], 'faults').map((f, i) => {
    const startS = finite(f.startMs, `faults[${i}].startMs`) / 1000;
    const endS = finite(f.endMs, `faults[${i}].endMs`) / 1000;
    if (endS < startS) throw new RangeError(`faults[${i}].endMs must be >= startMs`);
    return { startS, endS, kind: String(f.kind), target: String(f.target), label: `${f.kind} ${f.target}` };
  });
  const times = [...points.map((p) => p.timeS), ...faults.flatMap((f) => [f.startS, f.endS])];
  const t0 = times.length === 0 ? 0 : Math.min(...times);
  const t1 = times.length === 0 ? 1 : Math.max(...times);
  const x = {
    field: 'timeS',
    type: 'quantitative',
    title: 'modelled time (s)',
    scale: { domain: [t0, t1 > t0 ? t1 : t0 + 1], nice: false, zero: false },
  } as const;
  const kinds = [...new Set(faults.map((f) => f.kind))];
  const fusedY = {
    field: 'fused',
    type: 'quantitative',
    title: 'vectors fused',
    scale: { domain: [-0.3, devices + 0.3], nice: false },
    axis: devices <= 12 ? { values: Array.from({ length: devices + 1 }, (_, i) => i), format: 'd' } : { tickMinStep: 1, format: 'd' },
  } as const;
  const shading = (withLabels: boolean): object[] =>
    faults.length === 0
      ? []
      : [
          {
            data: { values: faults },
            mark: { type: 'rect', opacity: 0.22 },
            encoding: {
              x: { field: 'startS', type: 'quantitative', scale: x.scale, title: x.title },
              x2: { field: 'endS' },
              fill: {
                field: 'kind',
                type: 'nominal',
                title: 'fault',
                scale: { domain: kinds, range: kinds.map((_, i) => FAULT_COLORS[i % FAULT_COLORS.length]) },
              },
            },
          },
          ...(withLabels
            ? [
                {
                  data: { values: faults },
                  mark: { type: 'text', align: 'left', baseline: 'top', dx: 2, dy: 2, fontSize: 9, color: '#555' },
                  encoding: { x: { field: 'startS', type: 'quantitative', scale: x.scale }, y: { value: 0 }, text: { field: 'label', type: 'nominal' } },
                },
              ]
            : []),
        ];
  const references = referenceLayers(input, points, { scale: x.scale, t1: x.scale.domain[1] });
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: input.title ?? 'Timeline',
    config: CHART_CONFIG,
    spacing: 12,
    vconcat: [
      {
        width: CHART_WIDTH,
        height: 200,
        layer: [
          ...shading(true),
          {
            data: { values: points },
            mark: { type: 'point', filled: true, size: 14, opacity: 0.75, aria: false },
            encoding: {
              x,
              y: { field: 'latencyMs', type: 'quantitative', title: 'latency (ms)' },
              color: {
                field: 'outcome',
                type: 'nominal',
                title: 'request',
                scale: { domain: [ALL_FUSED, SOME_MISSING, DEADLINE_MISSED], range: ['#4c78a8', '#f58518', '#e45756'] },
              },
            },
          },
          ...references,
        ],
      },
      {
        width: CHART_WIDTH,
        height: 100,
        layer: [
          ...shading(false),
          {
            data: { values: points },
            mark: { type: 'point', filled: true, shape: 'square', size: 8, opacity: 0.45, color: '#555', aria: false },
            encoding: { x, y: fusedY },
          },
          {
            data: { values: points },
            transform: [{ window: [{ op: 'mean', field: 'fused', as: 'fusedMean' }], frame: [-MEAN_WINDOW, MEAN_WINDOW], sort: [{ field: 'timeS' }] }],
            mark: { type: 'line', strokeWidth: 1.5, color: '#4c78a8', aria: false },
            encoding: { x, y: { ...fusedY, field: 'fusedMean' } },
          },
        ],
      },
    ],
  } as TopLevelSpec;
}
