import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { convGeometry, type ConvGeometry } from './conv-geometry';
import { makeFilled, release, reshaped, runStock, type WasmBackend } from './kernel-context';

/** Largest im2col block the filter gradient materialises at once (bytes); larger batches are chunked. */
export const IM2COL_BLOCK_BYTES = 64 * 1024 * 1024;

/** Which algorithm computes the filter gradient; `auto` picks `patches` for few input taps, else `conv`. */
export type FilterGradStrategy = 'auto' | 'im2col' | 'conv' | 'patches';

/** `auto` uses transposed patches when a filter has at most this many taps (KH*KW*Ci), e.g. a first RGB layer. */
export const PATCHES_MAX_TAPS = 64;

let strategy: FilterGradStrategy = 'auto';

/** Selects the filter-gradient algorithm (tests and benchmarks compare them); default auto. */
export function setFilterGradStrategy(next: FilterGradStrategy): void {
  strategy = next;
}

/**
 * Writes the patches of images [n0, n1) as rows of `out` ([rows, KH*KW*Ci], row = (n, oh, ow)),
 * zero where the window hangs over the padding.
 */
function im2colRows(x: Float32Array, g: ConvGeometry, n0: number, n1: number, out: Float32Array): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const { filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW } = g;
  const top = g.padInfo.top;
  const left = g.padInfo.left;
  const rowLen = KH * KW * C;
  let o = 0;
  for (let n = n0; n < n1; n++) {
    const imageBase = n * H * W * C;
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * SH + kh - top;
          if (ih < 0 || ih >= H) {
            out.fill(0, o, o + KW * C);
            o += KW * C;
            continue;
          }
          const rowBase = imageBase + ih * W * C;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * SW + kw - left;
            if (iw < 0 || iw >= W) {
              out.fill(0, o, o + C);
            } else {
              const src = rowBase + iw * C;
              for (let c = 0; c < C; c++) out[o + c] = x[src + c];
            }
            o += C;
          }
        }
      }
    }
  }
  if (o !== (n1 - n0) * OH * OW * rowLen) throw new Error('im2col row count mismatch');
}

/** dW via im2col blocks and the stock (fast, untransposed) wasm BatchMatMul: dW^T = dy^T . patches. */
function filterGradIm2col(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const { batchSize: N, outHeight: OH, outWidth: OW, outChannels: CO, inChannels: CI } = g;
  const { filterHeight: KH, filterWidth: KW } = g;
  const rowLen = KH * KW * CI;
  const pixels = OH * OW;
  const imagesPerBlock = Math.max(1, Math.min(N, Math.floor(IM2COL_BLOCK_BYTES / (4 * pixels * rowLen))));
  const acc = new Float32Array(CO * rowLen);
  for (let n0 = 0; n0 < N; n0 += imagesPerBlock) {
    const n1 = Math.min(N, n0 + imagesPerBlock);
    const rows = (n1 - n0) * pixels;
    const patches = makeFilled(backend, [1, rows, rowLen], (out) => im2colRows(backend.typedArrayFromHeap(x), g, n0, n1, out));
    const dyBlock = makeFilled(backend, [rows, CO], (out) => {
      out.set(backend.typedArrayFromHeap(dy).subarray(n0 * pixels * CO, n1 * pixels * CO));
    });
    const dyT = runStock('Transpose', backend, { x: dyBlock }, { perm: [1, 0] });
    const part = runStock('BatchMatMul', backend, { a: reshaped(dyT, [1, CO, rows]), b: patches }, { transposeA: false, transposeB: false });
    const values = backend.typedArrayFromHeap(part);
    for (let i = 0; i < acc.length; i++) acc[i] += values[i];
    release(backend, patches, dyBlock, dyT, part);
  }
  // acc is [CO, KH*KW*CI]; the filter layout is [KH, KW, CI, CO].
  return makeFilled(backend, [KH, KW, CI, CO], (out) => {
    for (let co = 0; co < CO; co++) {
      const src = co * rowLen;
      for (let r = 0; r < rowLen; r++) out[r * CO + co] = acc[src + r];
    }
  });
}

