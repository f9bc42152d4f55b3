import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of the aggregator. */
export interface AggregatorMetrics {
  registry: Registry;
  requests: Counter<'outcome'>;
  deadlineMisses: Counter;
  latencyMs: Histogram;
  deviceResults: Counter<'device' | 'outcome'>;
  devicesConnected: Gauge;
  payloadBytes: Counter<'direction'>;
  retries: Counter;
  lostFrames: Counter;
}

/** Creates the aggregator's metrics in a fresh registry. */
export function createAggregatorMetrics(): AggregatorMetrics {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    requests: new Counter({
      name: 'wearnet_requests_total',
      help: 'Finalised inference requests by outcome (correct, wrong)',
      labelNames: ['outcome'],
      registers,
    }),
    deadlineMisses: new Counter({ name: 'wearnet_deadline_misses_total', help: 'Requests fused at the deadline with vectors missing', registers }),
    latencyMs: new Histogram({
      name: 'wearnet_request_latency_ms',
      help: 'Modelled request latency, ms',
      buckets: [5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 2000, 5000],
      registers,
    }),
    deviceResults: new Counter({
      name: 'wearnet_device_results_total',
      help: 'Per-device outcome of each request (arrived or a missing reason)',
      labelNames: ['device', 'outcome'],
      registers,
    }),
    devicesConnected: new Gauge({ name: 'wearnet_devices_connected', help: 'Authenticated devices', registers }),
    payloadBytes: new Counter({ name: 'wearnet_payload_bytes_total', help: 'Payload bytes of requests and results', labelNames: ['direction'], registers }),
    retries: new Counter({ name: 'wearnet_link_retries_total', help: 'Link-layer retries of request traffic', registers }),
    lostFrames: new Counter({ name: 'wearnet_lost_frames_total', help: 'Frame attempts of request traffic lost on the body', registers }),
  };
}
