import type { TopLevelSpec } from 'vega-lite';
import { array, nonNegative, uniqueNames } from './check-input';
import { CHART_CONFIG, CHART_WIDTH, VEGA_LITE_SCHEMA } from './chart-config';

/** Input of {@link bytesPerInferenceChart}. */
export interface BytesPerInferenceInput {
  /** One bar per method, top to bottom. */
  methods: {
    name: string;
    /** Payload bytes per inference hub -> devices. */
    downBytes: number;
    /** Payload bytes per inference devices -> hub. */
    upBytes: number;
  }[];
  title?: string;
}

/** Legend labels of the two directions. */
export const DOWN = 'hub → devices';
export const UP = 'devices → hub';

/**
 * Payload bytes on the body per inference, one horizontal bar per method split by direction,
 * with the total written at the end of the bar.
 * @throws TypeError / RangeError naming the offending input field.
 */
export function bytesPerInferenceChart(input: BytesPerInferenceInput): TopLevelSpec {
  const methods = array(input?.methods, 'methods');
  const names = uniqueNames(
    methods.map((m) => m.name),
    'methods',
  );
  const values = methods.flatMap((m, i) => [
    { method: m.name, direction: DOWN, bytes: nonNegative(m.downBytes, `methods[${i}].downBytes`) },
    { method: m.name, direction: UP, bytes: nonNegative(m.upBytes, `methods[${i}].upBytes`) },
  ]);
  const totals = methods.map((m) => ({
    method: m.name,
    total: m.downBytes + m.upBytes,
    label: `${Math.round(m.downBytes + m.upBytes).toLocaleString('en-US')} B`,
  }));
  const y = { field: 'method', type: 'nominal', title: null, sort: [...names], axis: { labelLimit: 280 } } as const;
  const maxTotal = Math.max(1, ...totals.map((t) => t.total));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: input.title ?? 'Payload bytes on the body per inference',
    width: CHART_WIDTH,
    height: { step: 34 },
    config: CHART_CONFIG,
    layer: [
      {
        data: { values },
        mark: { type: 'bar' },
        encoding: {
          y,
          x: { field: 'bytes', type: 'quantitative', title: 'bytes per inference', stack: 'zero', scale: { domain: [0, maxTotal * 1.18] } },
          color: { field: 'direction', type: 'nominal', title: 'direction', scale: { domain: [DOWN, UP], range: ['#4c78a8', '#f58518'] } },
          order: { field: 'direction', sort: 'descending' },
        },
      },
      {
        data: { values: totals },
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 11 },
        encoding: { y, x: { field: 'total', type: 'quantitative' }, text: { field: 'label', type: 'nominal' } },
      },
    ],
  };
}
