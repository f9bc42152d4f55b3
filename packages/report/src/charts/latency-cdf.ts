import type { TopLevelSpec } from 'vega-lite';
import { array, finite, nonNegative, positiveInt, uniqueNames } from './check-input';
import { CHART_CONFIG, CHART_HEIGHT, CHART_WIDTH, VEGA_LITE_SCHEMA, methodColorScale } from './chart-config';

/** One point of an empirical CDF. */
export interface CdfPoint {
  /** Latency, ms. */
  latencyMs: number;
  /** Fraction of requests with latency <= latencyMs, 0..1. */
  fraction: number;
}

/**
 * The empirical CDF of `values` (ms) as at most `maxPoints` points: every value when there are
 * few, else the values at `maxPoints` evenly spaced ranks (always the first and the last).
 */
export function cdfPoints(values: readonly number[], maxPoints = 200): CdfPoint[] {
  positiveInt(maxPoints, 'maxPoints');
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return [];
  const ranks =
    n <= maxPoints
      ? sorted.map((_, i) => i)
      : Array.from({ length: Math.max(2, maxPoints) }, (_, j) => Math.round((j * (n - 1)) / (Math.max(2, maxPoints) - 1)));
  return ranks.map((i) => ({ latencyMs: sorted[i], fraction: (i + 1) / n }));
}

/** Input of {@link latencyCdfChart}. */
export interface LatencyCdfInput {
  /** One entry per method, in legend (and colour) order. */
  methods: {
    name: string;
    /** Modelled latency of every request, ms. */
    latenciesMs: number[];
    /** Analytic lossless bound of one round, ms, drawn as a dashed vertical rule (omit or NaN when unknown). */
    boundMs?: number;
  }[];
  /** Points per curve at most; default 200. */
  maxPoints?: number;
  title?: string;
}

/**
 * Empirical CDF of the modelled request latency per method (step lines), with each method's
 * analytic lossless bound as a dashed vertical rule in the same colour.
 * @throws TypeError / RangeError naming the offending input field.
 */
export function latencyCdfChart(input: LatencyCdfInput): TopLevelSpec {
  const methods = array(input?.methods, 'methods');
  const names = uniqueNames(
    methods.map((m) => m.name),
    'methods',
  );
  const maxPoints = input.maxPoints === undefined ? 200 : positiveInt(input.maxPoints, 'maxPoints');
  const values = methods.flatMap((m, i) => {
    const latencies = array(m.latenciesMs, `methods[${i}].latenciesMs`);
    latencies.forEach((v, j) => nonNegative(v, `methods[${i}].latenciesMs[${j}]`));
    return cdfPoints(latencies, maxPoints).map((p) => ({ method: m.name, ...p }));
  });
  const bounds = methods.flatMap((m, i) =>
    m.boundMs === undefined || Number.isNaN(m.boundMs) ? [] : [{ method: m.name, boundMs: finite(m.boundMs, `methods[${i}].boundMs`) }],
  );
  const color = { field: 'method', type: 'nominal', title: 'method', scale: methodColorScale(names) } as const;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: input.title ?? 'Latency CDF (dashed: analytic lossless bound)',
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    config: CHART_CONFIG,
    layer: [
      {
        data: { values },
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
        encoding: {
          x: { field: 'latencyMs', type: 'quantitative', title: 'modelled latency (ms)', scale: { zero: false } },
          y: { field: 'fraction', type: 'quantitative', title: 'requests at or below', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
          color,
        },
      },
      {
        data: { values: bounds },
        mark: { type: 'rule', strokeDash: [5, 4], strokeWidth: 1.5 },
        encoding: { x: { field: 'boundMs', type: 'quantitative' }, color },
      },
    ],
  };
}
