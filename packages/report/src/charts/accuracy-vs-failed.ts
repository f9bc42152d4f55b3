import type { TopLevelSpec } from 'vega-lite';
import type { FailedAccuracy } from '../read-offline';
import { array, fraction, nonNegativeInt, uniqueNames } from './check-input';
import { CHART_CONFIG, CHART_HEIGHT, CHART_WIDTH, VEGA_LITE_SCHEMA, methodColorScale } from './chart-config';

/** One measured point of the end-to-end curve. */
export interface EndToEndPoint extends FailedAccuracy {
  /** Requests behind the point (shown in the report table; not drawn). */
  requests?: number;
}

/** Input of {@link accuracyVsFailedChart}. */
export interface AccuracyVsFailedInput {
  /** One entry per method, in legend (and colour) order. */
  methods: {
    name: string;
    /** Accuracy measured through the running cluster, by failed devices. */
    endToEnd: EndToEndPoint[];
    /** Offline evaluation of the same models, by failed devices (drawn dashed). */
    offline?: FailedAccuracy[];
  }[];
  title?: string;
}

/** Legend labels of the two sources. */
export const END_TO_END = 'end to end (emulated)';
export const OFFLINE = 'offline evaluation';

/**
 * Accuracy (0..1, drawn as %) vs number of failed devices: one colour per method, the measured
 * end-to-end curve solid and the offline curve of the same method dashed beside it.
 * @throws TypeError / RangeError naming the offending input field.
 */
export function accuracyVsFailedChart(input: AccuracyVsFailedInput): TopLevelSpec {
  const methods = array(input?.methods, 'methods');
  const names = uniqueNames(
    methods.map((m) => m.name),
    'methods',
  );
  const values: { method: string; source: string; failed: number; accuracy: number }[] = [];
  methods.forEach((m, i) => {
    const add = (points: readonly FailedAccuracy[], source: string, at: string): void =>
      points.forEach((p, j) => {
        values.push({
          method: m.name,
          source,
          failed: nonNegativeInt(p.failed, `methods[${i}].${at}[${j}].failed`),
          accuracy: fraction(p.accuracy, `methods[${i}].${at}[${j}].accuracy`),
        });
      });
    add(array(m.endToEnd, `methods[${i}].endToEnd`), END_TO_END, 'endToEnd');
    if (m.offline !== undefined) add(array(m.offline, `methods[${i}].offline`), OFFLINE, 'offline');
  });
  values.sort((a, b) => a.failed - b.failed);
  const sources = [END_TO_END, OFFLINE].filter((s) => values.some((v) => v.source === s));
  const maxFailed = Math.max(1, ...values.map((v) => v.failed));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: input.title ?? 'Accuracy vs failed devices',
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    config: CHART_CONFIG,
    data: { values },
    encoding: {
      x: {
        field: 'failed',
        type: 'quantitative',
        title: 'failed devices',
        scale: { domain: [0, maxFailed], nice: false },
        axis: { tickMinStep: 1, format: 'd' },
      },
      y: { field: 'accuracy', type: 'quantitative', title: 'accuracy', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
      color: { field: 'method', type: 'nominal', title: 'method', scale: methodColorScale(names) },
    },
    layer: [
      {
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          strokeDash: {
            field: 'source',
            type: 'nominal',
            title: 'measured',
            scale: { domain: sources, range: sources.map((s) => (s === OFFLINE ? [6, 4] : [1, 0])) },
            legend: { symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 300, symbolStrokeColor: '#555' },
          },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 45 },
      },
    ],
  };
}
