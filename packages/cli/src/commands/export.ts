import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadShippedTestSubset } from '@wearnet/data';
import { exportModnn, type ExportModnnFlags } from './export-modnn';

interface ExportFlags extends ExportModnnFlags {
  run?: string;
  out: string;
  mode?: string;
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
      const result = await exportBundles({ task, method: manifest.method, outDir: resolve(flags.out), labels, source });
      for (const d of result.devices)
        process.stdout.write(`${d.dir}: ${d.outputLength}-vector, ${(d.macs / 1e6).toFixed(2)} M MACs, ${d.params} params, ${d.weightsBytes} B weights\n`);
      process.stdout.write(`${result.aggregatorDir}: ${manifest.method} fusion of ${manifest.devices} devices into ${manifest.parts} parts\n`);
    });
}
