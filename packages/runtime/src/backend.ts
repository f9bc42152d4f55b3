// tfjs-core, not the `@tensorflow/tfjs` union: a device process must not load the webgl backend, the converter and tf.data.
import * as tf from '@tensorflow/tfjs-core';
import { RuntimeError } from './errors';
import { registerWasmTrainingKernels } from './wasm/register-training-kernels';

/** Backends wearnet can run on, fastest first. */
export type BackendName = 'node' | 'wasm' | 'cpu';

/** Minimal logger shape (pino-compatible): object first, message second. */
export interface RuntimeLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** Options of {@link initRuntime}. */
export interface InitRuntimeOptions {
  /**
   * Force a backend; default: `WEARNET_BACKEND` (or `WEARNET_REQUIRE_BACKEND`) from `env`, else
   * node if installed, else wasm, else cpu.
   */
  backend?: BackendName;
  /** Environment to read `WEARNET_BACKEND` and `WEARNET_REQUIRE_BACKEND` from; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Register the fast wasm training kernels (Conv2DBackpropFilter and friends); default true. */
  trainingKernels?: boolean;
  logger?: RuntimeLogger;
}

/** What {@link initRuntime} chose. */
export interface RuntimeInfo {
  /** wearnet's name of the backend. */
  backend: BackendName;
  /** The TensorFlow.js backend name (`tensorflow`, `wasm`, `cpu`). */
  tfBackend: string;
  /** `@tensorflow/tfjs-core` version. */
  tfVersion: string;
  /** Whether wasm SIMD is in use (wasm only). */
  simd?: boolean;
}

const TF_NAME: Record<BackendName, string> = { node: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };
let current: RuntimeInfo | undefined;

function parseBackend(value: string | undefined, option: string): BackendName | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'node' || value === 'wasm' || value === 'cpu') return value;
  throw new RuntimeError('E_OPTION_INVALID', `${option} must be one of node, wasm, cpu; got "${value}"`);
}

function tryLoad(backend: BackendName): boolean {
  try {
    if (backend === 'node') require('@tensorflow/tfjs-node');
    else if (backend === 'wasm') require('@tensorflow/tfjs-backend-wasm');
    else require('@tensorflow/tfjs-backend-cpu');
    return true;
  } catch {
    return false;
  }
}

/**
 * Chooses and initialises the TensorFlow.js backend once per process: `@tensorflow/tfjs-node`
 * when installed (an optional dependency), else wasm, else the pure-JS cpu backend.
 * `WEARNET_BACKEND=node|wasm|cpu` (or `options.backend`) forces one and fails if it cannot load;
 * `WEARNET_REQUIRE_BACKEND=node` (the image sets it) does the same, so a missing native backend is
 * `E_BACKEND_UNAVAILABLE` instead of a silent fallback to wasm.
 */
export async function initRuntime(options: InitRuntimeOptions = {}): Promise<RuntimeInfo> {
  const env = options.env ?? process.env;
  const required = parseBackend(env.WEARNET_REQUIRE_BACKEND, 'WEARNET_REQUIRE_BACKEND');
  const forced = options.backend ?? parseBackend(env.WEARNET_BACKEND, 'WEARNET_BACKEND') ?? required;
  if (required !== undefined && forced !== required) {
    throw new RuntimeError('E_OPTION_INVALID', `WEARNET_REQUIRE_BACKEND=${required} contradicts the forced backend "${forced}"`);
  }
  const why = required !== undefined ? ` (WEARNET_REQUIRE_BACKEND=${required}; unset it to allow a fallback)` : '';
  if (current !== undefined && (forced === undefined || forced === current.backend)) return current;
  const candidates: BackendName[] = forced !== undefined ? [forced] : ['node', 'wasm', 'cpu'];
  // Production mode: no debug checks and no "install tfjs-node" banner on the cpu backend's first use.
  tf.env().set('PROD', true);
  for (const backend of candidates) {
    if (!tryLoad(backend)) continue;
    let ok = false;
    try {
      ok = await tf.setBackend(TF_NAME[backend]);
      await tf.ready();
    } catch (cause) {
      if (forced !== undefined) {
        throw new RuntimeError('E_BACKEND_UNAVAILABLE', `backend "${backend}" failed to initialise${why}`, { cause });
      }
    }
    if (!ok) continue;
    if (backend === 'wasm' && options.trainingKernels !== false) registerWasmTrainingKernels();
    current = {
      backend,
      tfBackend: tf.getBackend(),
      tfVersion: tf.version_core,
      ...(backend === 'wasm' ? { simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT') as boolean } : {}),
    };
    options.logger?.info({ runtime: current }, 'tensorflow backend ready');
    return current;
  }
  throw new RuntimeError(
    'E_BACKEND_UNAVAILABLE',
    forced !== undefined ? `backend "${forced}" is not available (is its package installed?)${why}` : 'no TensorFlow.js backend could be initialised',
  );
}

/** The backend chosen by {@link initRuntime}, or undefined before it ran. */
export function runtimeInfo(): RuntimeInfo | undefined {
  return current;
}
