export type { SetManifest, DeviceManifest, AggregatorManifest, Head, Fusion, BundleMethod } from './manifests';
export { validateSetManifest, validateDeviceManifest, validateAggregatorManifest } from './validate-manifest';
export {
  SET_FILE,
  MANIFEST_FILE,
  AGGREGATOR_DIR,
  deviceDir,
  sha256Of,
  readSetManifest,
  readDeviceManifest,
  readAggregatorBundle,
  readBundleSet,
  writeSetManifest,
  writeDeviceManifest,
  writeAggregatorBundle,
} from './files';
export type { AggregatorBundle, BundleSet } from './files';
export { verifyDeviceFiles } from './verify-files';
export type { BundleFileProblem } from './verify-files';
export { fuseVectors, classify } from './fusion';
export { failureSetAccuracies } from './failure-set-accuracies';
export { bundleMethodLabel } from './method-label';
export type { FailureSetAccuracyOptions } from './failure-set-accuracies';
export { writeRandomBundleSet } from './random-bundle-set';
export type { RandomBundleSetOptions, RandomBundleSetResult } from './random-bundle-set';
export { BundleError } from './errors';
export type { BundleErrorCode } from './errors';
