import { type ActivationsInput, normaliseActivations, toActivationMatrix } from './activation-matrix';
import { assignmentFromParts } from './assignment';
import { pearsonFromNormalised, pearsonGraphFromCorrelations, productGraphFromNormalised } from './coactivation-graph';
import { invalidOption } from './errors';
import { type FilterGraph, type GraphKind, totalWeight } from './filter-graph';
import { hubsGraphFromNormalised, resolveHubsGraphOptions } from './hubs-graph';
import { modularity } from './modularity';

/** Modularity of a partition on one graph; `value` is null when the graph has no edge. */
export interface GraphModularity {
  readonly graph: GraphKind;
  /** Weighted Newman modularity at resolution 1; unused filters count as singletons. */
  readonly value: number | null;
}

/** Quality figures of a partition. */
export interface PartitionReport {
  /** Number of parts. */
  readonly parts: number;
  /** Filters in each part. */
  readonly sizes: number[];
  /** Filters assigned to some part. */
  readonly usedFilters: number;
  /** usedFilters / filters. */
  readonly filterFraction: number;
  /**
   * Share of the total activation mass (sum over images of the NoNN-normalised activations) that
   * belongs to used filters; null when every activation is <= 0.
   */
  readonly activationMassFraction: number | null;
  /** Modularity on the graph the partition was built from (baselines: the `graph` option). */
  readonly modularity: GraphModularity;
  /** Modularity on the co-activation graph (the `coactivationGraph` option, Pearson by default). */
  readonly coactivationModularity: GraphModularity;
  /**
   * Mean Pearson correlation over all unordered pairs of distinct filters that share a part
   * (pooled over parts); null when no part has two filters.
   */
  readonly meanIntraCorrelation: number | null;
  /** Balanced partitions: convergence of the eigenvectors the splits were cut on. */
  readonly eigen?: { readonly splits: number; readonly converged: boolean; readonly maxResidual: number };
}

/** @internal Everything the report needs, computed once by the caller. */
export interface ReportContext {
  readonly normalised: Float64Array;
  readonly images: number;
  readonly filters: number;
  readonly correlations: Float64Array;
  readonly graph: FilterGraph;
  readonly coactivation: FilterGraph;
}

/** @internal Report of an assignment (-1 = unused) over `parts` parts. */
export function reportFromContext(context: ReportContext, assignment: Int32Array, parts: number): PartitionReport {
  const { filters, images, normalised, correlations } = context;
  const sizes = new Array<number>(parts).fill(0);
  let used = 0;
  for (let f = 0; f < filters; f++) {
    const c = assignment[f] as number;
    if (c >= 0) {
      sizes[c] = (sizes[c] as number) + 1;
      used++;
    }
  }
  let mass = 0;
  let usedMass = 0;
  for (let f = 0; f < filters; f++) {
    let s = 0;
    for (let i = 0; i < images; i++) s += normalised[f * images + i] as number;
    mass += s;
    if ((assignment[f] as number) >= 0) usedMass += s;
  }
  let pairs = 0;
  let sum = 0;
  for (let i = 0; i < filters; i++) {
    const c = assignment[i] as number;
    if (c < 0) continue;
    for (let j = i + 1; j < filters; j++) {
      if (assignment[j] === c) {
        sum += correlations[i * filters + j] as number;
        pairs++;
      }
    }
  }
  return {
    parts,
    sizes,
    usedFilters: used,
    filterFraction: used / filters,
    activationMassFraction: mass > 0 ? usedMass / mass : null,
    modularity: graphModularity(context.graph, assignment),
    coactivationModularity: graphModularity(context.coactivation, assignment),
    meanIntraCorrelation: pairs > 0 ? sum / pairs : null,
  };
}

function graphModularity(graph: FilterGraph, assignment: Int32Array): GraphModularity {
  return { graph: graph.kind, value: totalWeight(graph) > 0 ? modularity(graph, assignment) : null };
}

/** Options of {@link reportPartition}. */
export interface ReportPartitionOptions {
  /** Graph for the `modularity` figure; default 'pearson'. */
  readonly graph?: GraphKind;
  /** Graph for `coactivationModularity`; default 'pearson'. */
  readonly coactivationGraph?: 'pearson' | 'product';
  /** Hubs-graph top-K when `graph` is 'hubs'; default 50. */
  readonly topK?: number;
  /** Hubs-graph percentile when `graph` is 'hubs'; default 99. */
  readonly percentile?: number;
}

/**
 * Report of an existing partition (e.g. one read back with `parsePartitionJson`) against
 * activations. `parts` are filter lists; filters in no list are unused. Throws the activation
 * errors of `toActivationMatrix` and `E_PARTITION_INVALID` for a filter in two parts.
 */
export function reportPartition(
  activations: ActivationsInput,
  parts: ReadonlyArray<ReadonlyArray<number>>,
  options: ReportPartitionOptions = {},
): PartitionReport {
  const matrix = toActivationMatrix(activations);
  const graphKind = options.graph ?? 'pearson';
  if (!['hubs', 'pearson', 'product'].includes(graphKind)) invalidOption('graph', "'hubs', 'pearson' or 'product'", graphKind);
  const coactivationKind = options.coactivationGraph ?? 'pearson';
  if (!['pearson', 'product'].includes(coactivationKind)) invalidOption('coactivationGraph', "'pearson' or 'product'", coactivationKind);
  const context = buildReportContext(matrix.images, matrix.filters, normaliseActivations(matrix), graphKind, coactivationKind, options);
  return reportFromContext(context, assignmentFromParts(matrix.filters, parts), parts.length);
}

/** @internal Builds the graphs a report needs, each at most once. */
export function buildReportContext(
  images: number,
  filters: number,
  normalised: Float64Array,
  graphKind: GraphKind,
  coactivationKind: 'pearson' | 'product',
  hubs: { topK?: number; percentile?: number },
): ReportContext {
  const correlations = pearsonFromNormalised(normalised, images, filters);
  const pearson = pearsonGraphFromCorrelations(correlations, filters);
  let product: FilterGraph | undefined;
  const productGraph = (): FilterGraph => (product ??= productGraphFromNormalised(normalised, images, filters));
  const graph =
    graphKind === 'hubs'
      ? hubsGraphFromNormalised(normalised, images, filters, resolveHubsGraphOptions(hubs))
      : graphKind === 'product'
        ? productGraph()
        : pearson;
  const coactivation = coactivationKind === 'product' ? productGraph() : pearson;
  return { normalised, images, filters, correlations, graph, coactivation };
}
