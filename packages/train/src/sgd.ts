import * as tf from '@tensorflow/tfjs';

/** Options of {@link FlatSgd} (and, with `kind: 'adam'`, of {@link FlatAdam}). */
export interface SgdOptions {
  /** Optimiser; default `sgd`. */
  kind?: 'sgd' | 'adam';
  /** Adam beta1 / beta2 / epsilon; defaults 0.9 / 0.999 / 1e-7 (tfjs defaults). */
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Momentum; default 0.9. */
  momentum?: number;
  /** Nesterov momentum; default true. */
  nesterov?: boolean;
  /** L2 weight decay added to the gradient of decayed variables; default 5e-4. */
  weightDecay?: number;
}

/** True for variables that take weight decay: convolution and dense kernels, not biases or batch-norm parameters. */
export function decays(variable: tf.Variable): boolean {
  return /kernel/.test(variable.name);
}

/** An optimiser whose gradient arrives as one flat vector in the order of its variables. */
export interface FlatOptimizer {
  readonly length: number;
  step(grad: Float32Array, lr: number): void;
  getState(): Float32Array;
  setState(state: Float32Array): void;
  dispose(): void;
}

function flatten(vars: tf.Variable[], length: number): Float32Array {
  const out = new Float32Array(length);
  let offset = 0;
  for (const v of vars) {
    out.set(v.dataSync() as Float32Array, offset);
    offset += v.size;
  }
  return out;
}

function unflatten(vars: tf.Variable[], state: Float32Array, from: number): number {
  let offset = from;
  for (const v of vars) {
    v.assign(tf.tensor(state.subarray(offset, offset + v.size), v.shape, 'float32'));
    offset += v.size;
  }
  return offset;
}

/**
 * SGD with (Nesterov) momentum and L2 weight decay over variables whose gradient arrives as one flat
 * float32 vector (the averaged all-reduce result), in the order of `variables`.
 */
export class FlatSgd implements FlatOptimizer {
  private readonly velocities: tf.Variable[];
  private readonly momentum: number;
  private readonly nesterov: boolean;
  private readonly weightDecay: number;
  readonly length: number;

  constructor(
    private readonly variables: tf.Variable[],
    options: SgdOptions = {},
  ) {
    this.momentum = options.momentum ?? 0.9;
    this.nesterov = options.nesterov ?? true;
    this.weightDecay = options.weightDecay ?? 5e-4;
    this.velocities = variables.map((v) => tf.variable(tf.zerosLike(v), false, `${v.name}/velocity`));
    this.length = variables.reduce((n, v) => n + v.size, 0);
  }

  /** Applies one update with learning rate `lr` from the flat gradient `grad`. */
  step(grad: Float32Array, lr: number): void {
    let offset = 0;
    tf.tidy(() => {
      const m = tf.scalar(this.momentum);
      const rate = tf.scalar(lr);
      const wd = tf.scalar(this.weightDecay);
      this.variables.forEach((w, i) => {
        let g: tf.Tensor = tf.tensor(grad.subarray(offset, offset + w.size), w.shape, 'float32');
        offset += w.size;
        if (this.weightDecay > 0 && decays(w)) g = tf.add(g, tf.mul(wd, w));
        const velocity = this.velocities[i];
        const v = tf.add(tf.mul(m, velocity), g);
        velocity.assign(v);
        const update = this.nesterov ? tf.add(g, tf.mul(m, v)) : v;
        w.assign(tf.sub(w, tf.mul(rate, update)));
      });
    });
  }

  /** Velocities as one flat vector (for checkpoints). */
  getState(): Float32Array {
    return flatten(this.velocities, this.length);
  }

  /** Restores velocities from {@link getState}'s vector. */
  setState(state: Float32Array): void {
    if (state.length !== this.length) throw new RangeError(`optimizer state has ${state.length} values, expected ${this.length}`);
    unflatten(this.velocities, state, 0);
  }

  dispose(): void {
    tf.dispose(this.velocities);
  }
}

/** Adam (Kingma & Ba) with bias correction and optional L2 weight decay, over a flat gradient. */
export class FlatAdam implements FlatOptimizer {
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];
  private t = 0;
  readonly length: number;

  constructor(
    private readonly variables: tf.Variable[],
    private readonly options: SgdOptions = {},
  ) {
    this.m = variables.map((w) => tf.variable(tf.zerosLike(w), false, `${w.name}/adam_m`));
    this.v = variables.map((w) => tf.variable(tf.zerosLike(w), false, `${w.name}/adam_v`));
    this.length = variables.reduce((n, w) => n + w.size, 0);
  }

  step(grad: Float32Array, lr: number): void {
    this.t += 1;
    const b1 = this.options.beta1 ?? 0.9;
    const b2 = this.options.beta2 ?? 0.999;
    const eps = this.options.epsilon ?? 1e-7;
    const wd = this.options.weightDecay ?? 0;
    const rate = (lr * Math.sqrt(1 - b2 ** this.t)) / (1 - b1 ** this.t);
    let offset = 0;
    tf.tidy(() => {
      this.variables.forEach((w, i) => {
        let g: tf.Tensor = tf.tensor(grad.subarray(offset, offset + w.size), w.shape, 'float32');
        offset += w.size;
        if (wd > 0 && decays(w)) g = tf.add(g, tf.mul(wd, w));
        const m = tf.add(tf.mul(b1, this.m[i]), tf.mul(1 - b1, g));
        const v = tf.add(tf.mul(b2, this.v[i]), tf.mul(1 - b2, tf.square(g)));
        this.m[i].assign(m);
        this.v[i].assign(v);
        w.assign(tf.sub(w, tf.mul(rate, tf.div(m, tf.add(tf.sqrt(v), eps)))));
      });
    });
  }

  /** [t, m..., v...] as one vector. */
  getState(): Float32Array {
    const out = new Float32Array(1 + 2 * this.length);
    out[0] = this.t;
    out.set(flatten(this.m, this.length), 1);
    out.set(flatten(this.v, this.length), 1 + this.length);
    return out;
  }

  setState(state: Float32Array): void {
    if (state.length !== 1 + 2 * this.length) throw new RangeError(`optimizer state has ${state.length} values, expected ${1 + 2 * this.length}`);
    this.t = state[0];
    unflatten(this.m, state, 1);
    unflatten(this.v, state, 1 + this.length);
  }

  dispose(): void {
    tf.dispose([...this.m, ...this.v]);
  }
}

/** Builds the optimiser `options.kind` names (default SGD). */
export function createOptimizer(variables: tf.Variable[], options: SgdOptions = {}): FlatOptimizer {
  return options.kind === 'adam' ? new FlatAdam(variables, options) : new FlatSgd(variables, options);
}
