import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { loadCifar100, resolveDataDir } from '@wearnet/data';
import type { TrainEvent } from '@wearnet/train';
import { addTrainingOptions, limit, trainingOverrides, type TrainingFlags } from '../options/training';
import { bar, formatDuration, ProgressLine } from '../progress/progress-line';

/** Renders training events as a progress line and one summary line per epoch. */
export function trainProgress(progress: ProgressLine): (e: TrainEvent) => void {
  let epochs = 0;
  let runStart = Date.now();
  let stepsDone = 0;
  let stepsTotal = 0;
  return (e) => {
    if (e.type === 'start') {
      epochs = e.epochs;
      runStart = Date.now();
      stepsTotal = (e.epochs - e.startEpoch) * e.stepsPerEpoch;
      progress.log(
        `training on ${e.workers} worker(s), backend ${e.backend}, ${e.params} parameters, epochs ${e.startEpoch + 1}..${e.epochs}, ${e.stepsPerEpoch} steps/epoch`,
      );
    } else if (e.type === 'step') {
      stepsDone += 1;
      const elapsed = (Date.now() - runStart) / 1000;
      const eta = (elapsed / stepsDone) * (stepsTotal - stepsDone);
      progress.update(
        `epoch ${e.epoch + 1}/${epochs} ${bar(e.stepInEpoch / e.stepsPerEpoch)} ${e.stepInEpoch}/${e.stepsPerEpoch} loss ${e.loss.toFixed(3)} acc ${(e.accuracy * 100).toFixed(1)}% lr ${e.lr.toFixed(4)} ${e.imagesPerSecond.toFixed(1)} img/s ETA ${formatDuration(eta)}`,
      );
    } else if (e.type === 'epoch') {
      const r = e.record;
      const test = r.testAccuracy !== undefined ? ` test acc ${(r.testAccuracy * 100).toFixed(2)}% loss ${r.testLoss?.toFixed(3)}` : '';
      progress.log(
        `epoch ${r.epoch}/${epochs}: train loss ${r.trainLoss.toFixed(3)} acc ${(r.trainAccuracy * 100).toFixed(2)}%${test} (${formatDuration(r.seconds)}, ${r.imagesPerSecond.toFixed(1)} img/s)`,
      );
    } else if (e.type === 'checkpoint') {
      progress.log(`checkpoint: ${e.dir} (epoch ${e.epoch})`);
    }
  };
}

interface TeacherFlags extends TrainingFlags {
  preset: string;
  backend?: string;
}

/** `wearnet train teacher`. */
export function register(program: Command): void {
  const train = program.command('train').description('Train models (teacher; students via `wearnet distil`)');
  const teacher = train
    .command('teacher')
    .description('Train a Wide-ResNet teacher on CIFAR-100 with checkpoints every epoch')
    .addOption(new Option('--preset <name>', 'recipe: quick (WRN-10-2, 15 epochs), paper (WRN-40-4, 200 epochs), tiny').default('quick'))
    .option('--out <dir>', 'run directory (default: runs/teacher-<preset>)')
    .addOption(new Option('--backend <name>', 'force a TensorFlow.js backend').choices(['node', 'wasm', 'cpu']));
  addTrainingOptions(teacher).action(async (flags: TeacherFlags) => {
    const dir = resolveDataDir(flags.data !== undefined ? { data: flags.data } : {});
    const outDir = resolve(flags.out ?? `runs/teacher-${flags.preset}`);
    const progress = new ProgressLine();
    progress.log(`wearnet train teacher: preset ${flags.preset}, seed ${flags.seed}, data ${dir}, out ${outDir}`);
    const [trainSplit, testSplit] = await Promise.all([
      loadCifar100({ dir, split: 'train', ...limit(flags.limitTrain) }),
      loadCifar100({ dir, split: 'test', ...limit(flags.limitTest) }),
    ]);
    // Loaded here, not at start-up: role processes (medium, aggregator) must not carry TensorFlow.js.
    const { trainTeacher } = await import('@wearnet/train');
    const result = await trainTeacher({
      preset: flags.preset,
      train: trainSplit,
      test: testSplit,
      outDir,
      seed: flags.seed,
      workers: flags.workers,
      resume: flags.resume,
      dataSource: { dir, train: trainSplit.count, test: testSplit.count },
      onEvent: trainProgress(progress),
      ...trainingOverrides(flags),
      ...(flags.backend !== undefined ? { backend: flags.backend } : {}),
    });
    if (!result.finished || result.manifest === undefined) {
      progress.log(`stopped after epoch ${result.epochsDone}; run the same command again to resume`);
      return;
    }
    const m = result.manifest;
    progress.log(
      `teacher ${m.preset}: test accuracy ${(m.testAccuracy * 100).toFixed(2)}% on ${m.testImages} images, ${(m.macs / 1e6).toFixed(1)} M MACs, ${m.params} parameters, ${formatDuration(m.trainSeconds)} on ${m.workers} worker(s) (${m.backend}); ${outDir}/manifest.json`,
    );
  });
}
