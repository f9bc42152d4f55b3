import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LATENCY_HISTOGRAM, histogramQuantile } from '@wearnet/aggregator';
import { connectToRun, type ControlClient } from '@wearnet/control-client';
import { CLI, ROOT, writeRandomBundles } from './helpers/random-bundles';
import { freePort } from './helpers/free-port';

const REQUESTS = 100;

/** Whether Debian's promtool (package `prometheus`, installed by `.ci/run`) is on the PATH. */
const PROMTOOL = spawnSync('promtool', ['--version']).status === 0;
if (!PROMTOOL) process.stderr.write('metrics.integration.test.ts: promtool not found (apt-get install prometheus); the promtool checks are skipped\n');
const withPromtool = PROMTOOL ? it : it.skip;

/** The metric names the shipped Grafana dashboard's queries read. */
function dashboardMetricNames(): string[] {
  const dashboard = JSON.parse(readFileSync(path.join(ROOT, 'dashboards', 'wearnet-run.json'), 'utf8')) as { panels: { targets?: { expr?: string }[] }[] };
  const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? ''));
  return [...new Set(queries.flatMap((q) => q.match(/\b(?:wearnet|process|nodejs)_[a-z0-9_]+/g) ?? []))];
}

/** A port that was free a moment ago (for the --*-port flags). */

async function scrape(url: string): Promise<string> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

