export { DataError, type DataErrorCode, type DataErrorDetails, type OptionError } from './errors';
export {
  CIFAR100_FILES,
  CHANNEL_PIXELS,
  COARSE_CLASSES,
  FINE_CLASSES,
  IMAGE_BYTES,
  IMAGE_CHANNELS,
  IMAGE_SIDE,
  RECORD_BYTES,
  TEST_RECORDS,
  TRAIN_RECORDS,
  type Split,
} from './layout';
export { resolveDataDir, type ResolveDataDirOptions } from './data-dir';
export { parseLabelNames } from './label-names';
export { checkRecordFileSize, loadCifar100, loadCifar100Sync, type Cifar100Split, type LoadCifar100Options } from './load-cifar100';
export { scanRecordFile, type RecordFileScan, type ScanRecordFileOptions } from './scan-records';
export {
  CIFAR100_MEAN,
  CIFAR100_STD,
  batchToBytes,
  denormaliseToByte,
  normalisationTable,
  normaliseByte,
  type BatchToBytesOptions,
  type NormalisationOptions,
  type PerChannel,
} from './normalise';
export {
  fillBatch,
  fillLabels,
  fillOneHot,
  type AugmentOptions,
  type FixedAugment,
  type FillBatchOptions,
  type FillLabelsOptions,
  type FillOneHotOptions,
  type ImageSource,
  type LabelSource,
} from './fill-batch';
export { augmentationViews, type AugmentationViewsOptions } from './augmentation-views';
export { MAX_SEED, createRng, createRngFromState, shuffledIndices, type Rng } from '@wearnet/random';
export {
  SHIPPED_TEST_SUBSET_FILE,
  SHIPPED_TEST_SUBSET_RECORDS,
  loadShippedTestSubset,
  loadShippedTestSubsetSync,
  shippedSubsetDir,
  type LoadShippedOptions,
} from './shipped-subset';
export { writeSubset, type ManifestFile, type SubsetManifest, type WriteSubsetOptions } from './write-subset';
export { downloadToFile, type DownloadOptions, type DownloadResult } from './download';
export { extractTarGz, type ExtractTarGzOptions, type ExtractedFile } from './untar';
export {
  CIFAR100_ARCHIVE_MD5,
  CIFAR100_ARCHIVE_URL,
  DEFAULT_FETCH_TIMEOUT_MS,
  fetchCifar100,
  type DataLogger,
  type FetchCifar100Options,
  type FetchCifar100Result,
} from './fetch-cifar100';
