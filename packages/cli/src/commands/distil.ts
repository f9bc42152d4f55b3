import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadCifar100, resolveDataDir } from '@wearnet/data';
import type { DistilMethod, StudentSpec } from '@wearnet/distil';
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
  student?: StudentSpec;
  lr?: number;
  targets?: string;
  engine: 'layers' | 'ops';
}

/** Parses `--student ARCH:W1,W2,W3[/B1,B2,B3]`, e.g. `plain:24,48,96` or `wrn:16,32,48/1,1,1`. */
function studentSpec(value: string): StudentSpec {
  const m = /^(plain|wrn):(\d+),(\d+),(\d+)(?:\/(\d+),(\d+),(\d+))?$/.exec(value);
  if (m === null) throw new InvalidArgumentError('expected ARCH:W1,W2,W3[/B1,B2,B3] with ARCH plain or wrn, e.g. plain:24,48,96');
  const n = (i: number): number => Number(m[i]);
  return { arch: m[1] as StudentSpec['arch'], widths: [n(2), n(3), n(4)], ...(m[5] !== undefined ? { blocks: [n(5), n(6), n(7)] } : {}) };
}

function positiveNumber(value: string): number {
  const v = Number(value);
  if (!(Number.isFinite(v) && v > 0)) throw new InvalidArgumentError('expected a positive number');
  return v;
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
    .option(
      '--student <arch>',
      "student architecture instead of the preset's: ARCH:W1,W2,W3[/B1,B2,B3] (widths and blocks per resolution 32/16/8)",
      studentSpec,
    )
    .option('--targets <dir>', 'precomputed teacher targets (`wearnet teacher-targets`): no teacher forward per step')
    .addOption(
      new Option('--engine <name>', 'students in training: ops (plain ops) or layers (tfjs-layers apply, the older path); same arithmetic')
        .choices(['ops', 'layers'])
        .default('ops'),
    )
    .option('--lr <peak>', "peak learning rate instead of the preset's", positiveNumber)
    .option('--out <dir>', 'run directory (default: runs/distil-<method>-k<K>-m<M>[-fd<p>])');
  addTrainingOptions(command).action(async (flags: DistilFlags) => {
    const partition = parsePartitionJson(JSON.parse(await readFile(flags.partition, 'utf8')));
    const M = partition.parts.length;
    if (flags.parts !== undefined && flags.parts !== M) {
      throw new CliError('E_PARTITION_MISMATCH', `--parts ${flags.parts} but ${flags.partition} has ${M} parts`);
    }
    const dir = resolveDataDir(flags.data !== undefined ? { data: flags.data } : {});
    const suffix = flags.failureDropout > 0 ? `-fd${flags.failureDropout}` : '';
    const outDir = resolve(flags.out ?? `runs/distil-${flags.method}-k${flags.devices}-m${M}${suffix}`);
    const progress = new ProgressLine();
    progress.log(
      `wearnet distil: ${flags.method}, K=${flags.devices}, M=${M}, preset ${flags.preset}, failure dropout ${flags.failureDropout}, seed ${flags.seed}, out ${outDir}`,
    );
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
      ...(flags.student !== undefined ? { student: flags.student } : {}),
      ...(flags.lr !== undefined ? { peakLr: flags.lr } : {}),
      ...(flags.targets !== undefined ? { targetsDir: resolve(flags.targets) } : {}),
      engine: flags.engine,
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
    progress.log(
      `distilled ${m.method} K=${m.devices} M=${m.parts}: test accuracy ${(m.testAccuracy * 100).toFixed(2)}% (${formatDuration(m.trainSeconds)}, ${m.backend})`,
    );
    process.stdout.write(`${failureTableMarkdown(m.failures)}\n`);
  });
}
