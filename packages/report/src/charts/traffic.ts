import type { TopLevelSpec } from 'vega-lite';
import type { LinkTraffic } from '../run-results';
import { array, nonNegative } from './check-input';
import { CHART_CONFIG, CHART_WIDTH, VEGA_LITE_SCHEMA } from './chart-config';

/** Parts of the bytes a link direction put on the body. */
export const PAYLOAD = 'payload';
export const FRAME_OVERHEAD = 'frame headers + FCS';
export const RETRANSMITTED = 'retransmitted frames';
export const ACKS = 'ACKs';
export const TRAFFIC_PARTS = [PAYLOAD, FRAME_OVERHEAD, RETRANSMITTED, ACKS] as const;

/** Arrows naming a direction in labels. */
export const DOWNLINK_LABEL = 'hub → device';
export const UPLINK_LABEL = 'device → hub';

/** One device and direction, per issued request. */
export interface TrafficRow {
  device: string;
  direction: 'downlink' | 'uplink';
  /** Payload bytes, each message counted once. */
  payloadBytes: number;
  /** MAC header + FCS of the first attempt of every frame (with `frameOverheadBytes` unknown: all data bytes beyond the payload, retransmissions included). */
  overheadBytes: number;
  /** Bytes of frame attempts after the first (0 when `frameOverheadBytes` is unknown: they are in `overheadBytes`). */
  retransmittedBytes: number;
  ackBytes: number;
  retries: number;
  lostFrames: number;
  /** Modelled medium time, ms. */
  airtimeMs: number;
}

/** Options of {@link trafficRows}. */
export interface TrafficRowsOptions {
  /** Divide by this many requests (the run's issued requests); at least 1. */
  requests: number;
  /** MAC header + FCS bytes per frame (topology `link.frameOverheadBytes`); without it headers and retransmissions are one part. */
  frameOverheadBytes?: number;
}

/**
 * Per device and direction, what the link carried per request: every data frame attempt is
 * `(frame payload + frameOverheadBytes) * 8` bits, so the first attempts make `payloadBytes +
 * frames * frameOverheadBytes` and the rest of `dataBits` is retransmission.
 */
export function trafficRows(traffic: readonly LinkTraffic[], options: TrafficRowsOptions): TrafficRow[] {
  const n = Math.max(1, options.requests);
  return traffic.map((t) => {
    const dataBytes = t.dataBits / 8;
    const headers = options.frameOverheadBytes === undefined ? dataBytes - t.payloadBytes : t.frames * options.frameOverheadBytes;
    const retransmitted = options.frameOverheadBytes === undefined ? 0 : dataBytes - t.payloadBytes - headers;
    return {
      device: t.deviceId,
      direction: t.direction,
      payloadBytes: t.payloadBytes / n,
      overheadBytes: Math.max(0, headers) / n,
      retransmittedBytes: Math.max(0, retransmitted) / n,
      ackBytes: t.ackBits / 8 / n,
      retries: t.retries / n,
      lostFrames: t.lostFrames / n,
      airtimeMs: t.airtimeMs / n,
    };
  });
}

/** Input of {@link trafficChart}. */
export interface TrafficInput {
  rows: TrafficRow[];
  title?: string;
}

/**
 * Bytes on the body per request for each device and direction, stacked: payload, frame headers,
 * retransmitted frames, ACKs; the airtime (ms per request) is written at the bar's end.
 * @throws TypeError / RangeError naming the offending input field.
 */
export function trafficChart(input: TrafficInput): TopLevelSpec {
  const rows = array(input?.rows, 'rows');
  const label = (r: TrafficRow): string => `${r.device} ${r.direction === 'downlink' ? DOWNLINK_LABEL : UPLINK_LABEL}`;
  const order = rows.map(label);
  const values = rows.flatMap((r, i) => {
    const parts: [string, number][] = [
      [PAYLOAD, r.payloadBytes],
      [FRAME_OVERHEAD, r.overheadBytes],
      [RETRANSMITTED, r.retransmittedBytes],
      [ACKS, r.ackBytes],
    ];
    return parts.map(([part, bytes], j) => ({
      link: label(r),
      part,
      order: j,
      bytes: nonNegative(bytes, `rows[${i}].${['payloadBytes', 'overheadBytes', 'retransmittedBytes', 'ackBytes'][j]}`),
    }));
  });
  const totals = rows.map((r, i) => ({
    link: label(r),
    bytes: r.payloadBytes + r.overheadBytes + r.retransmittedBytes + r.ackBytes,
    text: `${nonNegative(r.airtimeMs, `rows[${i}].airtimeMs`).toFixed(2)} ms airtime`,
  }));
  const y = { field: 'link', type: 'nominal', title: null, sort: order, axis: { labelLimit: 240 } } as const;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: input.title ?? 'Traffic per device and direction',
    config: CHART_CONFIG,
    width: CHART_WIDTH,
    height: Math.max(60, 18 * rows.length),
    layer: [
      {
        data: { values },
        mark: { type: 'bar' },
        encoding: {
          y,
          x: { field: 'bytes', type: 'quantitative', title: 'bytes on the body per request', stack: 'zero' },
          color: { field: 'part', type: 'nominal', title: 'bytes', scale: { domain: [...TRAFFIC_PARTS], range: ['#4c78a8', '#9ecae9', '#e45756', '#bab0ac'] } },
          order: { field: 'order', type: 'quantitative' },
        },
      },
      {
        data: { values: totals },
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 10, color: '#333' },
        encoding: { y, x: { field: 'bytes', type: 'quantitative' }, text: { field: 'text', type: 'nominal' } },
      },
    ],
  } as TopLevelSpec;
}
