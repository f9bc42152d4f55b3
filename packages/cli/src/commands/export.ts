import { join, resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { loadShippedTestSubset } from '@wearnet/data';
import { exportModnn, type ExportModnnFlags } from './export-modnn';
import { CliError } from '../errors';

interface ExportFlags extends ExportModnnFlags {
  run?: string;
  out: string;
  mode?: string;
  fill: 'zero' | 'mean';
}

/** The mean vectors `wearnet evaluate` stored in the run's evaluation.json (for mean-fill). */
async function evaluatedMeans(run: string): Promise<number[][]> {
  const file = join(run, 'evaluation.json');
  const parsed = JSON.parse(await readFile(file, 'utf8').catch(() => '{}')) as { meanVectors?: { vectors?: number[][] } };
  const vectors = parsed.meanVectors?.vectors;
  if (!Array.isArray(vectors))
    throw new CliError('E_OPTION_INVALID', `--fill mean needs the mean vectors in ${file}: run \`wearnet evaluate --run ${run}\` first`);
  return vectors;
}

/** `wearnet export`: one bundle per device plus the aggregator bundle. */
export function register(program: Command): void {
  program
    .command('export')
    .description(
      'Write one bundle per device and the aggregator bundle (docs/BUNDLES.md) from a distillation run, or (--mode modnn) from a teacher run split layer-wise',
    )
    .option('--run <dir>', 'distillation run directory (distilled modes)')
    .requiredOption('--out <dir>', 'bundle-set directory to (re)write')
    .option('--mode <mode>', 'distilled (from --run) or modnn (the teacher split layer-wise, from --teacher)', 'distilled')
    .option('--teacher <dir>', 'modnn: teacher run directory, e.g. artifacts/teacher-quick')
    .option('--devices <k>', 'modnn: number of devices', '8')
    .option(
      '--device-class <names>',
      'modnn: device class of every device, or one per device comma-separated (speeds of the biased partition)',
      'cortex-m7-480',
    )
    .addOption(
      new Option(
        '--fill <how>',
        "distilled: the aggregator's fill for a part none of whose devices delivered (mean: the mean training vectors from the run's evaluation.json)",
      )
        .choices(['zero', 'mean'])
        .default('zero'),
    )
    .option('--input-mode <mode>', 'modnn: local (devices read their image rows) or broadcast (the hub sends them)', 'local')
    .action(async (flags: ExportFlags) => {
      if (flags.mode === 'modnn') return exportModnn(flags);
      if (flags.mode !== 'distilled') throw new RangeError(`--mode must be distilled or modnn, got ${String(flags.mode)}`);
      if (!flags.run) throw new RangeError('--run <dir> is required');
      const { exportBundles, loadDistilled } = await import('@wearnet/distil');
      const { task, manifest } = await loadDistilled(resolve(flags.run));
      const labels = (await loadShippedTestSubset()).fineNames;
      const source = {
        run: flags.run,
        preset: manifest.preset,
        seed: manifest.seed,
        epochs: manifest.epochs,
        failureDropout: manifest.spec.failureDropout,
        partition: { method: manifest.partition.method, seed: manifest.partition.seed },
        testAccuracy: manifest.testAccuracy,
        teacher: { preset: manifest.teacher.preset, testAccuracy: manifest.teacher.testAccuracy, macs: manifest.teacher.macs },
      };
      const fill = flags.fill === 'mean' ? { missingFill: 'mean' as const, meanVectors: await evaluatedMeans(resolve(flags.run)) } : {};
      const result = await exportBundles({
        task,
        method: manifest.method,
        outDir: resolve(flags.out),
        labels,
        source: { ...source, missingFill: flags.fill },
        ...fill,
      });
      for (const d of result.devices)
        process.stdout.write(`${d.dir}: ${d.outputLength}-vector, ${(d.macs / 1e6).toFixed(2)} M MACs, ${d.params} params, ${d.weightsBytes} B weights\n`);
      process.stdout.write(`${result.aggregatorDir}: ${manifest.method} fusion of ${manifest.devices} devices into ${manifest.parts} parts\n`);
    });
}
