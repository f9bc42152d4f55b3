import { backend_util, type NamedAttrMap } from '@tensorflow/tfjs-core';
import { RuntimeError } from '../errors';

/** Geometry of an NHWC 2-D convolution, as the gradient kernels need it. */
export type ConvGeometry = backend_util.Conv2DInfo;

/** Resolves the attributes of a Conv2D gradient kernel to its geometry; only NHWC, dilation 1. */
export function convGeometry(inputShape: [number, number, number, number], filterShape: [number, number, number, number], attrs: NamedAttrMap): ConvGeometry {
  const dataFormat = (attrs.dataFormat as string | undefined) ?? 'NHWC';
  if (dataFormat !== 'NHWC') {
    throw new RuntimeError('E_KERNEL_UNSUPPORTED', `wasm conv gradients support NHWC only, got ${dataFormat}`);
  }
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filterShape,
    attrs.strides as [number, number] | number,
    1,
    attrs.pad as 'valid' | 'same' | number,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
    false,
    'channelsLast',
  );
  return info;
}
