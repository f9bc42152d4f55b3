import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { BundleError } from '@wearnet/bundle';
import { LauncherError, loadTopology, runSweep, sweepRows, formatSweepTable, type SweepFault, type SweepResult, type SweepRow } from '@wearnet/launcher';
import { positiveInt, nonNegativeInt } from '../options/parse';
import { ProgressLine, bar, formatDuration } from '../progress/progress-line';
import { evaluateOffline } from '../sweep/offline-evaluation';
import { handleInterrupts } from '../options/interrupts';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const CLI_BIN = path.resolve(__dirname, '..', '..', 'bin', 'wearnet.js');
const DEFAULT_TOPOLOGY = path.join('topologies', 'body-8.yaml');
const DEFAULT_BUNDLES = [path.join('bundles', 'nonn-8'), path.join('bundles', 'averaging-8')];

interface SweepFlags {
  bundles?: string[];
  fault: string;
  maxFailed?: number;
  sample?: number;
  requestsPerSet: number;
  timeScale?: number;
  seed?: number;
  out?: string;
  offline?: string[];
  quiet?: boolean;
  json?: boolean;
}

/** One method's part of `sweep.json`. */
interface MethodReport {
  method: string;
  bundles: string;
  runDir: string;
  wallMs: number;
  offlineVectorMs: number;
  rows: SweepRow[];
  /** Requests whose end-to-end prediction differs from the offline one, over the whole sweep. */
  disagreements: number;
  requests: number;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function positiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
    return n;
  };
}

function resolveDefault(relative: string): string {
  return existsSync(relative) ? relative : path.join(REPO_ROOT, relative);
}

/** `wearnet sweep`: accuracy vs failed devices measured through the running cluster, against the offline evaluation. */
export function register(program: Command): void {
  program
    .command('sweep')
    .description('drive a running cluster through failure sets (really crashing or disconnecting devices) for each bundle set, and compare end-to-end accuracy with the offline evaluation of the same requests')
    .argument('[topology]', 'topology YAML file (default topologies/body-8.yaml)')
    .option('--bundles <dir>', 'a bundle set, one per method (repeatable; default bundles/nonn-8 and bundles/averaging-8)', collect)
    .option('--fault <kind>', 'crash (SIGKILL, warm spares restore) or disconnect (link down both ways)', 'crash')
    .option('--max-failed <n>', 'largest number of failed devices (default K)', nonNegativeInt('--max-failed'))
    .option('--sample <n>', 'failure sets per number of failed devices; levels with more are sampled, seeded (default: every set)', positiveInt('--sample'))
    .option('--requests-per-set <n>', 'requests run with each failure set', positiveInt('--requests-per-set'), 16)
    .option('--time-scale <n>', "modelled seconds per real second (default: the topology's, at least 4)", positiveNumber('--time-scale'))
    .option('--seed <n>', 'seed of the runs and of the sample (overrides the topology)', nonNegativeInt('--seed'))
    .option('--out <dir>', 'sweep directory (default results/sweep-<timestamp>)')
    .option('--offline <file>', "a distillation run's evaluation.json (wearnet evaluate), shown beside the method of the same name (repeatable)", collect)
    .option('--quiet', 'no progress')
    .option('--json', 'print sweep.json on stdout instead of the tables')
    .action(async (topologyArg: string | undefined, flags: SweepFlags) => {
      if (flags.fault !== 'crash' && flags.fault !== 'disconnect') throw new InvalidArgumentError('--fault must be crash or disconnect');
      const topologyFile = topologyArg ?? resolveDefault(DEFAULT_TOPOLOGY);
      const bundles = flags.bundles ?? DEFAULT_BUNDLES.map(resolveDefault);
      for (const dir of bundles) {
        if (!existsSync(path.join(dir, 'set.json'))) {
          throw new BundleError(
            'E_BUNDLE_MISSING',
            `bundle set ${dir} does not exist${flags.bundles ? '' : ' (the default sweep takes the exported sets bundles/nonn-8 and bundles/averaging-8)'}; export one with \`wearnet export\`, or sweep the random development sets: --bundles bundles/random-nonn-8 --bundles bundles/random-8`,
          );
        }
      }
      const evaluations = await readEvaluations(flags.offline ?? []);
      const { topology } = await loadTopology(topologyFile);
      const outDir = path.resolve(flags.out ?? path.join('results', `sweep-${new Date().toISOString().replace(/[:.]/g, '-')}`));
      // A sweep measures accuracy: faster than real time by default (latencies stay modelled while the host keeps up; see hostLateResults).
      const timeScale = flags.timeScale ?? Math.max(4, topology.timeScale);
      mkdirSync(outDir, { recursive: true });

      const interrupts = handleInterrupts('the sweep');
      const progress = new ProgressLine(process.stderr, 10_000);
      const started = Date.now();
      let result: SweepResult;
      try {
        result = await runSweep({
          topologyFile,
          cliBin: CLI_BIN,
          bundles,
          fault: flags.fault as SweepFault,
          maxFailed: flags.maxFailed,
          samplePerLevel: flags.sample,
          requestsPerSet: flags.requestsPerSet,
          seed: flags.seed,
          timeScale,
          outDir,
          signal: interrupts.signal,
          onProgress: flags.quiet
            ? undefined
            : (p) => {
                const elapsed = (Date.now() - started) / 1000;
                const fraction = (p.methodIndex + p.done / p.sets) / p.methods;
                progress.update(`sweep ${bar(fraction)} ${p.method} ${p.done}/${p.sets} sets, failed [${p.failed.join(' ')}]  ${formatDuration(elapsed)} eta ${formatDuration(elapsed / fraction - elapsed)}`, p.done === p.sets);
              },
        });
      } finally {
        if (!flags.quiet) progress.log(`cluster runs done in ${formatDuration((Date.now() - started) / 1000)}`);
        interrupts.dispose();
      }

      // Offline evaluation of the same bundles on the same images, in this process.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { initRuntime } = require('@wearnet/runtime') as typeof import('@wearnet/runtime');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { loadDatasetSlice } = require('@wearnet/workload') as typeof import('@wearnet/workload');
      await initRuntime({ trainingKernels: false });
      const slice = await loadDatasetSlice(topology.workload.dataset);
      const methods: MethodReport[] = [];
      for (const sweep of result.methods) {
        if (!flags.quiet) process.stderr.write(`offline evaluation of ${sweep.method} on ${slice.count} images...\n`);
        const offline = await evaluateOffline(sweep, slice);
        const evaluation = evaluations.find((e) => e.method === sweep.method);
        const rows = sweepRows({
          devices: result.order.devices,
          segments: sweep.segments,
          records: sweep.records,
          offlinePredictions: offline.predictions,
          offlineAllImages: offline.allImages,
          evaluate: evaluation ? new Map(evaluation.rows.map((r) => [r.failed, r.mean])) : undefined,
        });
        methods.push({ method: sweep.method, bundles: sweep.bundles, runDir: sweep.runDir, wallMs: sweep.wallMs, offlineVectorMs: offline.vectorMs, rows, disagreements: rows.reduce((a, r) => a + r.disagreements, 0), requests: rows.reduce((a, r) => a + r.requests, 0) });
        // The offline curve in the format `wearnet report --offline` reads.
        writeFileSync(path.join(outDir, `offline-${path.basename(sweep.runDir)}.json`), `${JSON.stringify({ method: sweep.method, devices: result.order.devices, source: 'wearnet sweep: offline fusion of the same bundles on every image of the slice', rows: rows.map((r) => ({ failed: r.failed, sets: r.sets, mean: r.offlineAllImages ?? r.offline })) }, null, 2)}\n`);
      }
      const report = {
        format: 'wearnet-sweep',
        version: 1,
        topology: topology.file,
        devices: result.order.devices,
        fault: result.fault,
        requestsPerSet: result.requestsPerSet,
        timeScale,
        seed: flags.seed ?? topology.seed,
        levels: result.order.levels,
        images: slice.count,
        wallMs: result.wallMs,
        totalWallMs: Date.now() - started,
        interrupted: result.interrupted,
        methods,
      };
      writeFileSync(path.join(outDir, 'sweep.json'), `${JSON.stringify(report, null, 2)}\n`);
      if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else process.stdout.write(`${formatReport(report, outDir)}\n`);
      if (result.interrupted) throw new LauncherError('E_INTERRUPTED', `sweep stopped early; partial results in ${outDir}`);
    });
}

