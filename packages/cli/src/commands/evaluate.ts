import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadCifar100, resolveDataDir } from '@wearnet/data';
import { positiveInt } from '../options/parse';

interface EvaluateFlags {
  run: string;
  data?: string;
  limitTest?: number;
  json: boolean;
}

/** `wearnet evaluate`: accuracy for every number of failed devices over every failure set. */
export function register(program: Command): void {
  program
    .command('evaluate')
    .description('Accuracy on the CIFAR-100 test set for f = 0..K failed devices, averaged over all C(K,f) failure sets')
    .requiredOption('--run <dir>', 'distillation run directory (from `wearnet distil`)')
    .option('--data <dir>', 'CIFAR-100 binary directory (default: $WEARNET_DATA)')
    .option('--limit-test <n>', 'use only the first n test images', positiveInt('--limit-test'))
    .option('--json', 'print the full table (every failure set) as JSON instead of markdown', false)
    .action(async (flags: EvaluateFlags) => {
      const dir = resolveDataDir(flags.data !== undefined ? { data: flags.data } : {});
      const { evaluateFailures, failureTableMarkdown, loadDistilled } = await import('@wearnet/distil');
      const { task, manifest } = await loadDistilled(resolve(flags.run));
      const test = await loadCifar100({ dir, split: 'test', ...(flags.limitTest !== undefined ? { limit: flags.limitTest } : {}) });
      const table = evaluateFailures(task, test);
      const result = { run: resolve(flags.run), method: manifest.method, parts: manifest.parts, data: dir, ...table };
      await writeFile(join(resolve(flags.run), 'evaluation.json'), `${JSON.stringify(result, null, 2)}\n`);
      if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else {
        process.stdout.write(`${manifest.method} K=${manifest.devices} M=${manifest.parts} on ${table.images} test images (vectors ${table.vectorSeconds.toFixed(1)} s, fusion of ${Object.keys(table.perSet).length} sets ${table.fuseSeconds.toFixed(1)} s)\n`);
        process.stdout.write(`${failureTableMarkdown(table)}\n`);
      }
    });
}
