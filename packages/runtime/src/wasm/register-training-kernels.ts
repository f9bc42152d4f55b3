import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { batchMatMulConfig } from './batch-mat-mul';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input';
import { captureStockKernel } from './kernel-context';
import { meanConfig, sumConfig } from './reduce-leading';
import { tileConfig } from './tile';

/** Kernels wearnet adds to or replaces in the wasm backend so that CNNs train fast. */
export const wasmTrainingKernels: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  batchMatMulConfig,
  tileConfig,
  sumConfig,
  meanConfig,
];

let registered = false;

/** Registers {@link wasmTrainingKernels} (stock kernels are kept for internal use); idempotent. */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  for (const name of ['Conv2D', 'Transpose', 'BatchMatMul', 'Conv2DBackpropInput', 'Tile', 'Sum', 'Mean']) captureStockKernel(name);
  for (const config of wasmTrainingKernels) {
    if (getKernel(config.kernelName, 'wasm') !== undefined) unregisterKernel(config.kernelName, 'wasm');
    registerKernel(config);
  }
  registered = true;
}