/**
 * Writes the transposed patch matrix [KH*KW*Ci, N*OH*OW]: row (kh, kw, ci) holds that tap of every
 * output pixel, so dW = patches^T . dy is one untransposed GEMM whose output is already [KH, KW, Ci, Co].
 */
function transposedPatches(x: Float32Array, g: ConvGeometry, out: Float32Array): void {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const { filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW } = g;
  const top = g.padInfo.top;
  const left = g.padInfo.left;
  let o = 0;
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      for (let c = 0; c < C; c++) {
        for (let n = 0; n < N; n++) {
          for (let oh = 0; oh < OH; oh++) {
            const ih = oh * SH + kh - top;
            if (ih < 0 || ih >= H) {
              out.fill(0, o, o + OW);
              o += OW;
              continue;
            }
            const rowBase = (n * H + ih) * W * C + c;
            for (let ow = 0; ow < OW; ow++) {
              const iw = ow * SW + kw - left;
              out[o++] = iw < 0 || iw >= W ? 0 : x[rowBase + iw * C];
            }
          }
        }
      }
    }
  }
}

/** dW = patches^T [KH*KW*Ci, M] . dy [M, Co] on the stock GEMM: best when the filter has few taps. */
function filterGradPatches(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const { batchSize: N, outHeight: OH, outWidth: OW, outChannels: CO, inChannels: CI } = g;
  const { filterHeight: KH, filterWidth: KW } = g;
  const taps = KH * KW * CI;
  const rows = N * OH * OW;
  const patches = makeFilled(backend, [1, taps, rows], (out) => transposedPatches(backend.typedArrayFromHeap(x), g, out));
  const product = runStock('BatchMatMul', backend, { a: patches, b: reshaped(dy, [1, rows, CO]) }, { transposeA: false, transposeB: false });
  release(backend, patches);
  return reshaped(product, [KH, KW, CI, CO]);
}

/**
 * dW via one dilated convolution of the batch-transposed input with the gradient as filter:
 * conv(x^T [Ci,H,W,N], dy^T [OH,OW,N,Co], dilation = stride) = [Ci, KH', KW', Co].
 */
function filterGradConv(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const { outChannels: CO, inChannels: CI, filterHeight: KH, filterWidth: KW } = g;
  const xT = runStock('Transpose', backend, { x }, { perm: [3, 1, 2, 0] });
  const dyT = runStock('Transpose', backend, { x: dy }, { perm: [1, 2, 0, 3] });
  const p = g.padInfo;
  const conv = runStock(
    'Conv2D',
    backend,
    { x: xT, filter: dyT },
    {
      strides: [1, 1],
      pad: [
        [0, 0],
        [p.top, p.bottom],
        [p.left, p.right],
        [0, 0],
      ] as unknown as number,
      dilations: [g.strideHeight, g.strideWidth],
      dataFormat: 'NHWC',
    },
  );
  const [, KH2, KW2] = conv.shape;
  const out = makeFilled(backend, [KH, KW, CI, CO], (dst) => {
    const src = backend.typedArrayFromHeap(conv);
    for (let ci = 0; ci < CI; ci++)
      for (let kh = 0; kh < KH; kh++)
        for (let kw = 0; kw < KW; kw++) {
          const s = ((ci * KH2 + kh) * KW2 + kw) * CO;
          dst.set(src.subarray(s, s + CO), ((kh * KW + kw) * CI + ci) * CO);
        }
  });
  release(backend, xT, dyT, conv);
  return out;
}

/** `Conv2DBackpropFilter` for the wasm backend, which ships none. */
export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const filterShape = (attrs as NamedAttrMap).filterShape as [number, number, number, number];
    const g = convGeometry(x.shape as [number, number, number, number], filterShape, attrs as NamedAttrMap);
    const wasm = backend as unknown as WasmBackend;
    const chosen = strategy === 'auto' ? (g.filterHeight * g.filterWidth * g.inChannels <= PATCHES_MAX_TAPS ? 'patches' : 'conv') : strategy;
    if (chosen === 'patches') return filterGradPatches(wasm, x, dy, g);
    if (chosen === 'im2col') return filterGradIm2col(wasm, x, dy, g);
    return filterGradConv(wasm, x, dy, g);
  },
};
