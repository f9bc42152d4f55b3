import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { CliError } from '../errors';
import { Command, InvalidArgumentError } from 'commander';
import { BundleError } from '@wearnet/bundle';
import { loadTopology } from '@wearnet/launcher';
import { SweepError, formatSweepReport, readEvaluations, reportSweep, runSweep, type SweepFault, type SweepResult } from '@wearnet/sweep';
import { positiveInt, nonNegativeInt } from '../options/parse';
import { ProgressLine, bar, formatDuration } from '../progress/progress-line';
import { resolveDefault } from '../options/defaults';
import { handleInterrupts } from '../options/interrupts';

const CLI_BIN = path.resolve(__dirname, '..', '..', 'bin', 'wearnet.js');
const DEFAULT_TOPOLOGY = path.join('topologies', 'body-8.yaml');
// The 10-epoch NoNN students, zero-fill and mean-fill (the deep averaging sets join when their runs finish).
const DEFAULT_BUNDLES = [path.join('bundles', 'deep', 'nonn-8'), path.join('bundles', 'deep', 'nonn-8-meanfill')];

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

/** `wearnet sweep`: accuracy vs failed devices measured through the running cluster, against the offline evaluation. */
export function register(program: Command): void {
  program
    .command('sweep')
    .description(
      'drive a running cluster through failure sets (really crashing or disconnecting devices) for each bundle set, and compare end-to-end accuracy with the offline evaluation of the same requests',
    )
    .argument('[topology]', 'topology YAML file (default topologies/body-8.yaml)')
    .option('--bundles <dir>', 'a bundle set, one per method (repeatable; default bundles/deep/nonn-8 and bundles/deep/nonn-8-meanfill)', collect)
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
            `bundle set ${dir} does not exist${flags.bundles ? '' : ' (the default sweep takes the exported sets bundles/deep/nonn-8 and bundles/deep/nonn-8-meanfill)'}; export one with \`wearnet export\`, or sweep the random development sets: --bundles bundles/random-nonn-8 --bundles bundles/random-8`,
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
                progress.update(
                  `sweep ${bar(fraction)} ${p.method} ${p.done}/${p.sets} sets, failed [${p.failed.join(' ')}]  ${formatDuration(elapsed)} eta ${formatDuration(elapsed / fraction - elapsed)}`,
                  p.done === p.sets,
                );
              },
        });
      } finally {
        if (!flags.quiet) progress.log(`cluster runs done in ${formatDuration((Date.now() - started) / 1000)}`);
        interrupts.dispose();
      }

      // Offline evaluation of the same bundles on the same images, in this process.
      const report = await reportSweep({
        ...{ result, topology, outDir, evaluations, timeScale, seed: flags.seed, startedMs: started },
        onMethod: flags.quiet ? undefined : (method, images) => process.stderr.write(`offline evaluation of ${method} on ${images} images...\n`),
      });
      const stopped = result.interrupted ? new SweepError('E_INTERRUPTED', `sweep stopped early; partial results in ${outDir}`) : undefined;
      // Under --json stdout holds one JSON document: the report, with the error in it if any.
      if (flags.json && stopped) throw new CliError(stopped.code, stopped.message, { cause: stopped, result: report });
      if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else process.stdout.write(`${formatSweepReport(report, outDir)}\n`);
      if (stopped) throw stopped;
    });
}
