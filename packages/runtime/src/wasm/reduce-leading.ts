import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { makeFilled, runStock, type WasmBackend } from './kernel-context';

/** True when `axes` are exactly the leading `rank - 1` axes (a per-channel reduction of NHWC data). */
function isAllButLast(axes: number[], rank: number): boolean {
  if (rank < 2 || axes.length !== rank - 1) return false;
  const norm = axes.map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
  return norm.every((a, i) => a === i);
}

/**
 * Per-channel sums of a row-major [rows, channels] buffer times `scale`, eight rows per pass with
 * float64 accumulators (about 2 ms for 2 M values here; the stock kernel transposes first).
 */
export function sumLeading(x: Float32Array, channels: number, out: Float32Array, scale: number): void {
  const C = channels;
  const acc = new Float64Array(C);
  const n = x.length;
  const C8 = 8 * C;
  let b = 0;
  for (; b + C8 <= n; b += C8) {
    for (let c = 0; c < C; c++) {
      const p = b + c;
      acc[c] += x[p] + x[p + C] + (x[p + 2 * C] + x[p + 3 * C]) + (x[p + 4 * C] + x[p + 5 * C] + (x[p + 6 * C] + x[p + 7 * C]));
    }
  }
  for (; b < n; b += C) for (let c = 0; c < C; c++) acc[c] += x[b + c];
  for (let c = 0; c < C; c++) out[c] = acc[c] * scale;
}

function reduceKernel(name: 'Sum' | 'Mean'): KernelConfig {
  return {
    kernelName: name,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x } = inputs as { x: TensorInfo };
      const wasm = backend as unknown as WasmBackend;
      const { axis, keepDims } = attrs as NamedAttrMap & { axis: number | number[]; keepDims: boolean };
      const axes = Array.isArray(axis) ? axis : [axis];
      const rank = x.shape.length;
      if (x.dtype !== 'float32' || !isAllButLast(axes, rank)) return runStock(name, wasm, { x }, attrs as NamedAttrMap);
      const channels = x.shape[rank - 1];
      const rows = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
      const outShape = keepDims ? [...x.shape.slice(0, -1).map(() => 1), channels] : [channels];
      const scale = name === 'Mean' ? 1 / rows : 1;
      return makeFilled(wasm, outShape, (out) => sumLeading(wasm.typedArrayFromHeap(x), channels, out, scale));
    },
  };
}

/** `Sum` over all axes but the last (batch-norm statistics and gradients) in one pass, no transpose. */
export const sumConfig = reduceKernel('Sum');
/** `Mean` over all axes but the last, as {@link sumConfig}. */
export const meanConfig = reduceKernel('Mean');
