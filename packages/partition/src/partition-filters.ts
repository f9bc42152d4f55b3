import { type ActivationsInput, normaliseActivations, toActivationMatrix } from './activation-matrix';
import { partsFromAssignment } from './assignment';
import { assignStudents } from './averaging';
import { balancedEigenPartition, type EigenSummary } from './balanced-eigen';
import { blockPartition, randomBalancedPartition } from './baselines';
import { PartitionError, invalidOption } from './errors';
import type { GraphKind } from './filter-graph';
import { DEFAULT_HUBS_PERCENTILE, DEFAULT_HUBS_TOP_K } from './hubs-graph';
import { DEFAULT_LOUVAIN_RESOLUTION, nonnPartition } from './nonn-partition';
import { type PartitionReport, buildReportContext, reportFromContext } from './report';

/** Partitioning methods. */
export const PARTITION_METHODS = ['nonn', 'nonn-all', 'balanced', 'random', 'blocks'] as const;
/** One of {@link PARTITION_METHODS}. */
export type PartitionMethod = (typeof PARTITION_METHODS)[number];
/** Graph constructions. */
export const GRAPH_KINDS = ['hubs', 'pearson', 'product'] as const;

/** Minimal pino-compatible logger (object first, message second). */
export interface PartitionLogger {
  debug(obj: object, msg?: string): void;
  warn?(obj: object, msg?: string): void;
}

/** Options of {@link partitionFilters}. */
export interface PartitionOptions {
  /** Number of parts M, 1..filters (required). */
  readonly parts: number;
  /** Method; default 'balanced'. */
  readonly method?: PartitionMethod;
  /** Number of students S; default = parts (one student per part). S != M means averaging and needs M <= S/2. */
  readonly students?: number;
  /** Seed of all randomness (Louvain order, Lanczos start, random baseline), integer 0..2^32-1; default 1. */
  readonly seed?: number;
  /** Filter graph to build from; default 'hubs' for nonn/nonn-all, 'pearson' otherwise (baselines: only for the report). */
  readonly graph?: GraphKind;
  /** Co-activation graph of the report's `coactivationModularity`; default 'pearson'. */
  readonly coactivationGraph?: 'pearson' | 'product';
  /** Hubs graph: filters kept per image; default 50. */
  readonly topK?: number;
  /** Hubs graph: edge percentile threshold (0..100); default 99. */
  readonly percentile?: number;
  /** nonn/nonn-all: Louvain resolution; default 0.7. */
  readonly louvainResolution?: number;
  /** balanced: modularity resolution of the eigenvector splits and the refinement; default 1. */
  readonly resolution?: number;
  /** balanced: run the size-preserving swap refinement; default true. */
  readonly refine?: boolean;
  /** balanced: cap on refinement swaps; default = number of filters. */
  readonly maxSwaps?: number;
  /** Optional pino-compatible logger; stage timings go to `debug`. */
  readonly logger?: PartitionLogger;
}

/** Options as used, with defaults filled in; only the fields that apply to the method are present. */
export interface ResolvedPartitionOptions {
  readonly method: PartitionMethod;
  readonly parts: number;
  readonly students: number;
  readonly seed: number;
  readonly graph: GraphKind;
  readonly coactivationGraph: 'pearson' | 'product';
  readonly topK?: number;
  readonly percentile?: number;
  readonly louvainResolution?: number;
  readonly resolution?: number;
  readonly refine?: boolean;
  readonly maxSwaps?: number;
}

/** A partition of the filters with its provenance and report. */
export interface Partition {
  readonly method: PartitionMethod;
  readonly seed: number;
  /** Number of filters. */
  readonly filters: number;
  /** Filter indices of each part, ascending. */
  readonly parts: number[][];
  /** Filters in no part, ascending (empty except for 'nonn'). */
  readonly unused: number[];
  /** Part index trained into each student. */
  readonly students: number[];
  readonly options: ResolvedPartitionOptions;
  readonly report: PartitionReport;
}

/**
 * Resolves {@link PartitionOptions} for a matrix of `filters` filters. Throws `E_OPTION_INVALID`
 * (its `cause` is a RangeError/TypeError naming the option), `E_TOO_MANY_PARTS` (parts >
 * filters) and `E_PARTS_EXCEED_HALF` (averaging with parts > students / 2).
 */
