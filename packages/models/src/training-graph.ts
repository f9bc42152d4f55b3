import * as tf from '@tensorflow/tfjs';
import { ModelError } from './errors';

type Layer = tf.layers.Layer;
type Step = (values: Map<string, tf.Tensor>) => void;

/** Layer classes {@link trainingGraph} runs; others make it refuse the model. */
export const TRAINING_GRAPH_LAYERS = ['InputLayer', 'Conv2D', 'BatchNormalization', 'ReLU', 'Add', 'GlobalAveragePooling2D'] as const;

function inputsOf(layer: Layer): string[] {
  const node = layer.inboundNodes[0];
  return node === undefined ? [] : node.inboundLayers.map((l) => l.name);
}

function variable(w: tf.LayerVariable): tf.Variable {
  return w.read() as tf.Variable;
}

/**
 * The training-mode forward pass of a convolutional Layers model (the students: conv, batch norm,
 * ReLU, add, global average pooling) with the model's own variables, run as plain ops without the
 * Layers machinery: each convolution as `tf.conv2d`, whose input gradient the tape skips where
 * nothing needs it (at the image; the fused op of tfjs-layers always computes it), each batch norm
 * as `moments` + `batchNorm`. Moving statistics are updated as tfjs-layers does
 * (`moving -= (moving - batch) * (1 - momentum)`).
 * (A hand-written one-pass batch norm + ReLU in JavaScript was tried and measured slower than
 * these wasm kernels; see docs/BENCHMARKS.md.)
 * Returns a function from an image batch to the model's outputs, in order.
 * @throws ModelError `E_MODEL_UNSUPPORTED` for a layer class outside {@link TRAINING_GRAPH_LAYERS}.
 */
export function trainingGraph(model: tf.LayersModel): (x: tf.Tensor4D) => tf.Tensor[] {
  const consumers = new Map<string, string[]>();
  for (const layer of model.layers) for (const i of inputsOf(layer)) consumers.set(i, [...(consumers.get(i) ?? []), layer.name]);
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const fused = new Set<string>();
  const steps: Step[] = [];
  for (const layer of model.layers) {
    if (fused.has(layer.name)) continue;
    const cls = layer.getClassName();
    const ins = inputsOf(layer);
    const name = layer.name;
    const cfg = layer.getConfig() as Record<string, unknown>;
    switch (cls) {
      case 'InputLayer':
        break;
      case 'Conv2D': {
        const [kernel, bias] = layer.trainableWeights.map(variable);
        const strides = cfg.strides as [number, number];
        const padding = cfg.padding as 'same' | 'valid';
        if ((cfg.dilationRate as number[]).some((d) => d !== 1) || cfg.activation !== 'linear')
          throw unsupported(model, layer, 'dilation or a fused activation');
        steps.push((v) => {
          const y = tf.conv2d(v.get(ins[0]) as tf.Tensor4D, kernel as tf.Tensor4D, strides, padding);
          v.set(name, bias === undefined ? y : tf.add(y, bias));
        });
        break;
      }
      case 'BatchNormalization': {
        if (cfg.center !== true || cfg.scale !== true || ![-1, 3].includes(cfg.axis as number))
          throw unsupported(model, layer, 'a batch norm without centre and scale or not over channels');
        const [gamma, beta] = layer.trainableWeights.map(variable);
        const [movingMean, movingVariance] = layer.nonTrainableWeights.map(variable);
        const next = consumers.get(name) ?? [];
        const relu = next.length === 1 && byName.get(next[0])?.getClassName() === 'ReLU' ? next[0] : undefined;
        if (relu !== undefined) fused.add(relu);
        const epsilon = cfg.epsilon as number;
        const decay = 1 - (cfg.momentum as number);
        steps.push((v) => {
          const r = batchNormOps(v.get(ins[0]) as tf.Tensor4D, gamma as tf.Tensor1D, beta as tf.Tensor1D, { epsilon, relu: relu !== undefined });
          v.set(name, r.y);
          if (relu !== undefined) v.set(relu, r.y);
          tf.tidy(() => {
            movingMean.assign(tf.sub(movingMean, tf.mul(tf.sub(movingMean, r.mean), decay)));
            movingVariance.assign(tf.sub(movingVariance, tf.mul(tf.sub(movingVariance, r.variance), decay)));
          });
          r.mean.dispose();
          r.variance.dispose();
        });
        break;
      }
      case 'ReLU':
        steps.push((v) => v.set(name, tf.relu(v.get(ins[0]) as tf.Tensor)));
        break;
      case 'Add':
        steps.push((v) => v.set(name, tf.addN(ins.map((i) => v.get(i) as tf.Tensor))));
        break;
      case 'GlobalAveragePooling2D':
        steps.push((v) => v.set(name, tf.mean(v.get(ins[0]) as tf.Tensor, [1, 2])));
        break;
      default:
        throw unsupported(model, layer, `class ${cls}`);
    }
  }
  const inputName = model.inputLayers[0].name;
  const outputNames = model.outputLayers.map((l) => l.name);
  return (x) => {
    const values = new Map<string, tf.Tensor>([[inputName, x]]);
    for (const step of steps) step(values);
    return outputNames.map((n) => values.get(n) as tf.Tensor);
  };
}

/** Training-mode batch norm as tfjs-layers computes it (`moments`, biased variance), then ReLU if asked. */
function batchNormOps(
  x: tf.Tensor4D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  o: { epsilon: number; relu: boolean },
): { y: tf.Tensor4D; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  const n = tf.batchNorm(x, mean, variance, beta, gamma, o.epsilon);
  return { y: (o.relu ? tf.relu(n) : n) as tf.Tensor4D, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}

function unsupported(model: tf.LayersModel, layer: Layer, what: string): ModelError {
  return new ModelError('E_MODEL_UNSUPPORTED', `${model.name}: layer ${layer.name} has ${what}, which the training graph does not run`);
}
