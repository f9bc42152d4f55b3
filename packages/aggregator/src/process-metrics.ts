import { collectDefaultMetrics, type Registry } from 'prom-client';

/** prom-client's gauges named like counters (`promtool check metrics` refuses them); their `{type}` breakdowns stay. */
const NOT_COUNTERS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/**
 * Adds Node's default process metrics to `registry` (`process_cpu_seconds_total`,
 * `process_resident_memory_bytes`, `nodejs_eventloop_lag_seconds`, `nodejs_heap_size_used_bytes`, ...)
 * minus the three gauges whose `_total` suffix breaks Prometheus naming
 * (`nodejs_active_handles{type}` and its siblings carry the same numbers).
 */
export function addProcessMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  for (const name of NOT_COUNTERS) registry.removeSingleMetric(name);
}
