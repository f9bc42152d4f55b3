import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { loadCifar100, resolveDataDir } from '@wearnet/data';
import { positiveInt } from '../options/parse';

interface EvaluateFlags {
  run: string;
  data?: string;
  limitTest?: number;
  json: boolean;
  fill: 'zero' | 'mean' | 'both';
  availability: number[];
  meanImages: number;
}

function availabilities(value: string): number[] {
  const ps = value.split(',').map(Number);
  if (ps.length === 0 || ps.some((p) => !(p >= 0 && p <= 1))) throw new InvalidArgumentError('expected comma-separated probabilities in [0, 1], e.g. 0.99,0.9');
  return ps;
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
    .addOption(
      new Option('--fill <how>', "a part no device delivered: zero (published), mean (the devices' mean training vectors) or both")
        .choices(['zero', 'mean', 'both'])
        .default('both'),
    )
    .option(
      '--availability <ps>',
      'availabilities p for the expected accuracy (each device up independently with probability p)',
      availabilities,
      [0.99, 0.95, 0.9, 0.8],
    )
    .option('--mean-images <n>', 'training images (the first n) the mean vectors of mean-fill are taken over', positiveInt('--mean-images'), 10000)
    .action(async (flags: EvaluateFlags) => {
      const dir = resolveDataDir(flags.data !== undefined ? { data: flags.data } : {});
      const { availabilityMarkdown, evaluateFailures, expectedAccuracy, failureTableMarkdown, loadDistilled, meanVectors } = await import('@wearnet/distil');
      const { task, manifest } = await loadDistilled(resolve(flags.run));
      const test = await loadCifar100({ dir, split: 'test', ...(flags.limitTest !== undefined ? { limit: flags.limitTest } : {}) });
      const fills = flags.fill === 'both' ? (['zero', 'mean'] as const) : ([flags.fill] as const);
      const means = fills.includes('mean') ? meanVectors(task, await loadCifar100({ dir, split: 'train', limit: flags.meanImages })) : undefined;
      const tables = fills.map((fill) => evaluateFailures(task, test, { fill, ...(means !== undefined ? { means } : {}) }));
      const withExpected = tables.map((t) => ({ ...t, expected: Object.fromEntries(flags.availability.map((p) => [String(p), expectedAccuracy(t, p)])) }));
      const [first] = withExpected;
      const result = {
        run: resolve(flags.run),
        method: manifest.method,
        parts: manifest.parts,
        data: dir,
        ...first,
        ...(withExpected.length > 1 ? { fills: withExpected } : {}),
        ...(means !== undefined ? { meanVectors: { images: flags.meanImages, vectors: means.map((m) => Array.from(m)) } } : {}),
      };
      await writeFile(join(resolve(flags.run), 'evaluation.json'), `${JSON.stringify(result, null, 2)}\n`);
      if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else {
        process.stdout.write(
          `${manifest.method} K=${manifest.devices} M=${manifest.parts} on ${first.images} test images (vectors ${first.vectorSeconds.toFixed(1)} s, fusion of ${Object.keys(first.perSet).length} sets ${first.fuseSeconds.toFixed(1)} s)\n`,
        );
        for (const t of tables) process.stdout.write(`\n${t.fill}-fill:\n${failureTableMarkdown(t)}\n`);
        process.stdout.write(`\n${availabilityMarkdown(tables, flags.availability)}\n`);
      }
    });
}
