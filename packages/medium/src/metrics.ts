import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { addProcessMetrics } from './process-metrics';

/** Prometheus metrics of the medium process. */
export interface MediumMetrics {
  registry: Registry;
  messages: Counter<'direction' | 'outcome'>;
  frames: Counter<'direction' | 'outcome'>;
  payloadBytes: Counter<'direction'>;
  retries: Counter<'direction'>;
  airtimeSeconds: Counter<'direction'>;
  queuedSeconds: Histogram<'direction'>;
  queueLength: Gauge;
  refused: Counter<'reason'>;
  linkState: Gauge<'device' | 'state'>;
  disturbed: Counter<'direction'>;
}

/**
 * Creates the medium's metrics in a fresh registry (so tests can run several media in one process),
 * with Node's default process metrics (`process_*`, `nodejs_*`) unless `processMetrics` is false.
 * Times are modelled seconds, sizes bytes (Prometheus base units).
 */
export function createMediumMetrics(options: { processMetrics?: boolean } = {}): MediumMetrics {
  const registry = new Registry();
  if (options.processMetrics !== false) addProcessMetrics(registry);
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
    airtimeSeconds: new Counter({
      name: 'wearnet_medium_airtime_seconds_total',
      help: 'Modelled medium occupancy in seconds',
      labelNames: ['direction'],
      registers,
    }),
    queuedSeconds: new Histogram({
      name: 'wearnet_medium_queued_seconds',
      help: 'Modelled time messages waited for the shared medium in seconds',
      labelNames: ['direction'],
      buckets: [0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 5],
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
