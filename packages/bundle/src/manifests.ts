/** How device vectors are fused (docs/BUNDLES.md). */
export type Fusion = 'concat' | 'part-average';

/** Distillation method a bundle set came from. */
export type BundleMethod = 'nonn' | 'averaging' | 'random';

/** `set.json` of a bundle set. */
export interface SetManifest {
  format: 'wearnet-bundle-set';
  version: 1;
  method: BundleMethod;
  /** Number of devices K. */
  devices: number;
  /** Number of parts M. */
  parts: number;
  createdAt: string;
  /** Where the set came from (for exported sets: the distillation run, its test accuracy, teacher and partition); informational. */
  source?: Record<string, unknown>;
}

/** `device-<i>/manifest.json`. */
export interface DeviceManifest {
  format: 'wearnet-device-bundle';
  version: 1;
  deviceIndex: number;
  part: number;
  method: BundleMethod;
  input: { height: number; width: number; channels: number; layout: 'NHWC'; mean: number[]; std: number[] };
  output: { length: number };
  /** Multiply-accumulates per image. */
  macs: number;
  params: number;
  files: { model: string; weights: string };
  sha256: Record<string, string>;
}

/** `aggregator/manifest.json`. */
export interface AggregatorManifest {
  format: 'wearnet-aggregator-bundle';
  version: 1;
  method: BundleMethod;
  devices: number;
  parts: number;
  /** Part of each device's vector, length K. */
  devicePart: number[];
  /** Vector length of each part, length M. */
  partWidths: number[];
  fusion: Fusion;
  classes: number;
  head: { file: string; inputs: number; outputs: number };
  labels?: string[];
  /**
   * What a part none of whose devices delivered becomes: `zero` (the published rule; also when
   * absent) or `mean` (the mean of its devices' {@link meanVectors}).
   */
  missingFill?: 'zero' | 'mean';
  /** Per device, the mean of its vectors over training images (length: its part's width). Required by `missingFill: 'mean'`. */
  meanVectors?: number[][];
  sha256: Record<string, string>;
}

/** Head weights: `fused x weights + bias`, weights row-major `[inputs, outputs]`. */
export interface Head {
  inputs: number;
  outputs: number;
  weights: Float32Array;
  bias: Float32Array;
}
