import type { TopLevelSpec } from 'vega-lite';
import { array, finite, nonNegative } from './check-input';
import { CHART_CONFIG, CHART_WIDTH, VEGA_LITE_SCHEMA } from './chart-config';

/** Input of {@link hostLagChart}. */
export interface HostLagInput {
  /** Per request: modelled start (ms) and host wall time from issue to fusion (ms, the records' `hostMs`). */
  requests: { startMs: number; hostMs: number }[];
  title?: string;
}

/**
 * Host lag over the run: the host wall time of every request (issue to fusion) at its modelled
 * start, beside its histogram, so that a host that could not keep up shows as a rising cloud.
 * @throws TypeError / RangeError naming the offending input field.
 */
export function hostLagChart(input: HostLagInput): TopLevelSpec {
  const points = array(input?.requests, 'requests').map((r, i) => ({
    timeS: finite(r.startMs, `requests[${i}].startMs`) / 1000,
    hostMs: nonNegative(r.hostMs, `requests[${i}].hostMs`),
  }));
  const y = { field: 'hostMs', type: 'quantitative', title: 'host wall time per request (ms)' } as const;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: input.title ?? 'Host time per request',
    config: CHART_CONFIG,
    data: { values: points },
    hconcat: [
      {
        width: CHART_WIDTH - 160,
        height: 160,
        mark: { type: 'point', filled: true, size: 12, opacity: 0.7, color: '#9d755d', aria: false },
        encoding: { x: { field: 'timeS', type: 'quantitative', title: 'modelled time (s)', scale: { zero: false, nice: false } }, y },
      },
      {
        width: 140,
        height: 160,
        mark: { type: 'bar', color: '#9d755d' },
        encoding: { y: { ...y, bin: { maxbins: 20 }, title: null }, x: { aggregate: 'count', type: 'quantitative', title: 'requests' } },
      },
    ],
  } as TopLevelSpec;
}
