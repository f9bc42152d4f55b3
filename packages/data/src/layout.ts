import { IMAGE_BYTES, IMAGE_CHANNELS, IMAGE_SIDE } from '@wearnet/protocol';

// The image format is a wire fact (an `infer` message carries one image): `protocol` owns it.
export { IMAGE_BYTES, IMAGE_CHANNELS, IMAGE_SIDE };
/** Pixels of one image channel (32 x 32). */
export const CHANNEL_PIXELS = IMAGE_SIDE * IMAGE_SIDE;
/** Bytes of one CIFAR-100 binary record: 1 coarse label byte, 1 fine label byte, `IMAGE_BYTES` pixel bytes. */
export const RECORD_BYTES = 2 + IMAGE_BYTES;
/** Number of fine classes of CIFAR-100. */
export const FINE_CLASSES = 100;
/** Number of coarse classes (superclasses) of CIFAR-100. */
export const COARSE_CLASSES = 20;
/** Records in the official `train.bin`. */
export const TRAIN_RECORDS = 50000;
/** Records in the official `test.bin`. */
export const TEST_RECORDS = 10000;

/** A split of CIFAR-100. */
export type Split = 'train' | 'test';

/** File names of the official binary layout, all in one directory. */
export const CIFAR100_FILES = {
  train: 'train.bin',
  test: 'test.bin',
  fineNames: 'fine_label_names.txt',
  coarseNames: 'coarse_label_names.txt',
} as const;
