import type { TopLevelSpec } from 'vega-lite';
import { array, fraction, uniqueNames } from './check-input';
import { CHART_CONFIG, CHART_HEIGHT, CHART_WIDTH, VEGA_LITE_SCHEMA, methodColorScale } from './chart-config';

/** Input of {@link expectedAccuracyChart}. */
export interface ExpectedAccuracyInput {
  /** One line per method and fill (e.g. `averaging, zero-fill`), in legend order. */
  series: { name: string; points: { p: number; accuracy: number }[] }[];
  title?: string;
}

/**
 * Expected accuracy (offline evaluation, every failure set weighted by its probability) against
 * the availability p of each device, one line per method and fill.
 * @throws TypeError / RangeError naming the offending input field.
 */
export function expectedAccuracyChart(input: ExpectedAccuracyInput): TopLevelSpec {
  const series = array(input?.series, 'series');
  const names = uniqueNames(
    series.map((s) => s.name),
    'series',
  );
  const values = series.flatMap((s, i) =>
    array(s.points, `series[${i}].points`).map((pt, j) => ({
      series: s.name,
      p: fraction(pt.p, `series[${i}].points[${j}].p`),
      accuracy: fraction(pt.accuracy, `series[${i}].points[${j}].accuracy`),
    })),
  );
  const lowest = Math.min(1, ...values.map((v) => v.p));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: input.title ?? 'Expected accuracy under availability p',
    width: CHART_WIDTH,
    height: CHART_HEIGHT - 80,
    config: CHART_CONFIG,
    data: { values },
    encoding: {
      x: {
        field: 'p',
        type: 'quantitative',
        title: 'availability p of each device',
        scale: { domain: [lowest < 1 ? lowest : 0, 1], nice: false },
        axis: { format: '.2f' },
      },
      y: { field: 'accuracy', type: 'quantitative', title: 'expected accuracy', scale: { zero: false }, axis: { format: '.2%' } },
      color: { field: 'series', type: 'nominal', title: 'model set', scale: methodColorScale(names) },
    },
    layer: [{ mark: { type: 'line', strokeWidth: 2 } }, { mark: { type: 'point', filled: true, size: 45 } }],
  };
}
