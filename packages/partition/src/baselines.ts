import { balancedSizes } from './assignment';
import { PartitionError } from './errors';
import { createSeededRng, shuffled } from '@wearnet/random';

/** Options of the baseline partitions. */
export interface BaselineOptions {
  /** Number of filters, >= 1. */
  readonly filters: number;
  /** Number of parts, 1..filters. */
  readonly parts: number;
  /** Seed of the random order (random baseline only); default 1. */
  readonly seed?: number;
}

/**
 * Random balanced baseline: a seeded random permutation of the filters cut into parts whose
 * sizes differ by at most 1. Every filter is assigned.
 */
export function randomBalancedPartition(options: BaselineOptions): Int32Array {
  checkCounts(options);
  const order = shuffled(
    Array.from({ length: options.filters }, (_, i) => i),
    createSeededRng(options.seed ?? 1),
  );
  return cut(order, balancedSizes(options.filters, options.parts), options.filters);
}

/**
 * Contiguous-blocks baseline: filters 0..s0-1 form part 0, the next s1 part 1, and so on, with
 * sizes differing by at most 1. Every filter is assigned.
 */
export function blockPartition(options: BaselineOptions): Int32Array {
  checkCounts(options);
  const order = Array.from({ length: options.filters }, (_, i) => i);
  return cut(order, balancedSizes(options.filters, options.parts), options.filters);
}

function cut(order: number[], sizes: number[], filters: number): Int32Array {
  const assignment = new Int32Array(filters);
  let at = 0;
  sizes.forEach((size, p) => {
    for (let t = 0; t < size; t++) assignment[order[at++] as number] = p;
  });
  return assignment;
}

function checkCounts({ filters, parts }: BaselineOptions): void {
  if (parts > filters) throw new PartitionError('E_TOO_MANY_PARTS', `cannot cut ${filters} filters into ${parts} non-empty parts`);
}
