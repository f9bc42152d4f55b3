/** Side of an input image, pixels (CIFAR: 32). */
export const IMAGE_SIDE = 32;
/** Colour channels of an input image (R, G, B). */
export const IMAGE_CHANNELS = 3;
/**
 * Bytes of one input image as an `infer` message carries it and every dataset slice stores it:
 * 1024 R, then 1024 G, then 1024 B, each 32x32 row-major (CHW), one byte per pixel.
 */
export const IMAGE_BYTES = IMAGE_SIDE * IMAGE_SIDE * IMAGE_CHANNELS;
