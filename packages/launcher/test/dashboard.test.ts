import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Registry, type Metric } from 'prom-client';
import { createAggregatorMetrics } from '@wearnet/aggregator';
import { createMediumMetrics } from '@wearnet/medium';
import { createRunMetrics } from '../src/run-metrics';

const DASHBOARD = path.resolve(__dirname, '..', '..', '..', 'dashboards', 'wearnet-run.json');

/** Every PromQL query of the dashboard's panels. */
function dashboardQueries(): string[] {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: { targets?: { expr?: string }[] }[] };
  return dashboard.panels.flatMap((p) => (p.targets ?? []).flatMap((t) => (typeof t.expr === 'string' ? [t.expr] : [])));
}

/** The metric names a query reads (wearnet's and the default process metrics'). */
function metricNames(query: string): string[] {
  return [...new Set(query.match(/\b(?:wearnet|process|nodejs)_[a-z0-9_]+/g) ?? [])];
}

/** Exported series names (histograms with their _bucket, _sum and _count) and the label names of each. */
function exported(registries: Registry[]): Map<string, Set<string>> {
  const names = new Map<string, Set<string>>();
  for (const registry of registries) {
    for (const metric of registry.getMetricsAsArray() as (Metric & { name: string; labelNames: string[]; upperBounds?: number[] })[]) {
      const labels = new Set(metric.labelNames);
      names.set(metric.name, labels);
      if (metric.upperBounds) {
        names.set(`${metric.name}_bucket`, new Set([...labels, 'le']));
        for (const suffix of ['_sum', '_count']) names.set(`${metric.name}${suffix}`, labels);
      }
    }
  }
  return names;
}

describe('the Grafana dashboard (dashboards/wearnet-run.json)', () => {
  const aggregator = createAggregatorMetrics({ deadlineMs: 300 });
  aggregator.latency.layOut(10);
  const names = exported([aggregator.registry, createMediumMetrics().registry, createRunMetrics({ activeFaults: () => [] }).registry]);
  const queries = dashboardQueries();

  it('has queries for accuracy, latency against the bound, vectors fused and faults', () => {
    const all = queries.join('\n');
    for (const name of [
      'wearnet_requests_total',
      'wearnet_request_latency_seconds_bucket',
      'wearnet_request_bound_seconds',
      'wearnet_device_results_total',
      'wearnet_faults_active',
    ])
      expect(all).toContain(name);
  });

  it('reads only metric names the aggregator, the medium and the launcher export', () => {
    for (const query of queries) {
      const used = metricNames(query);
      expect({ query, used: used.length > 0 }).toEqual({ query, used: true });
      expect({ query, unknown: used.filter((n) => !names.has(n)) }).toEqual({ query, unknown: [] });
    }
  });

  it('selects and groups only by labels those metrics carry', () => {
    for (const query of queries) {
      for (const m of query.matchAll(/\b((?:wearnet|process|nodejs)_[a-z0-9_]+)\{([^}]*)\}/g)) {
        const keys = [...m[2].matchAll(/([a-z_]+)\s*(?:=~|!=|!~|=)/g)].map((k) => k[1]);
        expect({ metric: m[1], unknown: keys.filter((k) => !names.get(m[1])?.has(k)) }).toEqual({ metric: m[1], unknown: [] });
      }
      const metrics = metricNames(query);
      for (const m of query.matchAll(/by \(([^)]*)\)/g)) {
        const labels = m[1].split(',').map((l) => l.trim());
        // A `by` label must be carried by some metric of the query (`le` by the histograms).
        for (const label of labels) expect({ query, label, known: metrics.some((n) => names.get(n)?.has(label)) }).toEqual({ query, label, known: true });
      }
    }
  });
});
