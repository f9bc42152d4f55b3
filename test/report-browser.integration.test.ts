import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { renderReport } from '@wearnet/report';
import { writeSyntheticEvaluation, writeSyntheticRun } from '../packages/report/test/synthetic-runs';

/** Debian's chromium (CI installs it in .ci/run); override with $CHROMIUM. */
const CHROMIUM = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (p): p is string => p !== undefined && p !== '' && existsSync(p),
);

function chromium(args: string[], profile: string): Promise<string> {
  const flags = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--hide-scrollbars',
    `--user-data-dir=${profile}`,
  ];
  return new Promise((resolve, reject) => {
    execFile(CHROMIUM as string, [...flags, ...args], { timeout: 45000, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`chromium failed: ${err.message}\n${stderr.slice(-2000)}`));
      else resolve(stdout);
    });
  });
}

/**
 * Injected into a copy of the report (the report itself has no scripts): measures every chart's
 * SVG as laid out by the browser and writes the result into the DOM that --dump-dom prints.
 */
const PROBE = `<pre id="probe"></pre><script>
const charts = [...document.querySelectorAll('figure[data-chart]')].map((figure) => {
  const svg = figure.querySelector('svg');
  const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
  const marks = svg ? [...svg.querySelectorAll('g[class*="mark-"]:not(.role-axis):not(.role-legend) > path, g[class*="mark-"] > rect, g[class*="mark-"] > line')].filter((el) => { const b = el.getBBox(); return b.width > 0 || b.height > 0; }).length : 0;
  const texts = svg ? [...svg.querySelectorAll('text')].map((t) => t.textContent) : [];
  return { id: figure.dataset.chart, svgs: figure.querySelectorAll('svg').length, width: box.width, height: box.height, marks, texts };
});
document.getElementById('probe').textContent = encodeURIComponent(JSON.stringify(charts));
</script>`;

interface Probe {
  id: string;
  svgs: number;
  width: number;
  height: number;
  marks: number;
  texts: string[];
}

