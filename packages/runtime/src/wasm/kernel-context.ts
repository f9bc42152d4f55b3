import { getKernel, type DataType, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { RuntimeError } from '../errors';

/** The part of the wasm backend that custom kernels use (its public methods, typed narrowly). */
export interface WasmBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

const originals = new Map<string, KernelFunc>();

/** Remembers the stock wasm kernel `name` before wearnet overrides it; idempotent. */
export function captureStockKernel(name: string): void {
  if (originals.has(name)) return;
  const config = getKernel(name, 'wasm');
  if (config !== undefined) originals.set(name, config.kernelFunc);
}

/** Runs the stock wasm kernel `name` (never a wearnet override) on tensor infos. */
export function runStock(name: string, backend: WasmBackend, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap = {}): TensorInfo {
  const func = originals.get(name) ?? getKernel(name, 'wasm')?.kernelFunc;
  if (func === undefined) throw new RuntimeError('E_KERNEL_UNSUPPORTED', `wasm kernel ${name} is not registered`);
  return func({ inputs, backend: backend as never, attrs }) as TensorInfo;
}

/** A tensor info sharing `info`'s data under another shape (no copy, no reference count). */
export function reshaped(info: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

/** Frees intermediate tensor infos made inside a kernel. */
export function release(backend: WasmBackend, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** Allocates a float32 tensor on the wasm heap and lets `fill` write it through a fresh heap view. */
export function makeFilled(backend: WasmBackend, shape: number[], fill: (out: Float32Array) => void): TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  fill(backend.typedArrayFromHeap(out));
  return out;
}
