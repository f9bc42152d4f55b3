import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { release, runStock, type WasmBackend } from './kernel-context';

function transposeLastTwo(backend: WasmBackend, t: TensorInfo): TensorInfo {
  const rank = t.shape.length;
  const perm = [...Array(rank).keys()];
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return runStock('Transpose', backend, { x: t }, { perm });
}

/**
 * `BatchMatMul` for wasm: a transposed operand is transposed explicitly first (the stock kernel
 * runs about 10x slower with `transposeA`), then the stock untransposed kernel multiplies.
 */
export const batchMatMulConfig: KernelConfig = {
  kernelName: 'BatchMatMul',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = attrs as NamedAttrMap & { transposeA: boolean; transposeB: boolean };
    const wasm = backend as unknown as WasmBackend;
    if (!transposeA && !transposeB) return runStock('BatchMatMul', wasm, inputs as Record<string, TensorInfo>, attrs as NamedAttrMap);
    const a2 = transposeA ? transposeLastTwo(wasm, a) : a;
    const b2 = transposeB ? transposeLastTwo(wasm, b) : b;
    const out = runStock('BatchMatMul', wasm, { a: a2, b: b2 }, { transposeA: false, transposeB: false });
    if (transposeA) release(wasm, a2);
    if (transposeB) release(wasm, b2);
    return out;
  },
};
