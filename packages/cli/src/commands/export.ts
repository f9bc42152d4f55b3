import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadShippedTestSubset } from '@wearnet/data';

interface ExportFlags {
  run: string;
  out: string;
}

/** `wearnet export`: one bundle per device plus the aggregator bundle. */
export function register(program: Command): void {
  program
    .command('export')
    .description('Write one bundle per device and the aggregator bundle (docs/BUNDLES.md) from a distillation run')
    .requiredOption('--run <dir>', 'distillation run directory')
    .requiredOption('--out <dir>', 'bundle-set directory to (re)write')
    .action(async (flags: ExportFlags) => {
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
      for (const d of result.devices) process.stdout.write(`${d.dir}: ${d.outputLength}-vector, ${(d.macs / 1e6).toFixed(2)} M MACs, ${d.params} params, ${d.weightsBytes} B weights\n`);
      process.stdout.write(`${result.aggregatorDir}: ${manifest.method} fusion of ${manifest.devices} devices into ${manifest.parts} parts\n`);
    });
}
