import { tf } from '@wearnet/runtime';

/** Options of {@link FlatSgd}. */
export interface SgdOptions {
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

/**
 * SGD with (Nesterov) momentum and L2 weight decay over variables whose gradient arrives as one flat
 * float32 vector (the averaged all-reduce result), in the order of `variables`.
 */
export class FlatSgd {
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
    const out = new Float32Array(this.length);
    let offset = 0;
    for (const v of this.velocities) {
      out.set(v.dataSync() as Float32Array, offset);
      offset += v.size;
    }
    return out;
  }

  /** Restores velocities from {@link getState}'s vector. */
  setState(state: Float32Array): void {
    if (state.length !== this.length) throw new RangeError(`optimizer state has ${state.length} values, expected ${this.length}`);
    let offset = 0;
    for (const v of this.velocities) {
      v.assign(tf.tensor(state.subarray(offset, offset + v.size), v.shape, 'float32'));
      offset += v.size;
    }
  }

  dispose(): void {
    tf.dispose(this.velocities);
  }
}
