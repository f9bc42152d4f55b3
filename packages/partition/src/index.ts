export { PartitionError, type PartitionErrorCode } from './errors';
export { type ActivationMatrix, type ActivationsInput, toActivationMatrix, normaliseActivations } from './activation-matrix';
export {
  ACTIVATIONS_MAGIC,
  DEFAULT_MAX_HEADER_BYTES,
  type ActivationsHeader,
  type DecodedActivations,
  type EncodeActivationsOptions,
  type DecodeActivationsOptions,
  encodeActivations,
  decodeActivations,
} from './activations-file';
export { type FilterGraph, type GraphKind, degrees, totalWeight, edgeCount, assertNonEmptyGraph, filterGraphFromWeights } from './filter-graph';
export {
  DEFAULT_HUBS_TOP_K,
  DEFAULT_HUBS_PERCENTILE,
  type HubsGraphOptions,
  type ResolvedHubsGraphOptions,
  resolveHubsGraphOptions,
  buildHubsGraph,
  percentileOf,
} from './hubs-graph';
export { pearsonCorrelations, buildPearsonGraph, buildProductGraph } from './coactivation-graph';
export { type Assignment, modularity, modularityPairwise } from './modularity';
export { type PartLists, balancedSizes, partsFromAssignment, assignmentFromParts } from './assignment';
export { DEFAULT_LOUVAIN_RESOLUTION, type NonnOptions, type NonnResult, nonnPartition } from './nonn-partition';
export { type SymmetricOperator, type LeadingEigenOptions, type Eigenpair, leadingEigenpair, jacobiEigen } from './leading-eigenvector';
export { type BalancedEigenOptions, type BalancedEigenResult, balancedEigenPartition } from './balanced-eigen';
export { type SwapRefinementOptions, type SwapRefinementResult, refineBySwaps } from './swap-refinement';
export { type BaselineOptions, randomBalancedPartition, blockPartition } from './baselines';
export { type AssignStudentsOptions, assignStudents } from './averaging';
export { type GraphModularity, type PartitionReport, type ReportPartitionOptions, reportPartition } from './report';
export {
  PARTITION_METHODS,
  GRAPH_KINDS,
  type PartitionMethod,
  type PartitionLogger,
  type PartitionOptions,
  type ResolvedPartitionOptions,
  type Partition,
  partitionFilters,
  resolvePartitionOptions,
} from './partition-filters';
export { type PartitionJson, type ToPartitionJsonOptions, toPartitionJson, parsePartitionJson } from './partition-json';
export { type SeededRng, createSeededRng as createRng } from '@wearnet/random';
