/** Side of a CIFAR image, pixels. */
export const IMAGE_SIDE = 32;
/** Colour channels of a CIFAR image (R, G, B). */
export const IMAGE_CHANNELS = 3;
/** Pixels of one image channel (32 x 32). */
export const CHANNEL_PIXELS = IMAGE_SIDE * IMAGE_SIDE;
/** Pixel bytes of one image: 1024 R, then 1024 G, then 1024 B, each 32x32 row-major (CHW). */
export const IMAGE_BYTES = CHANNEL_PIXELS * IMAGE_CHANNELS;
/** Bytes of one CIFAR-100 binary record: 1 coarse label byte, 1 fine label byte, 3072 pixel bytes. */
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
