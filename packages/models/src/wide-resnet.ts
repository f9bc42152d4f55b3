import * as tf from '@tensorflow/tfjs';
import { optionError } from './errors';
import { LayerFactory, type SymbolicTensor } from './layers';

/** Name of the layer whose output is the teacher's final-conv activation map (after BN + ReLU). */
export const FEATURES_LAYER = 'features';

/** Options of {@link buildWideResNet}. */
export interface WideResNetOptions {
  /** Depth n of WRN-n-k: 6N + 4 with N residual blocks per group; 10, 16, 22, 28, 40, ... */
  depth: number;
  /** Widening factor k: group widths 16k, 32k, 64k. */
  widthFactor: number;
  /** Overrides the three group widths (a WRN-style variant); default [16k, 32k, 64k]. */
  widths?: [number, number, number];
  /** Number of classes; default 100. */
  classes?: number;
  /** Dropout between the two convolutions of a block; default 0 (WRN paper: 0.3). */
  dropout?: number;
  /** Seed of the initialisers; default 1. */
  seed?: number;
  /** Model name; default `wrn-<depth>-<k>`. */
  name?: string;
}

/** Resolved {@link WideResNetOptions}. */
export interface WideResNetConfig {
  depth: number;
  widthFactor: number;
  widths: [number, number, number];
  classes: number;
  dropout: number;
  seed: number;
  name: string;
  blocksPerGroup: number;
}

/** Resolves and checks {@link WideResNetOptions}; throws RangeError naming the option. */
export function resolveWideResNet(options: WideResNetOptions): WideResNetConfig {
  const { depth, widthFactor } = options;
  if (!Number.isInteger(depth) || depth < 10 || (depth - 4) % 6 !== 0) {
    throw optionError('depth', `must be 6N + 4 with N >= 1 (10, 16, 22, 28, 40, ...), got ${depth}`);
  }
  if (!Number.isInteger(widthFactor) || widthFactor < 1) throw optionError('widthFactor', `must be an integer >= 1, got ${widthFactor}`);
  const widths = options.widths ?? [16 * widthFactor, 32 * widthFactor, 64 * widthFactor];
  if (widths.length !== 3 || widths.some((w) => !Number.isInteger(w) || w < 1)) throw optionError('widths', 'must be three positive integers');
  const classes = options.classes ?? 100;
  if (!Number.isInteger(classes) || classes < 2) throw optionError('classes', `must be an integer >= 2, got ${classes}`);
  const dropout = options.dropout ?? 0;
  if (!(dropout >= 0 && dropout < 1)) throw optionError('dropout', `must be in [0, 1), got ${dropout}`);
  return {
    depth,
    widthFactor,
    widths: [...widths] as [number, number, number],
    classes,
    dropout,
    seed: options.seed ?? 1,
    name: options.name ?? `wrn-${depth}-${widthFactor}`,
    blocksPerGroup: (depth - 4) / 6,
  };
}

/** Pre-activation wide residual block (Zagoruyko & Komodakis 2016). */
function wideBlock(f: LayerFactory, x: SymbolicTensor, inWidth: number, width: number, stride: number, dropout: number, name: string): SymbolicTensor {
  const pre = f.bnRelu(x, `${name}_pre`);
  let h = f.conv(pre, width, 3, stride, `${name}_conv1`);
  h = f.bnRelu(h, `${name}_mid`);
  h = f.dropout(h, dropout, `${name}_drop`);
  h = f.conv(h, width, 3, 1, `${name}_conv2`);
  const shortcut = inWidth === width && stride === 1 ? x : f.conv(pre, width, 1, stride, `${name}_short`);
  return f.add(h, shortcut, `${name}_add`);
}

/**
 * Builds WRN-depth-k for 32x32x3 inputs: conv3x3 16, three groups of wide blocks (strides 1, 2, 2),
 * BN + ReLU (layer {@link FEATURES_LAYER}, the final-conv activations NoNN partitions), global average
 * pool and a dense layer producing logits (no softmax).
 */
export function buildWideResNet(options: WideResNetOptions): tf.LayersModel {
  const c = resolveWideResNet(options);
  const f = new LayerFactory(c.seed, '');
  const input = tf.input({ shape: [32, 32, 3], name: 'image' });
  let h = f.conv(input, 16, 3, 1, 'stem');
  let inWidth = 16;
  c.widths.forEach((width, g) => {
    for (let b = 0; b < c.blocksPerGroup; b++) {
      const stride = b === 0 && g > 0 ? 2 : 1;
      h = wideBlock(f, h, inWidth, width, stride, c.dropout, `g${g + 1}b${b + 1}`);
      inWidth = width;
    }
  });
  const bn = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, name: 'features_bn' }).apply(h) as SymbolicTensor;
  const features = tf.layers.reLU({ name: FEATURES_LAYER }).apply(bn) as SymbolicTensor;
  const logits = f.dense(f.gap(features, 'pool'), c.classes, 'logits');
  return tf.model({ inputs: input, outputs: logits, name: c.name });
}

/** A model from the same input to the {@link FEATURES_LAYER} output (shares weights). */
export function featuresModel(model: tf.LayersModel): tf.LayersModel {
  const layer = model.getLayer(FEATURES_LAYER);
  return tf.model({ inputs: model.inputs, outputs: layer.output as SymbolicTensor, name: `${model.name}-features` });
}
