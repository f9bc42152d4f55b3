import { readAggregatorBundle } from '@wearnet/bundle';
import { loadDatasetSlice } from '@wearnet/workload';
import { Aggregator } from './aggregator';
import { AggregatorError } from './errors';
import type { AggregatorHandle } from './handle';
import { resolveAggregatorOptions, type AggregatorOptions } from './options';

/**
 * Starts the aggregator (hub): connects to the medium, authenticates devices, drives the workload,
 * fuses what arrives by each deadline as the bundle says, classifies, and writes one JSON line
 * per request to `<outDir>/requests.jsonl` and the summary to `<outDir>/summary.json`.
 */
export async function startAggregator(options: AggregatorOptions): Promise<AggregatorHandle> {
  const config = resolveAggregatorOptions(options);
  const bundle = await readAggregatorBundle(config.bundleDir);
  for (const [i, d] of config.devices.entries()) {
    if (d.deviceIndex >= bundle.manifest.devices) {
      throw new AggregatorError(
        'E_BUNDLE_MISMATCH',
        `devices[${i}].deviceIndex ${d.deviceIndex} is outside the bundle set of ${bundle.manifest.devices} devices`,
      );
    }
  }
  const slice = await loadDatasetSlice(config.workload.dataset);
  const aggregator = new Aggregator(config, bundle, slice);
  await aggregator.start();
  return aggregator.handle();
}
