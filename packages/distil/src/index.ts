export { DistilError, optionError } from './errors';
export type { DistilErrorCode } from './errors';
export { checkLayout, fuse } from './fusion';
export type { FusionLayout } from './fusion';
export type { Fusion } from '@wearnet/bundle';
export { DistilTask, DEFAULT_DISTIL_LOSS, DISTIL_TASK_MODULE, attentionMap } from './distil-task';
export type { DistilLoss, DistilTaskSpec, StudentSpec } from './distil-task';
export { buildTeacherTargets, loadRunTargets, readTargetsManifest } from './teacher-targets';
export type { BuildTargetsOptions, LoadTargetsOptions, RunTargets, TargetsManifest } from './teacher-targets';
export { probeTeacher } from './probe';
export type { ProbeOptions } from './probe';
export { allFailureSets, binomial, subsetsOfSize, MAX_FAILURE_SETS } from '@wearnet/faults';
export {
  availabilityMarkdown,
  DEFAULT_AVAILABILITIES,
  deviceVectors,
  evaluateFailures,
  expectedAccuracy,
  failureTableMarkdown,
  meanVectors,
} from './evaluate-failures';
export type { EvaluateFailuresOptions, FailureRow, FailureTable, LabelledSource, MissingFill } from './evaluate-failures';
export { exportBundles } from './export-bundles';
export type { ExportOptions, ExportResult } from './export-bundles';
export { DISTIL_PRESETS, layoutFor, loadDistilled, readDistilManifest, runDistillation } from './distil';
export type { DistilManifest, DistilMethod, DistilPreset, DistillationOptions } from './distil';
