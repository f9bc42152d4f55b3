import { execFile } from 'node:child_process';
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
      expect(charts.map((c) => c.id)).toEqual(['accuracy-vs-failed', 'latency-cdf', 'bytes-per-inference', 'energy', 'timeline-0', 'timeline-1']);
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
      expect(texts('timeline-0')).toEqual(expect.arrayContaining(['modelled time (s)', 'latency (ms)', 'vectors fused', 'device-down', 'link-loss']));
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
}