interface Evaluation {
  method: string;
  rows: { failed: number; mean: number }[];
}

async function readEvaluations(files: string[]): Promise<Evaluation[]> {
  if (files.length === 0) return [];
  const { readOfflineEvaluation } = await import('@wearnet/report');
  const out: Evaluation[] = [];
  for (const file of files) {
    const curve = await readOfflineEvaluation(file);
    out.push({ method: curve.method, rows: curve.points.map((p) => ({ failed: p.failed, mean: p.accuracy })) });
  }
  return out;
}

function formatReport(report: { devices: number; fault: string; requestsPerSet: number; timeScale: number; images: number; wallMs: number; totalWallMs: number; levels: { failed: number; chosen: number; total: number; sampled: boolean }[]; methods: MethodReport[] }, outDir: string): string {
  const sets = report.levels.reduce((a, l) => a + l.chosen, 0);
  const sampled = report.levels.some((l) => l.sampled);
  const lines = [
    `sweep of ${report.methods.length} method(s) over ${sets} failure sets of ${report.devices} devices (${sampled ? 'a seeded sample' : 'every set'}), ${report.requestsPerSet} requests per set, fault ${report.fault}, time scale ${report.timeScale}; images from a slice of ${report.images}`,
    '',
  ];
  for (const m of report.methods) {
    lines.push(`${m.method}  (${m.bundles}; cluster run ${(m.wallMs / 1000).toFixed(1)} s; ${m.disagreements} of ${m.requests} predictions differ from offline)`);
    lines.push(formatSweepTable(m.rows));
    lines.push('');
  }
  lines.push(`cluster runs ${(report.wallMs / 1000).toFixed(1)} s, with offline evaluation ${(report.totalWallMs / 1000).toFixed(1)} s`);
  lines.push(`results in ${outDir} (sweep.json, one run directory per method); chart: wearnet report ${outDir}${report.methods.map((m) => ` --offline ${path.join(outDir, `offline-${path.basename(m.runDir)}.json`)}`).join('')}`);
  return lines.join('\n');
}
