import { readDeviceManifest, type DeviceManifest } from '@wearnet/bundle';
import { fillBatch, IMAGE_BYTES } from '@wearnet/data';
import { disposeModel, loadModelFromDir, predictVector } from '@wearnet/runtime';
import { DeviceError } from './errors';

/** A loaded student: the narrow face of TensorFlow.js on a device (load, predict, dispose). */
export interface Student {
  manifest: DeviceManifest;
  /** Runs the student on one image in CIFAR record layout (`IMAGE_BYTES` CHW bytes); returns its output vector. */
  predict(image: Uint8Array): Float32Array;
  dispose(): void;
}

/**
 * Loads a device bundle directory (manifest, model.json, weights.bin, sha256-checked).
 * Call `initRuntime` first. @throws BundleError, RuntimeError or DeviceError `E_BUNDLE_UNSUPPORTED`.
 */
export async function loadStudent(dir: string): Promise<Student> {
  const manifest = await readDeviceManifest(dir);
  const { height, width, channels } = manifest.input;
  if (height !== 32 || width !== 32 || channels !== 3) {
    throw new DeviceError('E_BUNDLE_UNSUPPORTED', `${dir}: input ${height}x${width}x${channels} is not a 32x32x3 image`);
  }
  const model = await loadModelFromDir(dir, { sha256: manifest.sha256 });
  const mean = manifest.input.mean as [number, number, number];
  const std = manifest.input.std as [number, number, number];
  const input = new Float32Array(IMAGE_BYTES);
  const predict = (image: Uint8Array): Float32Array => {
    if (image.length !== IMAGE_BYTES) throw new DeviceError('E_NO_IMAGE', `image has ${image.length} bytes, expected ${IMAGE_BYTES}`);
    fillBatch({ split: { count: 1, pixels: image }, indices: [0], out: input, mean, std });
    const output = predictVector(model, input, [1, 32, 32, 3]);
    if (output.length !== manifest.output.length) {
      throw new DeviceError('E_INFERENCE_FAILED', `model output has ${output.length} values, manifest says ${manifest.output.length}`);
    }
    return output;
  };
  // The first call compiles kernels (hundreds of ms on wasm): pay it before the device says ready.
  predict(new Uint8Array(IMAGE_BYTES));
  return { manifest, predict, dispose: () => disposeModel(model) };
}
