import { Counter, Gauge, Registry } from 'prom-client';
import { addProcessMetrics } from './process-metrics';
import { LatencyHistogram } from './latency-histogram';

/** Prometheus metrics of the aggregator. */
export interface AggregatorMetrics {
  registry: Registry;
  requests: Counter<'outcome'>;
  deadlineMisses: Counter;
  /** `wearnet_request_latency_seconds` (laid out at the first complete request). */
  latency: LatencyHistogram;
  /** `wearnet_request_bound_seconds`: analytic lossless round of the last request every device answered. */
  boundSeconds: Gauge;
  deviceResults: Counter<'device' | 'outcome'>;
  devicesConnected: Gauge;
  payloadBytes: Counter<'direction'>;
  retries: Counter;
  lostFrames: Counter;
}

/** Options of {@link createAggregatorMetrics}. */
export interface AggregatorMetricsOptions {
  /** The workload's deadline, modelled ms (for the latency buckets). */
  deadlineMs: number;
  /** Whether to add Node's default process metrics (`process_*`, `nodejs_*`); default true. */
  processMetrics?: boolean;
}

/** Creates the aggregator's metrics in a fresh registry; times in seconds, sizes in bytes (Prometheus base units). */
export function createAggregatorMetrics(options: AggregatorMetricsOptions): AggregatorMetrics {
  const registry = new Registry();
  if (options.processMetrics !== false) addProcessMetrics(registry);
  const registers = [registry];
  const metrics: AggregatorMetrics = {
    registry,
    requests: new Counter({
      name: 'wearnet_requests_total',
      help: 'Finalised inference requests by outcome (correct, wrong, none: no prediction, cut: cut short)',
      labelNames: ['outcome'],
      registers,
    }),
    deadlineMisses: new Counter({ name: 'wearnet_deadline_misses_total', help: 'Requests fused at the deadline with vectors missing', registers }),
    latency: new LatencyHistogram({ registry, deadlineMs: options.deadlineMs }),
    boundSeconds: new Gauge({
      name: 'wearnet_request_bound_seconds',
      help: 'Analytic lossless round (link model, idle medium) of the last request every device answered, modelled seconds',
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
  new Gauge({ name: 'wearnet_request_deadline_seconds', help: 'Deadline of every request, modelled seconds', registers }).set(options.deadlineMs / 1000);
  return metrics;
}
