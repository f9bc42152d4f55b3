import { PartitionError } from './errors';
import { PARTITION_METHODS, type Partition, type PartitionMethod } from './partition-filters';

/** The partition file: a {@link Partition} tagged with its format and version. */
export interface PartitionJson {
  readonly format: 'wearnet-partition';
  readonly version: 1;
  readonly method: PartitionMethod;
  readonly seed: number;
  /** Number of filters. */
  readonly filters: number;
  /** Filter indices of each part, ascending, pairwise disjoint. */
  readonly parts: number[][];
  /** Filters in no part, ascending; parts and unused together hold every filter exactly once. */
  readonly unused: number[];
  /** Part index trained into each student (absent in files that do not say). */
  readonly students?: number[];
  /** Options as resolved by the writer (free-form for readers). */
  readonly options: Record<string, unknown>;
  /** Quality report as written (free-form for readers). */
  readonly report: Record<string, unknown>;
  /** Optional provenance of the input (e.g. activations file path and sha256); free-form. */
  readonly source?: Record<string, unknown>;
}

/** Options of {@link toPartitionJson}. */
export interface ToPartitionJsonOptions {
  /** Provenance written as the top-level `source` field (e.g. `{ activations, sha256 }`). */
  readonly source?: Record<string, unknown>;
}

/**
 * Serialises a partition to the partition JSON text (format "wearnet-partition", version 1):
 * two-space indented, each part on one line, with an optional `source` provenance object.
 * Ends with a newline.
 */
export function toPartitionJson(partition: Partition, options: ToPartitionJsonOptions = {}): string {
  const doc: PartitionJson = {
    format: 'wearnet-partition',
    version: 1,
    method: partition.method,
    seed: partition.seed,
    filters: partition.filters,
    parts: partition.parts,
    unused: partition.unused,
    students: partition.students,
    options: { ...partition.options },
    report: { ...partition.report },
    ...(options.source === undefined ? {} : { source: options.source }),
  };
  const lines = Object.entries(doc).map(([key, value]) => {
    if (key === 'parts') {
      const inner = (value as number[][]).map((p) => `    ${JSON.stringify(p)}`).join(',\n');
      return `  "parts": [\n${inner}\n  ]`;
    }
    return `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`;
  });
  return `{\n${lines.join(',\n')}\n}\n`;
}

/**
 * Parses and validates partition JSON (text or an already parsed value). Throws
 * `E_PARTITION_INVALID` naming the first problem: wrong format/version, unknown method, a filter
 * index out of range, unsorted or overlapping parts, filters missing from parts and unused, or a
 * student pointing at a missing part.
 */
export function parsePartitionJson(input: string | unknown): PartitionJson {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (cause) {
      throw new PartitionError('E_PARTITION_INVALID', 'partition file is not valid JSON', { cause });
    }
  }
  const fail = (message: string): never => {
    throw new PartitionError('E_PARTITION_INVALID', `partition file: ${message}`);
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('not a JSON object');
  const doc = value as Record<string, unknown>;
  if (doc.format !== 'wearnet-partition') fail(`format must be "wearnet-partition", got ${JSON.stringify(doc.format)}`);
  if (doc.version !== 1) fail(`version must be 1, got ${JSON.stringify(doc.version)}`);
  if (typeof doc.method !== 'string' || !(PARTITION_METHODS as readonly string[]).includes(doc.method)) {
    fail(`method must be one of ${PARTITION_METHODS.join(', ')}, got ${JSON.stringify(doc.method)}`);
  }
  if (typeof doc.seed !== 'number' || !Number.isSafeInteger(doc.seed)) fail('seed must be an integer');
  const filters = doc.filters;
  if (typeof filters !== 'number' || !Number.isSafeInteger(filters) || filters < 1) fail('filters must be an integer >= 1');
  const n = filters as number;
  const seen = new Int32Array(n).fill(-2);
  const indexList = (list: unknown, name: string, owner: number): number[] => {
    if (!Array.isArray(list)) fail(`${name} must be an array of filter indices`);
    const items = list as unknown[];
    items.forEach((f, at) => {
      if (typeof f !== 'number' || !Number.isInteger(f) || f < 0 || f >= n) fail(`${name}[${at}] = ${JSON.stringify(f)} is not a filter index in 0..${n - 1}`);
      if (at > 0 && (f as number) <= (items[at - 1] as number)) fail(`${name} must be strictly ascending`);
      const prior = seen[f as number] as number;
      if (prior !== -2) fail(`filter ${String(f)} appears twice (${prior === -1 ? 'unused' : `parts[${prior}]`} and ${name})`);
      seen[f as number] = owner;
    });
    return items as number[];
  };
  if (!Array.isArray(doc.parts) || doc.parts.length === 0) fail('parts must be a non-empty array');
  const parts = (doc.parts as unknown[]).map((p, i) => {
    const list = indexList(p, `parts[${i}]`, i);
    if (list.length === 0) fail(`parts[${i}] is empty`);
    return list;
  });
  const unused = indexList(doc.unused ?? [], 'unused', -1);
  const missing = seen.indexOf(-2);
  if (missing >= 0) fail(`filter ${missing} is neither in a part nor unused`);
  let students: number[] | undefined;
  if (doc.students !== undefined) {
    if (!Array.isArray(doc.students) || doc.students.length === 0) fail('students must be a non-empty array of part indices');
    students = (doc.students as unknown[]).map((p, i) => {
      if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p >= parts.length) fail(`students[${i}] = ${JSON.stringify(p)} is not a part index`);
      return p as number;
    });
  }
  const record = (x: unknown, name: string): Record<string, unknown> => {
    if (x === undefined) return {};
    if (x === null || typeof x !== 'object' || Array.isArray(x)) fail(`${name} must be an object`);
    return x as Record<string, unknown>;
  };
  return {
    format: 'wearnet-partition',
    version: 1,
    method: doc.method as PartitionMethod,
    seed: doc.seed as number,
    filters: n,
    parts,
    unused,
    ...(students === undefined ? {} : { students }),
    options: record(doc.options, 'options'),
    report: record(doc.report, 'report'),
    ...(doc.source === undefined ? {} : { source: record(doc.source, 'source') }),
  };
}