if (!CHROMIUM) {
  describe('report.html in headless Chromium', () => {
    console.warn('report-browser.integration.test: SKIPPED, chromium is not installed (apt-get install chromium, or set $CHROMIUM)');
    it.skip('is skipped because chromium is not installed (apt-get install chromium, or set $CHROMIUM)', () => undefined);
  });
} else {
  describe('report.html in headless Chromium', () => {
    let dir: string;
    let report: string;

    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'wearnet-report-browser-'));
      const sweep = path.join(dir, 'sweep');
      writeSyntheticRun({
        dir: path.join(sweep, 'a-averaging'),
        method: 'averaging',
        devices: 4,
        requests: 120,
        seed: 1,
        faults: [
          { startMs: 4000, endMs: 7000, kind: 'device-down', target: 'device-1' },
          { startMs: 9000, endMs: 12000, kind: 'link-loss', target: 'device-2' },
        ],
      });
      writeSyntheticRun({ dir: path.join(sweep, 'b-nonn'), method: 'nonn', devices: 4, requests: 120, seed: 2, lossProbability: 0.15 });
      writeSyntheticEvaluation(path.join(dir, 'averaging-evaluation.json'), 'averaging', 4);
      writeSyntheticEvaluation(path.join(dir, 'nonn-evaluation.json'), 'nonn', 4);
      const result = await renderReport({
        runDirs: [sweep],
        offline: [path.join(dir, 'averaging-evaluation.json'), path.join(dir, 'nonn-evaluation.json')],
        title: 'browser test',
      });
      report = result.reportFile;
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('lays out every chart as a non-empty SVG with its marks and axis titles', async () => {
      const probeFile = path.join(dir, 'probe.html');
      writeFileSync(probeFile, readFileSync(report, 'utf8').replace('</body>', `${PROBE}</body>`));
      const profile = mkdtempSync(path.join(dir, 'profile-'));
      const dom = await chromium(['--dump-dom', `file://${probeFile}`], profile);
      const encoded = /<pre id="probe">([^<]*)<\/pre>/.exec(dom)?.[1];
      expect(encoded).toBeTruthy();
      const charts = JSON.parse(decodeURIComponent(encoded as string)) as Probe[];
      expect(charts.map((c) => c.id)).toEqual([
        ...['accuracy-vs-failed', 'latency-cdf', 'bytes-per-inference', 'energy', 'timeline-0', 'lanes-0', 'traffic-0', 'host-lag-0'],
        ...['timeline-1', 'lanes-1', 'traffic-1', 'host-lag-1'],
      ]);
      for (const chart of charts) {
        expect(chart.svgs).toBe(1);
        expect(chart.width).toBeGreaterThan(200);
        expect(chart.height).toBeGreaterThan(100);
        expect(chart.marks).toBeGreaterThan(0);
      }
      const texts = (id: string): string[] => (charts.find((c) => c.id === id) as Probe).texts;
      expect(texts('accuracy-vs-failed')).toEqual(
        expect.arrayContaining(['failed devices', 'accuracy', 'averaging', 'nonn', 'end to end (emulated)', 'offline evaluation']),
      );
      expect(texts('latency-cdf')).toEqual(expect.arrayContaining(['modelled latency (ms)', 'requests at or below']));
      expect(texts('bytes-per-inference')).toEqual(expect.arrayContaining(['bytes per inference', 'hub → devices', 'devices → hub']));
      expect(texts('energy')).toEqual(expect.arrayContaining(['energy per inference (µJ)', 'radio (link nJ/bit)']));
      expect(texts('timeline-0')).toEqual(
        expect.arrayContaining(['modelled time (s)', 'latency (ms)', 'vectors fused', 'device-down', 'link-loss', 'deadline 150 ms', 'analytic bound']),
      );
      expect(texts('lanes-0')).toEqual(expect.arrayContaining(['device-0', 'device-3', 'arrived', 'lost / no reply', 'device-down']));
      expect(texts('traffic-0')).toEqual(expect.arrayContaining(['payload', 'frame headers + FCS', 'retransmitted frames', 'ACKs', 'device-0 device → hub']));
    });

    it('paints the report into a screenshot', async () => {
      const png = path.join(dir, 'report.png');
      const profile = mkdtempSync(path.join(dir, 'profile-'));
      await chromium(['--window-size=1200,3600', `--screenshot=${png}`, `file://${report}`], profile);
      expect(statSync(png).size).toBeGreaterThan(50000);
      const keep = process.env.WEARNET_REPORT_SCREENSHOT;
      if (keep) {
        mkdirSync(path.dirname(path.resolve(keep)), { recursive: true });
        copyFileSync(png, keep);
        copyFileSync(report, `${keep}.html`);
      }
    });
  });

  describe('report.html of real runs in headless Chromium, one screenshot per chart', () => {
    const repo = path.resolve(__dirname, '..');
    const wearnet = path.join(repo, 'packages', 'cli', 'bin', 'wearnet.js');
    /** Screenshots and pages go here (kept after the test): $WEARNET_TEST_OUTPUT/report-browser, default test-output/report-browser. */
    const output = path.join(process.env.WEARNET_TEST_OUTPUT ?? path.join(repo, 'test-output'), 'report-browser');
    let dir: string;
    let plainReport: string;
    let faultReport: string;
    let plainRecords: { arrived: string[] }[];

    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'wearnet-report-real-'));
      mkdirSync(output, { recursive: true });
      const run = (args: string[]): void => {
        const result = spawnSync(process.execPath, [wearnet, ...args], { cwd: repo, stdio: 'ignore', timeout: 280000 });
        // 99: the run finished but violated a threshold of its topology (a loaded host can miss body-8's latency thresholds); it wrote its results.
        if (result.status !== 0 && result.status !== 99)
          throw new Error(`wearnet ${args.join(' ')} exited ${String(result.status)} (${String(result.signal ?? result.error)})`);
      };
      // The embedded default run (topologies/body-8.yaml, bundles/averaging-8), cut to 20 requests.
      run(['run', '--requests', '20', '--out', path.join(dir, 'plain'), '--quiet']);
      // A run with a fault schedule (crash, link-down, degrade) on random bundles, as in test/examples.
      run([
        'bundles',
        'random',
        '--out',
        path.join(dir, 'bundles'),
        '--devices',
        '4',
        '--parts',
        '2',
        '--fused-width',
        '32',
        '--student-widths',
        '8,8,8',
        '--seed',
        '3',
      ]);
      writeFileSync(
        path.join(dir, 'faults.yaml'),
        `name: faults
seed: 11
bundles: ./bundles
link: { preset: hbc-1m3, lossProbability: 0.02 }
devices: { count: 4, class: cortex-m7-480 }
workload:
  dataset: { source: shipped, count: 40 }
  inputMode: local
  deadlineMs: 300
timeScale: 1
faults:
  - { id: crash-0, kind: crash, target: device-0, afterRequests: 8, forRequests: 8 }
  - { id: deaf-3, kind: link-down, target: device-3, direction: downlink, afterRequests: 20, forRequests: 5 }
  - { id: lossy-1, kind: degrade, target: device-1, direction: uplink, loss: 1, afterRequests: 30, forRequests: 5 }
`,
      );
      run(['run', path.join(dir, 'faults.yaml'), '--out', path.join(dir, 'faults'), '--quiet']);
      plainRecords = readFileSync(path.join(dir, 'plain', 'requests.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { arrived: string[] });
    }, 600000);
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const probe = async (report: string, name: string): Promise<Probe[]> => {
      const probeFile = path.join(dir, `${name}-probe.html`);
      writeFileSync(probeFile, readFileSync(report, 'utf8').replace('</body>', `${PROBE}</body>`));
      const dom = await chromium(['--dump-dom', `file://${probeFile}`], mkdtempSync(path.join(dir, 'profile-')));
      const encoded = /<pre id="probe">([^<]*)<\/pre>/.exec(dom)?.[1];
      expect(encoded).toBeTruthy();
      return JSON.parse(decodeURIComponent(encoded as string)) as Probe[];
    };

    /** One PNG per chart: the chart's SVG alone on a page of its size. */
    const screenshots = async (report: string, name: string): Promise<string[]> => {
      const html = readFileSync(report, 'utf8');
      const files: string[] = [];
      for (const m of html.matchAll(/<figure class="chart" data-chart="([^"]+)">\n(<svg[\s\S]*?<\/svg>)\n<\/figure>/g)) {
        const [, id, svg] = m;
        const size = /<svg[^>]*width="([\d.]+)"[^>]*height="([\d.]+)"/.exec(svg);
        const [w, h] = [Math.ceil(Number(size?.[1] ?? 800)), Math.ceil(Number(size?.[2] ?? 400))];
        const page = path.join(output, `${name}-${id}.html`);
        writeFileSync(page, `<!DOCTYPE html><html><body style="margin:0;background:white">${svg}</body></html>`);
        const png = path.join(output, `${name}-${id}.png`);
        // Headless chromium clips a page in a short window: at least 300 px high.
        await chromium([`--window-size=${w},${Math.max(h + 20, 300)}`, `--screenshot=${png}`, `file://${page}`], mkdtempSync(path.join(dir, 'profile-')));
        // A chart's title alone on white is about 4 KB; every chart here draws more.
        expect(statSync(png).size).toBeGreaterThan(6000);
        files.push(png);
      }
      return files;
    };

    it('shows a fault-free run without a one-point accuracy chart, and its deadline, bound, lanes, traffic and host lag', async () => {
      plainReport = (await renderReport({ runDirs: [path.join(dir, 'plain')], writeCsv: false, out: path.join(output, 'plain-report.html') })).reportFile;
      const charts = await probe(plainReport, 'plain');
      const failedCounts = new Set(plainRecords.map((r) => 8 - r.arrived.length));
      // Fault-free, but on a loaded host a result can still come late: the chart appears exactly when the records differ.
      const accuracy = failedCounts.size <= 1 ? [] : ['accuracy-vs-failed'];
      expect(charts.map((c) => c.id)).toEqual([
        ...accuracy,
        'latency-cdf',
        'bytes-per-inference',
        'energy',
        'timeline-0',
        'lanes-0',
        'traffic-0',
        'host-lag-0',
      ]);
      // The default topology (body-8) runs the NoNN students.
      if (failedCounts.size <= 1) expect(readFileSync(plainReport, 'utf8')).toMatch(/<p class="headline"><strong>[\d.]+ %<\/strong> nonn: 20 requests/);
      for (const chart of charts) {
        expect(chart.svgs).toBe(1);
        expect(chart.width).toBeGreaterThan(200);
        expect(chart.height).toBeGreaterThan(50);
        expect(chart.marks).toBeGreaterThan(0);
      }
      const texts = (id: string): string[] => (charts.find((c) => c.id === id) as Probe).texts;
      expect(texts('timeline-0')).toEqual(expect.arrayContaining(['deadline 250 ms']));
      expect(texts('lanes-0')).toEqual(expect.arrayContaining(['device-0', 'device-7', 'arrived']));
      expect(texts('traffic-0')).toEqual(expect.arrayContaining(['payload', 'frame headers + FCS', 'device-7 device → hub', 'device-7 hub → device']));
      expect(texts('host-lag-0')).toEqual(expect.arrayContaining(['host wall time per request (ms)', 'requests']));
      expect(await screenshots(plainReport, 'plain')).toHaveLength(charts.length);
    }, 300000);

    it('shades the fault periods on the lanes of a run with faults and shows the expected accuracy of the offline evaluation', async () => {
      const evaluation = path.join(repo, 'artifacts', 'distil', 'averaging-m2-8', 'evaluation.json');
      faultReport = (
        await renderReport({ runDirs: [path.join(dir, 'faults')], offline: [evaluation], writeCsv: false, out: path.join(output, 'faults-report.html') })
      ).reportFile;
      const charts = await probe(faultReport, 'faults');
      expect(charts.map((c) => c.id)).toEqual(
        expect.arrayContaining(['accuracy-vs-failed', 'expected-accuracy', 'timeline-0', 'lanes-0', 'traffic-0', 'host-lag-0']),
      );
      for (const chart of charts) expect(chart.marks).toBeGreaterThan(0);
      const texts = (id: string): string[] => (charts.find((c) => c.id === id) as Probe).texts;
      expect(texts('lanes-0')).toEqual(expect.arrayContaining(['crash', 'link-down', 'degrade', 'arrived']));
      expect(texts('timeline-0')).toEqual(expect.arrayContaining(['deadline 300 ms', 'crash device-0']));
      expect(texts('expected-accuracy')).toEqual(expect.arrayContaining(['availability p of each device', 'averaging, zero-fill', 'averaging, mean-fill']));
      expect(await screenshots(faultReport, 'faults')).toHaveLength(charts.length);
    }, 300000);
  });
}
