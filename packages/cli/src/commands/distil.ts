import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { loadCifar100, resolveDataDir } from '@wearnet/data';
import type { DistilMethod } from '@wearnet/distil';
import { parsePartitionJson } from '@wearnet/partition';
import { positiveInt, probability } from '../options/parse';
import { addTrainingOptions, limit, trainingOverrides, type TrainingFlags } from '../options/training';
import { formatDuration, ProgressLine } from '../progress/progress-line';
import { trainProgress } from './train';
import { CliError } from '../errors';

interface DistilFlags extends TrainingFlags {
  teacher: string;
  partition: string;
  method: DistilMethod;
  devices: number;
  parts?: number;
  preset: string;
  failureDropout: number;
}

/** `wearnet distil`: joint student distillation for NoNN or averaging. */
export function register(program: Command): void {
  const command = program
    .command('distil')
    .description('Distil one student per device from a teacher and a filter partition, then evaluate every failure set')
    .requiredOption('--teacher <dir>', 'teacher run directory')
    .requiredOption('--partition <file>', 'partition JSON from `wearnet partition`')
    .addOption(new Option('--method <name>', 'nonn (concatenation) or averaging (per-part mean)').choices(['nonn', 'averaging']).makeOptionMandatory())
    .requiredOption('--devices <k>', 'number of devices K', positiveInt('--devices'))
    .option('--parts <m>', 'expected number of parts M (checked against the partition)', positiveInt('--parts'))
    .addOption(new Option('--preset <name>', 'recipe: quick (plain 16/32/64 students, 3 epochs), tiny').default('quick'))
    .option('--failure-dropout <p>', 'drop each student with probability p per training image', probability('--failure-dropout'), 0)
    .option('--out <dir>', 'run directory (default: runs/distil-<method>-k<K>-m<M>[-fd<p>])');
  addTrainingOptions(command)
    .action(async (flags: DistilFlags) => {
      const partition = parsePartitionJson(JSON.parse(await readFile(flags.partition, 'utf8')));
      const M = partition.parts.length;
      if (flags.parts !== undefined && flags.parts !== M) {
        throw new CliError('E_PARTITION_MISMATCH', `--parts ${flags.parts} but ${flags.partition} has ${M} parts`);
      }
      const dir = resolveDataDir(flags.data !== undefined ? { data: flags.data } : {});
      const suffix = flags.failureDropout > 0 ? `-fd${flags.failureDropout}` : '';
      const outDir = resolve(flags.out ?? `runs/distil-${flags.method}-k${flags.devices}-m${M}${suffix}`);
      const progress = new ProgressLine();
      progress.log(`wearnet distil: ${flags.method}, K=${flags.devices}, M=${M}, preset ${flags.preset}, failure dropout ${flags.failureDropout}, seed ${flags.seed}, out ${outDir}`);
      const [train, test] = await Promise.all([
        loadCifar100({ dir, split: 'train', ...limit(flags.limitTrain) }),
        loadCifar100({ dir, split: 'test', ...limit(flags.limitTest) }),
      ]);
      const { failureTableMarkdown, runDistillation } = await import('@wearnet/distil');
      const result = await runDistillation({
        teacherDir: resolve(flags.teacher),
        partition,
        method: flags.method,
        devices: flags.devices,
        preset: flags.preset,
        outDir,
        train,
        test,
        seed: flags.seed,
        workers: flags.workers,
        failureDropout: flags.failureDropout,
        resume: flags.resume,
        dataSource: { dir, train: train.count, test: test.count, partition: resolve(flags.partition) },
        onEvent: trainProgress(progress),
        ...trainingOverrides(flags),
      });
      if (!result.finished || result.manifest === undefined) {
        progress.log(`stopped after epoch ${result.epochsDone}; run the same command again to resume`);
        return;
      }
      const m = result.manifest;
      progress.log(`distilled ${m.method} K=${m.devices} M=${m.parts}: test accuracy ${(m.testAccuracy * 100).toFixed(2)}% (${formatDuration(m.trainSeconds)}, ${m.backend})`);
      process.stdout.write(`${failureTableMarkdown(m.failures)}\n`);
    });
}
