import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { renderReport } from '../src/index';
import { parseCsv } from './csv-parse';
import { writeSyntheticEvaluation, writeSyntheticRun } from './synthetic-runs';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'wearnet-report-render-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const charts = (html: string): string[] => [...html.matchAll(/<figure class="chart" data-chart="([^"]+)">\n<svg/g)].map((m) => m[1]);

describe('renderReport', () => {
  it('writes a self-contained report.html and requests.csv into a single run directory', async () => {
    const dir = path.join(root, 'run-1');
    writeSyntheticRun({ dir, method: 'averaging', requests: 40, faults: [{ startMs: 2000, endMs: 3000, kind: 'device-down', target: 'device-0' }] });
    const result = await renderReport({ runDirs: [dir], now: new Date('2026-01-02T03:04:05Z') });
    expect(result).toEqual({
      reportFile: path.join(dir, 'report.html'),
      csvFiles: [path.join(dir, 'requests.csv')],
      runDirs: [dir],
      charts: ['accuracy-vs-failed', 'latency-cdf', 'bytes-per-inference', 'energy', 'timeline-0', 'lanes-0', 'traffic-0', 'host-lag-0'],
    });
    const html = readFileSync(result.reportFile, 'utf8');
    expect(charts(html)).toEqual(result.charts);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).toContain('<title>wearnet report: run-1</title>');
    expect(html).toContain('generated 2026-01-02T03:04:05.000Z');
    expect(html).toContain('<a href="requests.csv">run-1/requests.csv</a>');
    expect(html).toContain('Shaded: fault periods.');
    const csv = parseCsv(readFileSync(path.join(dir, 'requests.csv'), 'utf8'));
    expect(csv).toHaveLength(41);
    expect(csv[0].slice(0, 3)).toEqual(['id', 'sample', 'label']);
  });

  it('pools runs by method beside their offline curves and writes the report in their common parent', async () => {
    const sweep = path.join(root, 'sweep');
    writeSyntheticRun({ dir: path.join(sweep, 'nonn-a'), method: 'nonn', requests: 20, seed: 1, withoutEnergy: true });
    writeSyntheticRun({ dir: path.join(sweep, 'nonn-b'), method: 'nonn', requests: 20, seed: 2, withoutEnergy: true });
    writeSyntheticRun({ dir: path.join(sweep, 'averaging'), method: 'averaging', requests: 20, withoutEnergy: true });
    const evaluation = path.join(root, 'evaluation.json');
    writeSyntheticEvaluation(evaluation, 'nonn', 4);
    const other = path.join(root, 'other.json');
    writeSyntheticEvaluation(other, 'modnn', 4);
    const result = await renderReport({
      runDirs: [path.join(sweep, 'nonn-a'), path.join(sweep, 'nonn-b'), path.join(sweep, 'averaging')],
      offline: [evaluation, other],
      maxTimelines: 1,
      writeCsv: false,
    });
    expect(result.reportFile).toBe(path.join(sweep, 'report.html'));
    expect(result.csvFiles).toEqual([]);
    expect(existsSync(path.join(sweep, 'nonn-a', 'requests.csv'))).toBe(false);
    expect(result.charts).toEqual(['accuracy-vs-failed', 'latency-cdf', 'bytes-per-inference', 'timeline-0', 'lanes-0', 'traffic-0', 'host-lag-0']);
    const html = readFileSync(result.reportFile, 'utf8');
    expect(html).toContain('Timelines of 2 more runs left out (maxTimelines = 1).');
    expect(html).toContain('Offline curves without runs of the same method: modnn.');
    const requestsAtNoFailure =
      /<tr><td>nonn<\/td><td class="num">0<\/td><td class="num">[\d.]+ %<\/td><td class="num">(\d+)<\/td><td class="num">74\.0 %<\/td><\/tr>/.exec(html);
    expect(requestsAtNoFailure).not.toBeNull();
    expect(Number(requestsAtNoFailure?.[1])).toBeGreaterThan(20);
  });

  it('shows a plain run (every request with every vector) as its accuracy number, not a one-point chart', async () => {
    const dir = path.join(root, 'plain');
    const { records } = writeSyntheticRun({ dir, method: 'averaging', requests: 30, lossProbability: 0 });
    const result = await renderReport({ runDirs: [dir], writeCsv: false });
    expect(result.charts).toEqual(['accuracy', 'latency-cdf', 'bytes-per-inference', 'energy', 'timeline-0', 'lanes-0', 'traffic-0', 'host-lag-0']);
    const html = readFileSync(result.reportFile, 'utf8');
    expect(charts(html)).not.toContain('accuracy');
    const accuracy = ((100 * records.filter((r) => r.correct).length) / 30).toFixed(1);
    expect(html).toContain(`<p class="headline"><strong>${accuracy} %</strong> averaging: 30 requests, 0 failed devices in each</p>`);
    expect(html).toContain('deadline (150 ms)');
    expect(html).toContain('analytic lossless bound of each request');
  });

  it('adds the expected accuracy under availability p when an offline evaluation has it, and nothing when none does', async () => {
    const dir = path.join(root, 'run');
    writeSyntheticRun({ dir, method: 'nonn', requests: 20 });
    const evaluation = path.join(root, 'evaluation.json');
    writeSyntheticEvaluation(evaluation, 'nonn', 4, true);
    const result = await renderReport({ runDirs: [dir], offline: [evaluation], writeCsv: false, maxTimelines: 0 });
    expect(result.charts).toEqual(['accuracy-vs-failed', 'latency-cdf', 'bytes-per-inference', 'energy', 'expected-accuracy']);
    const html = readFileSync(result.reportFile, 'utf8');
    expect(html).toContain('<tr><td>nonn, mean-fill</td><td class="num">74.00 %</td><td class="num">70.00 %</td><td class="num">65.00 %</td></tr>');
    writeSyntheticEvaluation(evaluation, 'nonn', 4);
    expect((await renderReport({ runDirs: [dir], offline: [evaluation], writeCsv: false, maxTimelines: 0 })).charts).not.toContain('expected-accuracy');
  });

  it('writes to --out and reports a bad offline file with E_OFFLINE_INVALID', async () => {
    const dir = path.join(root, 'run');
    writeSyntheticRun({ dir, method: 'nonn', requests: 5 });
    const out = path.join(root, 'reports', 'x.html');
    expect((await renderReport({ runDirs: [dir], out, writeCsv: false, maxTimelines: 0 })).reportFile).toBe(out);
    expect(existsSync(out)).toBe(true);
    await expect(renderReport({ runDirs: [dir], offline: [path.join(root, 'missing.json')] })).rejects.toMatchObject({ code: 'E_OFFLINE_INVALID' });
  });

  it('writes each chart as a standalone SVG file identical to the one inlined in the page', async () => {
    const dir = path.join(root, 'run');
    writeSyntheticRun({ dir, method: 'averaging', requests: 12 });
    const svgDir = path.join(root, 'charts');
    const result = await renderReport({ runDirs: [dir], svgDir, writeCsv: false });
    expect(result.svgFiles).toEqual(result.charts.map((id) => path.join(svgDir, `${id}.svg`)));
    const html = readFileSync(result.reportFile, 'utf8');
    for (const file of result.svgFiles ?? []) {
      const svg = readFileSync(file, 'utf8');
      expect(svg).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
      expect(html).toContain(svg.trimEnd());
    }
    expect((await renderReport({ runDirs: [dir], writeCsv: false })).svgFiles).toBeUndefined();
  });

  it('rejects options that name no run directory or a negative maxTimelines', async () => {
    await expect(renderReport({ runDirs: [] })).rejects.toThrow(new TypeError('runDirs must be a non-empty array of directory paths'));
    await expect(renderReport({ runDirs: ['x'], maxTimelines: -1 })).rejects.toThrow(/maxTimelines must be an integer >= 0/);
  });
});