/** The cumulative buckets and count of an unlabelled histogram in a Prometheus text exposition. */
function histogram(text: string, name: string): { buckets: { le: number; count: number }[]; count: number } {
  const buckets: { le: number; count: number }[] = [];
  for (const m of text.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`, 'gm')))
    if (m[1] !== '+Inf') buckets.push({ le: Number(m[1]), count: Number(m[2]) });
  const count = Number(new RegExp(`^${name}_count (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { buckets, count };
}

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('the Prometheus endpoints of a running cluster', () => {
  let dir: string;
  let out: string;
  let run: ChildProcess;
  let exited: Promise<number | null>;
  let client: ControlClient;
  let ports: { control: number; metrics: number };
  const scrapes: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'wearnet-metrics-'));
    out = path.join(dir, 'out');
    writeRandomBundles(path.join(dir, 'bundles'), { devices: 4, parts: 2, fusedWidth: 32, studentWidths: '8,8,8', seed: 3 });
    writeFileSync(
      path.join(dir, 'metrics.yaml'),
      `name: metrics
seed: 11
bundles: ./bundles
link: { preset: hbc-1m3, lossProbability: 0.05 }
devices: { count: 4, class: cortex-m7-480 }
workload:
  dataset: { source: shipped, count: ${2 * REQUESTS} }
  inputMode: local
  deadlineMs: 300
  gated: true
timeScale: 2
`,
    );
    ports = { control: await freePort(), metrics: await freePort() };
    const args = [
      'run',
      path.join(dir, 'metrics.yaml'),
      '--out',
      out,
      '--quiet',
      '--control-port',
      String(ports.control),
      '--metrics-port',
      String(ports.metrics),
    ];
    run = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: 'ignore' });
    exited = new Promise((resolve) => run.on('close', resolve));
    client = await connectToRun({ outDir: out });
    expect(await client.runRequests(REQUESTS)).toHaveLength(REQUESTS);
    const { endpoints } = JSON.parse(readFileSync(path.join(out, 'control.json'), 'utf8'));
    for (const name of ['aggregatorMetrics', 'mediumMetrics', 'controlMetrics']) scrapes[name] = await scrape(endpoints[name]);
  }, 120000);

  afterAll(async () => {
    if (run.exitCode === null) run.kill('SIGINT');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('binds the control API and the aggregator metrics to the ports given with --control-port and --metrics-port, and writes every URL to control.json', () => {
    const control = JSON.parse(readFileSync(path.join(out, 'control.json'), 'utf8'));
    expect(control.url).toBe(`http://127.0.0.1:${ports.control}`);
    expect(control.endpoints).toMatchObject({
      control: `http://127.0.0.1:${ports.control}`,
      controlMetrics: `http://127.0.0.1:${ports.control}/metrics`,
      aggregatorMetrics: `http://127.0.0.1:${ports.metrics}/metrics`,
      aggregatorStatus: `http://127.0.0.1:${ports.metrics}/status`,
    });
    expect(control.endpoints.mediumMetrics).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(control.endpoints.mediumLinks).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/links$/);
  });

  withPromtool('passes `promtool check metrics` on a live scrape of the aggregator, the medium and the launcher', () => {
    for (const [name, text] of Object.entries(scrapes)) {
      const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect({ name, status: check.status, output: `${check.stdout}${check.stderr}` }).toEqual({ name, status: 0, output: '' });
    }
  });

  it('exports base units, process metrics and the run info', () => {
    const { aggregatorMetrics, mediumMetrics, controlMetrics } = scrapes;
    expect(aggregatorMetrics).toMatch(new RegExp(`^${LATENCY_HISTOGRAM}_count ${REQUESTS}$`, 'm'));
    expect(mediumMetrics).toMatch(/^wearnet_medium_airtime_seconds_total\{direction="uplink"\} [0-9.e-]+$/m);
    expect(mediumMetrics).toMatch(/^# TYPE wearnet_medium_queued_seconds histogram$/m);
    for (const text of [aggregatorMetrics, mediumMetrics, controlMetrics]) {
      expect(text).toMatch(/^process_cpu_seconds_total \S+$/m);
      expect(text).toMatch(/^process_resident_memory_bytes \S+$/m);
      expect(text).not.toMatch(/_ms(_total|_bucket)?[{ ]/);
    }
    expect(controlMetrics).toMatch(/^wearnet_run_info\{topology="metrics",method="averaging \(random bundles\)",seed="11",backend="[a-z]+"\} 1$/m);
  });

  it('exports every metric the Grafana dashboard reads', () => {
    const all = Object.values(scrapes).join('\n');
    for (const name of dashboardMetricNames()) {
      const histogram = name.replace(/_(bucket|sum|count)$/, '');
      const declared = all.includes(`# TYPE ${name} `) || (histogram !== name && all.includes(`# TYPE ${histogram} histogram`));
      expect({ name, declared }).toEqual({ name, declared: true });
    }
  });

  it('shows a fault by kind and target while it is in effect, and 0 once it is cleared', async () => {
    const url = JSON.parse(readFileSync(path.join(out, 'control.json'), 'utf8')).endpoints.controlMetrics;
    const series = 'wearnet_faults_active{kind="link-down",target="device-1"}';
    expect(sample(await scrape(url), series)).toBeUndefined();
    await client.addFault({ id: 'cut', kind: 'link-down', target: 'device-1' });
    const during = await scrape(url);
    expect(sample(during, series)).toBe(1);
    expect(sample(during, 'wearnet_faults_active{kind="link-down",target="device-2"}')).toBeUndefined();
    if (PROMTOOL) expect(spawnSync('promtool', ['check', 'metrics'], { input: during, encoding: 'utf8' }).status).toBe(0);
    await client.removeFault('cut');
    expect(sample(await scrape(url), series)).toBe(0);
  }, 60000);

  it('reads p50 and p99 from the latency histogram within 5 % of the summary', async () => {
    const { buckets, count } = histogram(scrapes.aggregatorMetrics, LATENCY_HISTOGRAM);
    expect(count).toBe(REQUESTS);
    const status = await client.status();
    expect(status.workload.done).toBe(REQUESTS);
    await client.stop();
    expect(await exited).toBe(0);
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.requests.finalised).toBe(REQUESTS);
    for (const q of [0.5, 0.99]) {
      const fromHistogramMs = histogramQuantile(q, buckets, count) * 1000;
      const fromSummaryMs = q === 0.5 ? summary.latencyMs.p50 : summary.latencyMs.p99;
      process.stdout.write(`latency q${q}: histogram ${fromHistogramMs.toFixed(3)} ms, summary ${fromSummaryMs.toFixed(3)} ms\n`);
      expect(Math.abs(fromHistogramMs - fromSummaryMs)).toBeLessThanOrEqual(0.05 * fromSummaryMs);
    }
    const control = JSON.parse(readFileSync(path.join(out, 'control.json'), 'utf8'));
    expect(summary.run.endpoints).toEqual(control.endpoints);
  }, 60000);
});
