import type * as tf from '@tensorflow/tfjs';

/** Cost of a model for one image. */
export interface ModelCost {
  /** Multiply-accumulates of convolutions and dense layers for one input (element-wise ops not counted). */
  macs: number;
  /** Parameters, trainable and not (batch-norm statistics included). */
  params: number;
  /** Trainable parameters. */
  trainableParams: number;
}

type Shape = (number | null)[];

function single(shape: Shape | Shape[]): Shape {
  return Array.isArray(shape[0]) ? (shape[0] as Shape) : (shape as Shape);
}

/** Counts MACs and parameters of a LayersModel, layer by layer (conv, depthwise conv, dense). */
export function countModel(model: tf.LayersModel): ModelCost {
  let macs = 0;
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls !== 'Conv2D' && cls !== 'DepthwiseConv2D' && cls !== 'Dense') continue;
    const inShape = single(layer.inputSpec?.[0]?.shape ?? (layer.input as { shape: Shape }).shape);
    const outShape = single(layer.outputShape as Shape | Shape[]);
    const config = layer.getConfig() as { kernelSize?: number[]; depthMultiplier?: number; units?: number };
    const inChannels = inShape[inShape.length - 1] ?? 0;
    if (cls === 'Dense') {
      macs += inChannels * (config.units ?? 0);
      continue;
    }
    const [kh, kw] = config.kernelSize ?? [1, 1];
    const outPixels = (outShape[1] ?? 0) * (outShape[2] ?? 0);
    const outChannels = outShape[3] ?? 0;
    macs += cls === 'Conv2D' ? outPixels * kh * kw * inChannels * outChannels : outPixels * kh * kw * outChannels;
  }
  let params = 0;
  let trainableParams = 0;
  for (const w of model.weights) {
    const n = w.shape.reduce((a: number, b: number | null) => a * (b ?? 0), 1);
    params += n;
    if (w.trainable) trainableParams += n;
  }
  return { macs, params, trainableParams };
}
