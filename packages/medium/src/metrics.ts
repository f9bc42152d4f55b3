import type { TransferStats } from '@wearnet/protocol';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of the medium process. */
export interface MediumMetrics {
  registry: Registry;
  messages: Counter<'direction' | 'outcome'>;
  frames: Counter<'direction' | 'outcome'>;
  payloadBytes: Counter<'direction'>;
  retries: Counter<'direction'>;
  airtimeMs: Counter<'direction'>;
  queuedMs: Histogram<'direction'>;
  queueLength: Gauge;
  refused: Counter<'reason'>;
  linkState: Gauge<'device' | 'state'>;
  disturbed: Counter<'direction'>;
}

/** Creates the medium's metrics in a fresh registry (so tests can run several media in one process). */
export function createMediumMetrics(): MediumMetrics {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    messages: new Counter({
      name: 'wearnet_medium_messages_total',
      help: 'Messages offered to the body medium by outcome',
      labelNames: ['direction', 'outcome'],
      registers,
    }),
    frames: new Counter({
      name: 'wearnet_medium_frame_attempts_total',
      help: 'PHY frame attempts by outcome',
      labelNames: ['direction', 'outcome'],
      registers,
    }),
    payloadBytes: new Counter({
      name: 'wearnet_medium_payload_bytes_total',
      help: 'Payload bytes of delivered messages',
      labelNames: ['direction'],
      registers,
    }),
    retries: new Counter({ name: 'wearnet_medium_retries_total', help: 'Link-layer retries', labelNames: ['direction'], registers }),
    airtimeMs: new Counter({ name: 'wearnet_medium_airtime_ms_total', help: 'Modelled medium occupancy, ms', labelNames: ['direction'], registers }),
    queuedMs: new Histogram({
      name: 'wearnet_medium_queued_ms',
      help: 'Modelled time messages waited for the shared medium, ms',
      labelNames: ['direction'],
      buckets: [0.1, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000],
      registers,
    }),
    queueLength: new Gauge({ name: 'wearnet_medium_queue_length', help: 'Messages waiting to be committed to the timeline', registers }),
    refused: new Counter({ name: 'wearnet_medium_refused_total', help: 'Messages refused before reaching the timeline', labelNames: ['reason'], registers }),
    linkState: new Gauge({ name: 'wearnet_medium_link_state', help: '1 for the current state of each link', labelNames: ['device', 'state'], registers }),
    disturbed: new Counter({
      name: 'wearnet_medium_disturbed_total',
      help: 'Messages whose modelled timing the host disturbed (committed out of stamp order)',
      labelNames: ['direction'],
      registers,
    }),
  };
}

/** Counts one released message: `direction` is `uplink`, `downlink` or `peer` (device to device). */
export function countOutcome(metrics: MediumMetrics, direction: string, outcome: { delivered: boolean; stats: TransferStats }): void {
  const { delivered, stats } = outcome;
  metrics.messages.inc({ direction, outcome: delivered ? 'delivered' : 'dropped' });
  metrics.frames.inc({ direction, outcome: 'ok' }, stats.attempts - stats.lostFrames);
  if (stats.lostFrames > 0) metrics.frames.inc({ direction, outcome: 'lost' }, stats.lostFrames);
  if (stats.retries > 0) metrics.retries.inc({ direction }, stats.retries);
  if (delivered) metrics.payloadBytes.inc({ direction }, stats.payloadBytes);
  metrics.airtimeMs.inc({ direction }, stats.airtimeMs);
  metrics.queuedMs.observe({ direction }, stats.queuedMs);
}
