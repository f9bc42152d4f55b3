import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { RequestRecord } from '@wearnet/aggregator';
import { ReportError } from './errors';
import { parseJson } from './field-reader';
import { silentLogger, type Logger } from '@wearnet/logger';
import { parseRequestRecord } from './parse-record';
import { parseSummary } from './parse-summary';
import type { ReportSummary, RunResults, RunSetup } from './run-results';

/** File names of a run directory the report reads. */
export const SUMMARY_FILE = 'summary.json';
export const REQUESTS_FILE = 'requests.jsonl';

function isRunDir(dir: string): boolean {
  return existsSync(path.join(dir, SUMMARY_FILE));
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT')
      throw new ReportError('E_RESULTS_MISSING', `${file} does not exist (a run directory holds ${SUMMARY_FILE} and ${REQUESTS_FILE})`, { cause });
    throw new ReportError('E_RESULTS_MISSING', `cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
}

/**
 * Resolves the directories given on the command line to run directories: a directory with a
 * `summary.json` is a run; a directory without one (e.g. the output of a sweep, or `results/`)
 * stands for its immediate subdirectories that have one, in name order. Subdirectories without
 * a summary (an interrupted run) are skipped with a warning.
 * @throws ReportError `E_RESULTS_MISSING` when a path does not exist or holds no run.
 */
export async function expandRunDirs(dirs: readonly string[], logger: Logger = silentLogger): Promise<string[]> {
  const runs: string[] = [];
  for (const given of dirs) {
    const dir = path.resolve(given);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ReportError('E_RESULTS_MISSING', `run directory ${dir} does not exist`);
    if (isRunDir(dir)) {
      runs.push(dir);
      continue;
    }
    const children = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => path.join(dir, e.name))
      .sort();
    const found = children.filter(isRunDir);
    for (const child of children)
      if (!found.includes(child) && existsSync(path.join(child, REQUESTS_FILE)))
        logger.warn({ dir: child }, `skipping ${child}: it has ${REQUESTS_FILE} but no ${SUMMARY_FILE} (interrupted run?)`);
    if (found.length === 0)
      throw new ReportError('E_RESULTS_MISSING', `${path.join(dir, SUMMARY_FILE)} does not exist, and no subdirectory of ${dir} holds a run`);
    runs.push(...found);
  }
  return runs;
}

/**
 * Parses `requests.jsonl` text; blank lines are skipped. With `devices`, every record may only
 * name those devices; request ids must be unique.
 * @throws ReportError `E_RESULTS_INVALID` naming `file:line` and the field.
 */
export function parseRequestsJsonl(text: string, file: string, devices?: ReadonlySet<string>): RequestRecord[] {
  const records: RequestRecord[] = [];
  const ids = new Set<number>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i].trim();
    if (line === '') continue;
    const where = `${file}:${i + 1}`;
    const record = parseRequestRecord(parseJson(line, where), where);
    if (devices) {
      for (const id of Object.keys(record.devices)) {
        if (!devices.has(id)) throw new ReportError('E_RESULTS_INVALID', `${where}: devices.${id}: not a device of ${SUMMARY_FILE} (files of different runs?)`);
      }
    }
    if (ids.has(record.id)) throw new ReportError('E_RESULTS_INVALID', `${where}: id: request ${record.id} appears twice (records of two runs in one file?)`);
    ids.add(record.id);
    records.push(record);
  }
  return records;
}

/** The method a run emulated: `summary.run.method`, else the bundle set's method, else the run name, else the directory name. */
async function methodOf(dir: string, summary: ReportSummary, logger: Logger): Promise<string> {
  if (summary.run?.method) return summary.run.method;
  if (summary.run?.bundles) {
    try {
      const set = JSON.parse(await readFile(path.join(summary.run.bundles, 'set.json'), 'utf8')) as { method?: unknown };
      if (set.method === 'nonn' || set.method === 'averaging') return set.method;
      if (set.method === 'random') {
        const agg = JSON.parse(await readFile(path.join(summary.run.bundles, 'aggregator', 'manifest.json'), 'utf8')) as { fusion?: unknown };
        if (agg.fusion === 'part-average') return 'averaging (random bundles)';
        if (agg.fusion === 'concat') return 'nonn (random bundles)';
      }
    } catch (cause) {
      logger.debug({ dir, bundles: summary.run.bundles, err: (cause as Error).message }, 'bundle set unreadable; naming the method after the run');
    }
  }
  return summary.run?.name ?? path.basename(dir);
}

/** The launcher's resolved topology next to the summary. */
export const TOPOLOGY_FILE = 'topology.json';

/** Deadline and frame overhead from `topology.json`; an absent or unreadable file (or field) leaves them out. */
async function setupOf(dir: string, logger: Logger): Promise<RunSetup> {
  const file = path.join(dir, TOPOLOGY_FILE);
  if (!existsSync(file)) return {};
  try {
    const topology = JSON.parse(await readFile(file, 'utf8')) as { workload?: { deadlineMs?: unknown }; link?: { frameOverheadBytes?: unknown } };
    const setup: RunSetup = {};
    const deadlineMs = topology.workload?.deadlineMs;
    if (typeof deadlineMs === 'number' && Number.isFinite(deadlineMs) && deadlineMs > 0) setup.deadlineMs = deadlineMs;
    const overhead = topology.link?.frameOverheadBytes;
    if (typeof overhead === 'number' && Number.isSafeInteger(overhead) && overhead >= 0) setup.frameOverheadBytes = overhead;
    return setup;
  } catch (cause) {
    logger.warn({ file, err: (cause as Error).message }, `${TOPOLOGY_FILE} unreadable; no deadline line`);
    return {};
  }
}

/**
 * Reads and validates one run directory (`summary.json` and `requests.jsonl`, and the deadline and
 * frame overhead from `topology.json` when present; other files such as `logs/` and `config/` are ignored).
 * @throws ReportError `E_RESULTS_MISSING` (directory or file absent), `E_RESULTS_INVALID` (naming file, line and field).
 */
export async function readRun(dir: string, logger: Logger = silentLogger): Promise<RunResults> {
  const abs = path.resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new ReportError('E_RESULTS_MISSING', `run directory ${abs} does not exist`);
  const summaryFile = path.join(abs, SUMMARY_FILE);
  const requestsFile = path.join(abs, REQUESTS_FILE);
  const summary = parseSummary(parseJson(await readText(summaryFile), summaryFile), summaryFile);
  const records = parseRequestsJsonl(await readText(requestsFile), requestsFile, new Set(summary.devices.map((d) => d.id)));
  if (records.length !== summary.requests.finalised) {
    throw new ReportError(
      'E_RESULTS_INVALID',
      `${requestsFile} holds ${records.length} records but ${summaryFile} counts ${summary.requests.finalised} finalised requests`,
    );
  }
  const setup = await setupOf(abs, logger);
  return { dir: abs, id: summary.run?.id ?? path.basename(abs), method: await methodOf(abs, summary, logger), summary, records, setup };
}
