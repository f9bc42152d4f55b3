import type * as tf from '@tensorflow/tfjs';
import { ModnnError } from './errors';
import { validateGraph, type GraphNode, type SpatialGraph } from './graph';

/** One weight array of a layer: its shape and float32 values (row-major, tfjs layout). */
export interface WeightArray {
  shape: number[];
  values: Float32Array;
}

/**
 * Weights of a graph by node name, then by role: conv `kernel` `[k, k, in, out]` and `bias`;
 * batchnorm `gamma`, `beta`, `movingMean`, `movingVariance` (and `epsilon` in {@link GraphWeights.epsilon});
 * dense `kernel` `[in, units]` and `bias`.
 */
export interface GraphWeights {
  arrays: Record<string, Record<string, WeightArray>>;
  /** Epsilon of every batchnorm node. */
  epsilon: Record<string, number>;
}

const ROLE: Record<string, string> = {
  kernel: 'kernel',
  bias: 'bias',
  gamma: 'gamma',
  beta: 'beta',
  moving_mean: 'movingMean',
  moving_variance: 'movingVariance',
};

type Shape = (number | null)[];

/**
 * Reads a tfjs LayersModel (such as `buildWideResNet` from `@wearnet/models`, or a loaded teacher)
 * into the planner's graph and its weights. Handles InputLayer, Conv2D (`same`, no dilation, linear),
 * BatchNormalization (last axis), ReLU / Activation('relu'), Add, GlobalAveragePooling2D, Dense
 * (linear) and Dropout (skipped: the identity at inference).
 * @throws ModnnError `E_GRAPH_UNSUPPORTED` naming the layer.
 */
export function graphFromModel(model: tf.LayersModel): { graph: SpatialGraph; weights: GraphWeights } {
  const nodes: GraphNode[] = [];
  const alias = new Map<string, string>();
  const weights: GraphWeights = { arrays: {}, epsilon: {} };
  const unsupported = (layer: tf.layers.Layer, why: string): never => {
    throw new ModnnError('E_GRAPH_UNSUPPORTED', `layer ${layer.name} (${layer.getClassName()}): ${why}`);
  };
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    const config = layer.getConfig() as Record<string, unknown>;
    const inbound = layer.inboundNodes[0]?.inboundLayers.map((l) => alias.get(l.name) ?? l.name) ?? [];
    const out = layer.outputShape as Shape;
    const shape = out.slice(1).map((d) => d ?? 0);
    if (cls === 'Dropout') {
      alias.set(layer.name, inbound[0]);
      continue;
    }
    const arrays: Record<string, WeightArray> = {};
    for (const w of layer.weights) {
      const role = ROLE[w.originalName.split('/').pop() ?? ''] ?? unsupported(layer, `unknown weight ${w.originalName}`);
      arrays[role] = { shape: [...w.shape] as number[], values: new Float32Array(w.read().dataSync() as Float32Array) };
    }
    if (Object.keys(arrays).length > 0) weights.arrays[layer.name] = arrays;
    const linear = config.activation === undefined || config.activation === 'linear';
    if (cls === 'InputLayer') {
      nodes.push({ name: layer.name, op: 'input', inputs: [], shape });
    } else if (cls === 'Conv2D') {
      const [kh, kw] = config.kernelSize as number[];
      const [sh, sw] = config.strides as number[];
      const dilation = config.dilationRate as number[] | number;
      if (kh !== kw || sh !== sw) unsupported(layer, 'needs a square kernel and equal strides');
      if (config.padding !== 'same') unsupported(layer, `needs padding 'same', has '${String(config.padding)}'`);
      if ((Array.isArray(dilation) ? dilation : [dilation]).some((d) => d !== 1)) unsupported(layer, 'dilation is not supported');
      if (!linear) unsupported(layer, 'a fused activation is not supported');
      if (config.dataFormat !== undefined && config.dataFormat !== 'channelsLast') unsupported(layer, 'needs channelsLast');
      nodes.push({ name: layer.name, op: 'conv', inputs: inbound, shape, kernel: kh, stride: sh, useBias: config.useBias === true });
    } else if (cls === 'BatchNormalization') {
      const axis = config.axis as number;
      if (axis !== -1 && axis !== 3) unsupported(layer, 'needs the channel axis');
      if (!arrays.gamma || !arrays.beta) unsupported(layer, 'needs center and scale');
      weights.epsilon[layer.name] = config.epsilon as number;
      nodes.push({ name: layer.name, op: 'batchnorm', inputs: inbound, shape });
    } else if (cls === 'ReLU' || (cls === 'Activation' && config.activation === 'relu')) {
      if (cls === 'ReLU' && (config.maxValue != null || (config.negativeSlope ?? 0) !== 0 || (config.threshold ?? 0) !== 0))
        unsupported(layer, 'only a plain ReLU');
      nodes.push({ name: layer.name, op: 'relu', inputs: inbound, shape });
    } else if (cls === 'Add') {
      nodes.push({ name: layer.name, op: 'add', inputs: inbound, shape });
    } else if (cls === 'GlobalAveragePooling2D') {
      nodes.push({ name: layer.name, op: 'gap', inputs: inbound, shape });
    } else if (cls === 'Dense') {
      if (!linear) unsupported(layer, 'a fused activation is not supported');
      nodes.push({ name: layer.name, op: 'dense', inputs: inbound, shape, useBias: config.useBias !== false });
    } else {
      unsupported(layer, 'layer type not supported by the row-band split');
    }
  }
  return { graph: validateGraph({ name: model.name, nodes }), weights };
}
