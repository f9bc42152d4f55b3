import * as tf from '@tensorflow/tfjs';

type SymbolicTensor = ReturnType<typeof tf.input>;

/** Builds layers with deterministic, distinct initialiser seeds and readable names. */
export class LayerFactory {
  private next = 0;
  constructor(
    private readonly seed: number,
    private readonly prefix: string,
  ) {}

  private seedNext(): number {
    this.next += 1;
    return (this.seed * 1009 + this.next * 7919) % 2147483647;
  }

  /** 3x3 (or k x k) convolution, He-normal, no bias (a batch norm follows). */
  conv(x: SymbolicTensor, filters: number, kernelSize: number, strides: number, name: string): SymbolicTensor {
    return tf.layers
      .conv2d({
        filters,
        kernelSize,
        strides,
        padding: 'same',
        useBias: false,
        kernelInitializer: tf.initializers.heNormal({ seed: this.seedNext() }),
        name: `${this.prefix}${name}`,
      })
      .apply(x) as SymbolicTensor;
  }

  /** Batch norm (momentum 0.9, epsilon 1e-5) followed by ReLU. */
  bnRelu(x: SymbolicTensor, name: string): SymbolicTensor {
    const bn = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, name: `${this.prefix}${name}_bn` }).apply(x) as SymbolicTensor;
    return tf.layers.reLU({ name: `${this.prefix}${name}_relu` }).apply(bn) as SymbolicTensor;
  }

  add(a: SymbolicTensor, b: SymbolicTensor, name: string): SymbolicTensor {
    return tf.layers.add({ name: `${this.prefix}${name}` }).apply([a, b]) as SymbolicTensor;
  }

  dropout(x: SymbolicTensor, rate: number, name: string): SymbolicTensor {
    if (rate <= 0) return x;
    return tf.layers.dropout({ rate, seed: this.seedNext(), name: `${this.prefix}${name}` }).apply(x) as SymbolicTensor;
  }

  gap(x: SymbolicTensor, name: string): SymbolicTensor {
    return tf.layers.globalAveragePooling2d({ name: `${this.prefix}${name}` }).apply(x) as SymbolicTensor;
  }

  dense(x: SymbolicTensor, units: number, name: string): SymbolicTensor {
    return tf.layers
      .dense({ units, kernelInitializer: tf.initializers.glorotUniform({ seed: this.seedNext() }), name: `${this.prefix}${name}` })
      .apply(x) as SymbolicTensor;
  }
}

export type { SymbolicTensor };
