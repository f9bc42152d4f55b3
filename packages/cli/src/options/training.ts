import type { Command } from 'commander';
import { nonNegativeInt, positiveInt } from './parse';

/** Flags every training command shares (`train teacher`, `distil`). */
export interface TrainingFlags {
  data?: string;
  out?: string;
  seed: number;
  workers: number;
  epochs?: number;
  batchSize?: number;
  resume: boolean;
  maxEpochs?: number;
  limitTrain?: number;
  limitTest?: number;
}

/** Adds the shared training flags to `command`. */
export function addTrainingOptions(command: Command): Command {
  return command
    .option('--data <dir>', 'CIFAR-100 binary directory (default: $WEARNET_DATA)')
    .option('--seed <n>', 'seed of initialisation, shuffling and augmentation', nonNegativeInt('--seed'), 1)
    .option('--workers <n>', 'data-parallel worker threads', positiveInt('--workers'), 2)
    .option('--epochs <n>', "override the preset's epochs", positiveInt('--epochs'))
    .option('--batch-size <n>', "override the preset's global batch size", positiveInt('--batch-size'))
    .option('--no-resume', 'start over even if the run directory has a checkpoint')
    .option('--max-epochs <n>', 'stop after this many epochs in this invocation (resume later)', positiveInt('--max-epochs'))
    .option('--limit-train <n>', 'use only the first n training images', positiveInt('--limit-train'))
    .option('--limit-test <n>', 'use only the first n test images', positiveInt('--limit-test'));
}

/** The optional run-length overrides of {@link TrainingFlags}, as options of the training functions. */
export function trainingOverrides(flags: TrainingFlags): { epochs?: number; batchSize?: number; maxEpochsThisRun?: number } {
  return {
    ...(flags.epochs !== undefined ? { epochs: flags.epochs } : {}),
    ...(flags.batchSize !== undefined ? { batchSize: flags.batchSize } : {}),
    ...(flags.maxEpochs !== undefined ? { maxEpochsThisRun: flags.maxEpochs } : {}),
  };
}

/** `{ limit }` for a split when a limit flag is set. */
export function limit(n: number | undefined): { limit?: number } {
  return n !== undefined ? { limit: n } : {};
}
