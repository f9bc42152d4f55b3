import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { bytesPerInference, endToEndAccuracy, energyPerDevice, groupByMethod, median } from './aggregate';
import { accuracyVsFailedChart } from './charts/accuracy-vs-failed';
import { bytesPerInferenceChart } from './charts/bytes-per-inference';
import { energyChart } from './charts/energy';
import { latencyCdfChart } from './charts/latency-cdf';
import { requestsCsv } from './csv';
import { ReportError } from './errors';
import { silentLogger, type Logger } from '@wearnet/logger';
import { readOfflineEvaluation, type OfflineCurve } from './read-offline';
import { expandRunDirs, readRun } from './read-run';
import { renderSvg } from './render-svg';
import { escapeHtml, reportHtml, type AccuracyRow, type ReportChart } from './report-html';
import type { RunResults } from './run-results';
import { expectedAccuracyJob, runChartJobs, type ChartJob } from './run-charts';

/** Options of {@link renderReport}. */
export interface RenderReportOptions {
  /** Run directories (each with `summary.json` and `requests.jsonl`), or directories whose subdirectories are runs. */
  runDirs: string[];
  /** Offline evaluation files (`evaluation.json` or distillation `manifest.json`), drawn beside the runs of the same method. */
  offline?: string[];
  /** Page title; default `wearnet report: <run id>` or `wearnet report: <n> runs`. */
  title?: string;
  /** The report file; default `report.html` in the run directory (one run) or in the runs' common parent directory. */
  out?: string;
  /** Write `requests.csv` next to each run's `summary.json`; default true. */
  writeCsv?: boolean;
  /** Timelines drawn at most (one per run, in order); default 8. */
  maxTimelines?: number;
  /** Also write each chart as `<id>.svg` into this directory (for embedding in documents). */
  svgDir?: string;
  /** Time stamped into the page; default now. */
  now?: Date;
  logger?: Logger;
}

/** What {@link renderReport} wrote. */
export interface RenderReportResult {
  /** Absolute path of `report.html`. */
  reportFile: string;
  /** Absolute paths of the `requests.csv` files. */
  csvFiles: string[];
  /** Run directories the report covers (after expanding parents). */
  runDirs: string[];
  /** Ids of the charts in the page, in order. */
  charts: string[];
  /** Absolute paths of the standalone SVG files (only with `svgDir`). */
  svgFiles?: string[];
}

interface ResolvedOptions {
  runDirs: string[];
  offline: string[];
  title: string | undefined;
  out: string | undefined;
  svgDir: string | undefined;
  writeCsv: boolean;
  maxTimelines: number;
  now: Date;
  logger: Logger;
}

function resolveOptions(options: RenderReportOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const { runDirs, offline = [], maxTimelines = 8, writeCsv = true } = options;
  if (!Array.isArray(runDirs) || runDirs.length === 0 || runDirs.some((d) => typeof d !== 'string'))
    throw new TypeError('runDirs must be a non-empty array of directory paths');
  if (!Array.isArray(offline) || offline.some((f) => typeof f !== 'string')) throw new TypeError('offline must be an array of file paths');
  if (!Number.isSafeInteger(maxTimelines) || maxTimelines < 0) throw new RangeError(`maxTimelines must be an integer >= 0, got ${String(maxTimelines)}`);
  if (typeof writeCsv !== 'boolean') throw new TypeError('writeCsv must be a boolean');
  if (options.title !== undefined && typeof options.title !== 'string') throw new TypeError('title must be a string');
  if (options.out !== undefined && typeof options.out !== 'string') throw new TypeError('out must be a file path');
  if (options.svgDir !== undefined && typeof options.svgDir !== 'string') throw new TypeError('svgDir must be a directory path');
  return {
    runDirs,
    offline,
    title: options.title,
    out: options.out,
    svgDir: options.svgDir,
    writeCsv,
    maxTimelines,
    now: options.now ?? new Date(),
    logger: options.logger ?? silentLogger,
  };
}

function commonParent(dirs: readonly string[]): string {
  const parts = dirs.map((d) => path.resolve(d).split(path.sep));
  const common: string[] = [];
  for (let i = 0; parts.every((p) => i < p.length && p[i] === parts[0][i]); i += 1) common.push(parts[0][i]);
  return common.join(path.sep) || path.sep;
}

