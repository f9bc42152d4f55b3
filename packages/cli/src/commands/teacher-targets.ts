import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadCifar100, resolveDataDir } from '@wearnet/data';
import { nonNegativeInt, positiveInt } from '../options/parse';
import { limit } from '../options/training';
import { formatDuration, ProgressLine } from '../progress/progress-line';

interface TargetsFlags {
  teacher: string;
  data?: string;
  views: number;
  seed: number;
  workers: number;
  limitTrain?: number;
  out: string;
}

/** `wearnet teacher-targets`: the frozen teacher's outputs per augmented training view, once for every distillation run. */
export function register(program: Command): void {
  program
    .command('teacher-targets')
    .description("Compute the teacher's logits and final-conv energies once per augmented view of every training image (for `wearnet distil --targets`)")
    .requiredOption('--teacher <dir>', 'teacher run directory (from `wearnet train teacher`)')
    .option('--data <dir>', 'CIFAR-100 binary directory (default: $WEARNET_DATA)')
    .option('--views <n>', 'augmented views per image (epoch e trains on view e mod n)', positiveInt('--views'), 8)
    .option('--seed <n>', 'seed of the augmentation draws', nonNegativeInt('--seed'), 1)
    .option('--workers <n>', 'worker threads', positiveInt('--workers'), 2)
    .option('--limit-train <n>', 'cover only the first n training images', positiveInt('--limit-train'))
    .requiredOption('--out <dir>', 'targets directory (a build interrupted here resumes view by view)')
    .action(async (flags: TargetsFlags) => {
      const dir = resolveDataDir(flags.data !== undefined ? { data: flags.data } : {});
      const { buildTeacherTargets } = await import('@wearnet/distil');
      const train = await loadCifar100({ dir, split: 'train', ...limit(flags.limitTrain) });
      const progress = new ProgressLine();
      const t0 = Date.now();
      progress.log(`wearnet teacher-targets: ${train.count} images x ${flags.views} views, seed ${flags.seed}, out ${resolve(flags.out)}`);
      const m = await buildTeacherTargets({
        teacherDir: resolve(flags.teacher),
        train,
        views: flags.views,
        seed: flags.seed,
        workers: flags.workers,
        outDir: resolve(flags.out),
        onView: (done, total, seconds) => progress.log(`view ${done}/${total} in ${seconds.toFixed(1)} s (${(train.count / seconds).toFixed(0)} img/s)`),
      });
      progress.log(
        `teacher targets: ${m.count} images x ${m.views} views (${m.classes} logits, ${m.positions} x ${m.filters} energies) in ${formatDuration((Date.now() - t0) / 1000)}`,
      );
    });
}
