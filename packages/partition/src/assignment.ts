import { PartitionError } from './errors';

/** Filter indices of each part (ascending) and the filters no part uses (ascending). */
export interface PartLists {
  readonly parts: number[][];
  readonly unused: number[];
}

/**
 * Sizes of `parts` parts that share `filters` filters as evenly as possible: the first
 * `filters mod parts` parts get one filter more, so any two sizes differ by at most 1.
 */
export function balancedSizes(filters: number, parts: number): number[] {
  const base = Math.floor(filters / parts);
  const extra = filters - base * parts;
  return Array.from({ length: parts }, (_, p) => base + (p < extra ? 1 : 0));
}

/** Turns an assignment (`part index` or -1 per filter) into sorted part lists and the unused filters. */
export function partsFromAssignment(assignment: ArrayLike<number>, parts: number): PartLists {
  const lists: number[][] = Array.from({ length: parts }, () => []);
  const unused: number[] = [];
  for (let f = 0; f < assignment.length; f++) {
    const c = assignment[f] as number;
    if (c === -1) unused.push(f);
    else if (Number.isInteger(c) && c >= 0 && c < parts) (lists[c] as number[]).push(f);
    else throw new PartitionError('E_PARTITION_INVALID', `filter ${f} has part ${c}, expected -1 or 0..${parts - 1}`);
  }
  return { parts: lists, unused };
}

/**
 * Turns part lists into an assignment over `filters` filters (-1 = unused). Throws
 * `E_PARTITION_INVALID` when a filter index is out of range or appears in two parts.
 */
export function assignmentFromParts(filters: number, parts: ReadonlyArray<ReadonlyArray<number>>): Int32Array {
  const assignment = new Int32Array(filters).fill(-1);
  parts.forEach((part, p) => {
    for (const f of part) {
      if (!Number.isInteger(f) || f < 0 || f >= filters) {
        throw new PartitionError('E_PARTITION_INVALID', `part ${p} holds filter ${f}, expected an integer in 0..${filters - 1}`);
      }
      if (assignment[f] !== -1) {
        throw new PartitionError('E_PARTITION_INVALID', `filter ${f} is in part ${assignment[f]} and in part ${p}`);
      }
      assignment[f] = p;
    }
  });
  return assignment;
}
