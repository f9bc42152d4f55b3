export { loadDatasetSlice } from './dataset-slice';
export type { DatasetSpec, DatasetSlice } from './dataset-slice';
export { sampleOrder, openLoopStarts } from './schedule';
export type { Arrival, SampleOrderOptions } from './schedule';
export type { WorkloadErrorCode } from './errors';
