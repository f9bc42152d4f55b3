export { createStream, exponential, hashString } from './stream';
export type { RandomStream } from './stream';
export { MAX_SEED, createRng, createRngFromState, shuffledIndices } from './rng';
export type { Rng } from './rng';
export { createSeededRng, shuffled } from './seeded-rng';
export type { SeededRng } from './seeded-rng';
export { optionError } from './errors';
export type { OptionError, RandomErrorCode } from './errors';
