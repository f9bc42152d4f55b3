import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { convGeometry, type ConvGeometry } from './conv-geometry';
import { makeFilled, release, runStock, type WasmBackend } from './kernel-context';

/** One stride phase along one axis: which taps, where the conv output starts, how many rows. */
interface AxisPhase {
  /** Phase r: output rows i with (i + pad) mod stride = r. */
  r: number;
  /** Taps of the sub-kernel: k = r + stride * t, t < taps. */
  taps: number;
  /** First q = (i + pad - r) / stride with 0 <= i; `count` rows follow. */
  q0: number;
  count: number;
  /** Explicit padding of the stride-1 correlation and the row of its output that holds q0. */
  padBefore: number;
  padAfter: number;
  firstRow: number;
}

function axisPhase(r: number, kernel: number, stride: number, pad: number, inLen: number, outLen: number): AxisPhase {
  const taps = r < kernel ? Math.ceil((kernel - r) / stride) : 0;
  const q0 = Math.max(0, Math.ceil((pad - r) / stride));
  const q1 = Math.floor((inLen - 1 + pad - r) / stride);
  const count = Math.max(0, q1 - q0 + 1);
  const padBefore = Math.max(0, taps - 1 - q0);
  const firstRow = q0 - (taps - 1) + padBefore;
  const padAfter = Math.max(0, firstRow + count - outLen - padBefore + taps - 1);
  return { r, taps, q0, count, padBefore, padAfter, firstRow };
}

/**
 * The sub-kernel of phase (ph, pw) as a correlation filter [TH, TW, Co, Ci]:
 * f[u, v, co, ci] = w[rh + s*(TH-1-u), rw + s*(TW-1-v), ci, co].
 */
function subKernel(w: Float32Array, g: ConvGeometry, ph: AxisPhase, pw: AxisPhase, out: Float32Array): void {
  const { filterWidth: KW, inChannels: CI, outChannels: CO, strideHeight: SH, strideWidth: SW } = g;
  let o = 0;
  for (let u = 0; u < ph.taps; u++) {
    const kh = ph.r + SH * (ph.taps - 1 - u);
    for (let v = 0; v < pw.taps; v++) {
      const kw = pw.r + SW * (pw.taps - 1 - v);
      const base = (kh * KW + kw) * CI * CO;
      for (let co = 0; co < CO; co++) for (let ci = 0; ci < CI; ci++) out[o++] = w[base + ci * CO + co];
    }
  }
}

/**
 * `Conv2DBackpropInput` for wasm as stride-1 forward convolutions (the backend's fast kernel):
 * one per stride phase, with the matching sub-kernel; the phases interleave into dx.
 * Same multiply count as the forward convolution, no zero-inserted gradient.
 */
function backpropInput(backend: WasmBackend, dy: TensorInfo, filter: TensorInfo, g: ConvGeometry): TensorInfo {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: CI, outChannels: CO } = g;
  const { strideHeight: SH, strideWidth: SW, outHeight: OH, outWidth: OW } = g;
  const rowsPhases: AxisPhase[] = [];
  const colsPhases: AxisPhase[] = [];
  for (let r = 0; r < SH; r++) rowsPhases.push(axisPhase(r, g.filterHeight, SH, g.padInfo.top, H, OH));
  for (let r = 0; r < SW; r++) colsPhases.push(axisPhase(r, g.filterWidth, SW, g.padInfo.left, W, OW));

  const single = SH === 1 && SW === 1;
  const dx = single ? undefined : makeFilled(backend, [N, H, W, CI], (out) => out.fill(0));
  for (const ph of rowsPhases) {
    for (const pw of colsPhases) {
      if (ph.taps === 0 || pw.taps === 0 || ph.count === 0 || pw.count === 0) continue;
      const sub = makeFilled(backend, [ph.taps, pw.taps, CO, CI], (out) => subKernel(backend.typedArrayFromHeap(filter), g, ph, pw, out));
      const conv = runStock(
        'Conv2D',
        backend,
        { x: dy, filter: sub },
        {
          strides: [1, 1],
          pad: [
            [0, 0],
            [ph.padBefore, ph.padAfter],
            [pw.padBefore, pw.padAfter],
            [0, 0],
          ] as unknown as number,
          dilations: [1, 1],
          dataFormat: 'NHWC',
        },
      );
      release(backend, sub);
      const [, CH, CW] = conv.shape;
      if (single && ph.firstRow === 0 && pw.firstRow === 0 && CH === H && CW === W) return conv;
      const target = dx ?? makeFilled(backend, [N, H, W, CI], (out) => out.fill(0));
      const src = backend.typedArrayFromHeap(conv);
      const dst = backend.typedArrayFromHeap(target);
      for (let n = 0; n < N; n++) {
        for (let a = 0; a < ph.count; a++) {
          const i = (ph.q0 + a) * SH + ph.r - g.padInfo.top;
          const srcRow = ((n * CH + ph.firstRow + a) * CW + pw.firstRow) * CI;
          const dstRow = (n * H + i) * W * CI;
          for (let b = 0; b < pw.count; b++) {
            const j = (pw.q0 + b) * SW + pw.r - g.padInfo.left;
            const s = srcRow + b * CI;
            const d = dstRow + j * CI;
            for (let c = 0; c < CI; c++) dst[d + c] = src[s + c];
          }
        }
      }
      release(backend, conv);
      if (single) return target;
    }
  }
  if (dx === undefined) return makeFilled(backend, [N, H, W, CI], (out) => out.fill(0));
  return dx;
}