async function write(file: string, text: string): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  } catch (cause) {
    throw new ReportError('E_WRITE_FAILED', `cannot write ${file}: ${(cause as Error).message}`, { cause });
  }
}

function plainAccuracy(rows: readonly AccuracyRow[]): string {
  const items = rows.flatMap((r) =>
    r.endToEnd
      ? [
          `<p class="headline"><strong>${(r.endToEnd.accuracy * 100).toFixed(1)} %</strong> ${escapeHtml(r.method)}: ${r.endToEnd.requests} requests, ${r.failed} failed device${r.failed === 1 ? '' : 's'} in each</p>`,
        ]
      : [],
  );
  return items.join('\n');
}

function methodList(runs: readonly RunResults[], offline: readonly OfflineCurve[]): { name: string; runs: RunResults[]; offline?: OfflineCurve }[] {
  const groups = groupByMethod(runs).map((g) => ({ ...g, offline: undefined as OfflineCurve | undefined }));
  for (const curve of offline) {
    const group = groups.find((g) => g.name === curve.method && g.offline === undefined);
    if (group) group.offline = curve;
    else {
      const taken = new Set(groups.map((g) => g.name));
      let name = curve.method;
      for (let i = 2; taken.has(name); i += 1) name = `${curve.method} (${i})`;
      groups.push({ name, runs: [], offline: curve });
    }
  }
  return groups;
}

/**
 * Builds the report of one or more runs: writes `requests.csv` next to each run's `summary.json`
 * and a self-contained `report.html` (inline SVG charts rendered in Node, a runs table, no scripts
 * or external resources) with accuracy vs failed devices per method beside the offline curve,
 * the latency CDF, bytes per inference per method, energy per device (when the summaries have
 * it) and a timeline per run with fault periods shaded.
 * @throws ReportError `E_RESULTS_MISSING`, `E_RESULTS_INVALID`, `E_OFFLINE_INVALID`, `E_RENDER_FAILED`, `E_WRITE_FAILED`.
 */