export function resolvePartitionOptions(options: PartitionOptions, filters: number): ResolvedPartitionOptions {
  if (options === null || typeof options !== 'object') invalidOption('options', 'an object', options, 'type');
  const method = options.method ?? 'balanced';
  if (!PARTITION_METHODS.includes(method)) invalidOption('method', PARTITION_METHODS.map((m) => `'${m}'`).join(', '), method);
  const { parts } = options;
  if (typeof parts !== 'number') invalidOption('parts', 'a number', parts, 'type');
  if (!Number.isSafeInteger(parts) || parts < 1) invalidOption('parts', 'an integer >= 1', parts);
  if (parts > filters) throw new PartitionError('E_TOO_MANY_PARTS', `${parts} parts requested but there are only ${filters} filters`);
  const students = options.students ?? parts;
  if (!Number.isSafeInteger(students) || students < 1) invalidOption('students', 'an integer >= 1', students);
  assignStudents({ parts, students });
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) invalidOption('seed', 'an integer in 0..4294967295', seed);
  const isNonn = method === 'nonn' || method === 'nonn-all';
  const graph = options.graph ?? (isNonn ? 'hubs' : 'pearson');
  if (!GRAPH_KINDS.includes(graph)) invalidOption('graph', "'hubs', 'pearson' or 'product'", graph);
  const coactivationGraph = options.coactivationGraph ?? 'pearson';
  if (coactivationGraph !== 'pearson' && coactivationGraph !== 'product') invalidOption('coactivationGraph', "'pearson' or 'product'", coactivationGraph);
  const resolved: ResolvedPartitionOptions = { method, parts, students, seed, graph, coactivationGraph };
  const extra: Record<string, number | boolean> = {};
  if (graph === 'hubs') {
    const topK = options.topK ?? DEFAULT_HUBS_TOP_K;
    const percentile = options.percentile ?? DEFAULT_HUBS_PERCENTILE;
    if (!Number.isSafeInteger(topK) || topK < 2) invalidOption('topK', 'an integer >= 2', topK);
    if (typeof percentile !== 'number' || !(percentile >= 0 && percentile <= 100)) invalidOption('percentile', 'a number in [0, 100]', percentile);
    Object.assign(extra, { topK, percentile });
  }
  if (isNonn) {
    const louvainResolution = options.louvainResolution ?? DEFAULT_LOUVAIN_RESOLUTION;
    if (!isPositive(louvainResolution)) invalidOption('louvainResolution', 'a finite number > 0', louvainResolution);
    extra.louvainResolution = louvainResolution;
  }
  if (method === 'balanced') {
    const resolution = options.resolution ?? 1;
    if (!isPositive(resolution)) invalidOption('resolution', 'a finite number > 0', resolution);
    const refine = options.refine ?? true;
    if (typeof refine !== 'boolean') invalidOption('refine', 'a boolean', refine, 'type');
    const maxSwaps = options.maxSwaps ?? filters;
    if (!Number.isSafeInteger(maxSwaps) || maxSwaps < 0) invalidOption('maxSwaps', 'an integer >= 0', maxSwaps);
    Object.assign(extra, { resolution, refine, maxSwaps });
  }
  return { ...resolved, ...extra };
}

/**
 * Partitions the filters of a final-conv activation matrix (images x filters) into `parts`
 * parts with the chosen method, assigns parts to students and reports the partition's quality.
 * Pure and deterministic for a given seed. Throws `PartitionError` (see the README for codes).
 */
export function partitionFilters(activations: ActivationsInput, options: PartitionOptions): Partition {
  const matrix = toActivationMatrix(activations);
  const o = resolvePartitionOptions(options, matrix.filters);
  const log = options.logger;
  let t = Date.now();
  const lap = (stage: string): void => {
    const now = Date.now();
    log?.debug({ stage, ms: now - t }, 'partition stage done');
    t = now;
  };
  const normalised = normaliseActivations(matrix);
  const context = buildReportContext(matrix.images, matrix.filters, normalised, o.graph, o.coactivationGraph, o);
  lap('graphs');
  let assignment: Int32Array;
  let eigen: EigenSummary | undefined;
  switch (o.method) {
    case 'nonn':
    case 'nonn-all':
      assignment = nonnPartition(context.graph, {
        parts: o.parts,
        seed: o.seed,
        resolution: o.louvainResolution as number,
        assignAll: o.method === 'nonn-all',
      }).assignment;
      break;
    case 'balanced': {
      const result = balancedEigenPartition(context.graph, {
        parts: o.parts,
        seed: o.seed,
        resolution: o.resolution as number,
        refine: o.refine as boolean,
        maxSwaps: o.maxSwaps as number,
      });
      log?.debug({ swaps: result.swaps, refinementConverged: result.refinementConverged, eigen: result.eigen }, 'balanced refinement');
      if (!result.eigen.converged) log?.warn?.({ eigen: result.eigen }, 'a split was cut on an eigenvector that did not meet the solver tolerance');
      assignment = result.assignment;
      eigen = result.eigen;
      break;
    }
    case 'random':
      assignment = randomBalancedPartition({ filters: matrix.filters, parts: o.parts, seed: o.seed });
      break;
    case 'blocks':
      assignment = blockPartition({ filters: matrix.filters, parts: o.parts });
      break;
  }
  lap(o.method);
  const report = { ...reportFromContext(context, assignment, o.parts), ...(eigen !== undefined ? { eigen } : {}) };
  lap('report');
  const { parts, unused } = partsFromAssignment(assignment, o.parts);
  return {
    method: o.method,
    seed: o.seed,
    filters: matrix.filters,
    parts,
    unused,
    students: assignStudents({ parts: o.parts, students: o.students }),
    options: o,
    report,
  };
}

function isPositive(x: unknown): boolean {
  return typeof x === 'number' && Number.isFinite(x) && x > 0;
}