/** Inputs with at most this many filter taps (KH*KW*Ci) take the GEMM + col2im path (few output channels). */
export const COL2IM_MAX_TAPS = 64;

/**
 * dx for filters with few taps: columns = dy [M, Co] . W^T [Co, KH*KW*Ci] on the stock GEMM, then
 * each column scatter-adds into its input pixel (col2im); a convolution with 3 output channels is slow.
 */
function backpropInputCol2im(backend: WasmBackend, dy: TensorInfo, filter: TensorInfo, g: ConvGeometry): TensorInfo {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: CI, outChannels: CO, outHeight: OH, outWidth: OW } = g;
  const { filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW } = g;
  const taps = KH * KW * CI;
  const rows = N * OH * OW;
  const wt = makeFilled(backend, [1, CO, taps], (out) => {
    const w = backend.typedArrayFromHeap(filter);
    for (let t = 0; t < taps; t++) for (let co = 0; co < CO; co++) out[co * taps + t] = w[t * CO + co];
  });
  const cols = runStock(
    'BatchMatMul',
    backend,
    { a: { dataId: dy.dataId, shape: [1, rows, CO], dtype: 'float32' }, b: wt },
    { transposeA: false, transposeB: false },
  );
  release(backend, wt);
  const dx = makeFilled(backend, [N, H, W, CI], (out) => {
    out.fill(0);
    const src = backend.typedArrayFromHeap(cols);
    const top = g.padInfo.top;
    const left = g.padInfo.left;
    let m = 0;
    for (let n = 0; n < N; n++) {
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++, m++) {
          let t = m * taps;
          for (let kh = 0; kh < KH; kh++) {
            const ih = oh * SH + kh - top;
            if (ih < 0 || ih >= H) {
              t += KW * CI;
              continue;
            }
            for (let kw = 0; kw < KW; kw++) {
              const iw = ow * SW + kw - left;
              if (iw >= 0 && iw < W) {
                const d = ((n * H + ih) * W + iw) * CI;
                for (let c = 0; c < CI; c++) out[d + c] += src[t + c];
              }
              t += CI;
            }
          }
        }
      }
    }
  });
  release(backend, cols);
  return dx;
}

/** `Conv2DBackpropInput` for the wasm backend, replacing the stock kernel (about 1 GMAC/s here). */
export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const inputShape = (attrs as NamedAttrMap).inputShape as [number, number, number, number];
    const g = convGeometry(inputShape, filter.shape as [number, number, number, number], attrs as NamedAttrMap);
    const wasm = backend as unknown as WasmBackend;
    if (g.filterHeight * g.filterWidth * g.inChannels <= COL2IM_MAX_TAPS) return backpropInputCol2im(wasm, dy, filter, g);
    return backpropInput(wasm, dy, filter, g);
  },
};