export async function renderReport(options: RenderReportOptions): Promise<RenderReportResult> {
  const o = resolveOptions(options);
  const log = o.logger;
  const runDirs = await expandRunDirs(o.runDirs, log);
  const runs: RunResults[] = [];
  for (const dir of runDirs) runs.push(await readRun(dir, log));
  const offline: OfflineCurve[] = [];
  for (const file of o.offline) offline.push(await readOfflineEvaluation(file));
  const reportFile = path.resolve(o.out ?? path.join(runs.length === 1 ? runs[0].dir : commonParent(runDirs), 'report.html'));

  const csvFiles: string[] = [];
  if (o.writeCsv) {
    for (const run of runs) {
      const file = path.join(run.dir, 'requests.csv');
      await write(
        file,
        requestsCsv(
          run.records,
          run.summary.devices.map((d) => d.id),
        ),
      );
      csvFiles.push(file);
      log.info({ file, rows: run.records.length }, 'wrote requests.csv');
    }
  }

  const methods = methodList(runs, offline);
  const measured = methods.filter((m) => m.runs.length > 0);
  const charts: ReportChart[] = [];
  const chart = async (job: ChartJob): Promise<void> => {
    const { id, heading, caption, spec, html } = job;
    charts.push({ id, heading, caption, ...(spec ? { svg: await renderSvg(spec, { name: id, logger: log }) } : {}), ...(html !== undefined ? { html } : {}) });
  };

  const accuracy: AccuracyRow[] = [];
  const accuracyMethods = methods.map((m) => {
    const endToEnd = endToEndAccuracy(m.runs);
    const offlinePoints = m.offline?.points;
    const failedValues = [...new Set([...endToEnd.map((p) => p.failed), ...(offlinePoints ?? []).map((p) => p.failed)])].sort((a, b) => a - b);
    for (const failed of failedValues) {
      const e = endToEnd.find((p) => p.failed === failed);
      const row: AccuracyRow = { method: m.name, failed };
      if (e) row.endToEnd = { accuracy: e.accuracy, requests: e.requests ?? 0 };
      const off = offlinePoints?.find((p) => p.failed === failed);
      if (off) row.offline = off.accuracy;
      accuracy.push(row);
    }
    return { name: m.name, endToEnd, ...(offlinePoints ? { offline: offlinePoints } : {}) };
  });
  const failedValues = new Set(accuracyMethods.flatMap((m) => [...m.endToEnd, ...(m.offline ?? [])].map((p) => p.failed)));
  if (failedValues.size <= 1) {
    // One point per method (a plain run): a chart would be one dot on a meaningless axis; show the number.
    await chart({
      id: 'accuracy',
      heading: 'Accuracy',
      caption:
        'Every request of these runs missed the same number of device vectors, so there is no curve to draw: the accuracy measured through the running cluster is below.',
      html: plainAccuracy(accuracy),
    });
  } else {
    await chart({
      id: 'accuracy-vs-failed',
      heading: 'Accuracy vs failed devices',
      caption:
        'Solid: accuracy measured through the running cluster, a request counting as many failed devices as vectors it missed. Dashed: the offline evaluation of the same models, averaged over every failure set.',
      spec: accuracyVsFailedChart({ methods: accuracyMethods }),
    });
  }
  await chart({
    id: 'latency-cdf',
    heading: 'Latency',
    caption:
      'Share of requests finished within a modelled latency, per method; the dashed rule is the analytic lossless latency of one round on an idle medium.',
    spec: latencyCdfChart({
      methods: measured.map((m) => ({
        name: m.name,
        latenciesMs: m.runs.flatMap((r) => r.records.map((rec) => rec.latencyMs)),
        boundMs: median(m.runs.map((r) => r.summary.boundMs)),
      })),
    }),
  });
  await chart({
    id: 'bytes-per-inference',
    heading: 'Traffic',
    caption:
      'Payload bytes put on the body per inference (requests down to the devices, results up to the hub, lost and retried payload included as the aggregator counts it), mean over requests.',
    spec: bytesPerInferenceChart({ methods: measured.map((m) => ({ name: m.name, ...bytesPerInference(m.runs) })) }),
  });
  const energyGroups = measured.flatMap((m) => {
    const devices = energyPerDevice(m.runs);
    return devices ? [{ name: m.name, devices }] : [];
  });
  if (energyGroups.length > 0) {
    await chart({
      id: 'energy',
      heading: 'Energy',
      caption:
        'Modelled energy per issued request of each device: radio from the link preset’s nJ/bit, compute from the device class; mean over the runs of a method.',
      spec: energyChart({ groups: energyGroups }),
    });
  }
  const expected = expectedAccuracyJob(offline);
  if (expected) await chart(expected);
  const notes: string[] = [];
  const timelines = runs.slice(0, o.maxTimelines);
  for (const [i, run] of timelines.entries()) for (const job of runChartJobs(run, i)) await chart(job);
  if (runs.length > timelines.length) notes.push(`Timelines of ${runs.length - timelines.length} more runs left out (maxTimelines = ${o.maxTimelines}).`);
  const unmatched = methods.filter((m) => m.runs.length === 0).map((m) => m.name);
  if (unmatched.length > 0) notes.push(`Offline curves without runs of the same method: ${unmatched.join(', ')}.`);

  const title = o.title ?? `wearnet report: ${runs.length === 1 ? runs[0].id : `${runs.length} runs`}`;
  const html = reportHtml({
    title,
    generatedAt: o.now.toISOString(),
    runs,
    accuracy,
    charts,
    notes,
    files: csvFiles.map((file) => ({
      label: `${path.basename(path.dirname(file))}/requests.csv`,
      href: path.relative(path.dirname(reportFile), file).split(path.sep).join('/'),
    })),
  });
  await write(reportFile, html);
  log.info({ file: reportFile, runs: runs.length, charts: charts.length }, 'wrote report');
  const result: RenderReportResult = { reportFile, csvFiles, runDirs, charts: charts.map((c) => c.id) };
  if (o.svgDir !== undefined) {
    const svgDir = o.svgDir;
    const drawn = charts.filter((c) => c.svg !== undefined);
    result.svgFiles = drawn.map((c) => path.resolve(svgDir, `${c.id}.svg`));
    for (const [i, c] of drawn.entries()) await write(result.svgFiles[i], `${c.svg}\n`);
  }
  return result;
}
