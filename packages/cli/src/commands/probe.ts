import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadCifar100, resolveDataDir } from '@wearnet/data';
import { encodeActivations } from '@wearnet/partition';
import { nonNegativeInt, positiveInt } from '../options/parse';
import { bar, ProgressLine } from '../progress/progress-line';

interface ProbeFlags {
  teacher: string;
  data?: string;
  images: number;
  start?: number;
  out: string;
}

/** `wearnet probe`: teacher final-conv activations in the format `wearnet partition` reads. */
export function register(program: Command): void {
  program
    .command('probe')
    .description("Write the teacher's final-conv activations (spatial means per filter) over a slice of the training set")
    .requiredOption('--teacher <dir>', 'teacher run directory (from `wearnet train teacher`)')
    .option('--data <dir>', 'CIFAR-100 binary directory (default: $WEARNET_DATA)')
    .option('--images <n>', 'images to probe', positiveInt('--images'), 5000)
    .option('--start <n>', 'first training image of the slice (default: the last <images> of the split)', nonNegativeInt('--start'))
    .requiredOption('--out <file>', 'activations file to write')
    .action(async (flags: ProbeFlags) => {
      const dir = resolveDataDir(flags.data !== undefined ? { data: flags.data } : {});
      const { initRuntime, sha256Hex } = await import('@wearnet/runtime');
      const { probeTeacher } = await import('@wearnet/distil');
      const info = await initRuntime();
      const train = await loadCifar100({ dir, split: 'train' });
      const progress = new ProgressLine(process.stderr, 10_000);
      const t0 = Date.now();
      const matrix = await probeTeacher({
        teacherDir: resolve(flags.teacher),
        images: train,
        count: flags.images,
        ...(flags.start !== undefined ? { start: flags.start } : {}),
        onProgress: (done, total) => progress.update(`probe ${bar(done / total)} ${done}/${total} images`),
      });
      const bytes = encodeActivations(matrix, {
        source: { teacher: resolve(flags.teacher), data: dir, split: 'train', start: matrix.start, images: matrix.images, backend: info.backend },
      });
      await mkdir(dirname(resolve(flags.out)), { recursive: true });
      await writeFile(flags.out, bytes);
      progress.log(
        `probe: ${matrix.images} images x ${matrix.filters} filters (train ${matrix.start}..${matrix.start + matrix.images}) in ${((Date.now() - t0) / 1000).toFixed(1)} s -> ${flags.out} (sha256 ${sha256Hex(bytes).slice(0, 16)}...)`,
      );
    });
}
