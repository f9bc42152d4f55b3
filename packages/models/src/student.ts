import * as tf from '@tensorflow/tfjs';
import { optionError } from './errors';
import { LayerFactory, type SymbolicTensor } from './layers';

/** Student backbone families. */
export type StudentArch = 'plain' | 'wrn';

/** Options of {@link buildStudent}. */
export interface StudentOptions {
  /** `plain`: conv-BN-ReLU stack, widths[0] at 32x32 then widths[1], widths[2] at stride 2 each;
   * `wrn`: one wide block per group (WRN-10 style) with those widths. Default `plain`. */
  arch?: StudentArch;
  /** Backbone widths per resolution (32, 16, 8); default [16, 32, 64]. */
  widths?: [number, number, number];
  /** Convolutions (`plain`) or residual blocks (`wrn`) per resolution; default [1, 1, 1]. */
  blocks?: [number, number, number];
  /** Width of the 1x1 bridge = size of the part of teacher filters this student mimics. */
  partWidth: number;
  /** Seed of the initialisers; default 1. */
  seed?: number;
  /** Layer-name prefix so several students can live in one graph; default `s0_`. */
  prefix?: string;
}

/** Names of a student's two outputs. */
export interface StudentModel {
  /** Image [n,32,32,3] -> [bridge map [n,8,8,partWidth], pooled vector [n,partWidth]]. */
  model: tf.LayersModel;
  partWidth: number;
}

/**
 * Builds one student: backbone, 1x1 bridge conv to `partWidth` channels, BN, ReLU (the map that
 * attention transfer compares with the teacher's part), global average pool (the vector the device sends).
 */
export function buildStudent(options: StudentOptions): StudentModel {
  const arch = options.arch ?? 'plain';
  if (arch !== 'plain' && arch !== 'wrn') throw optionError('arch', `must be plain or wrn, got ${String(arch)}`);
  const widths = options.widths ?? [16, 32, 64];
  if (widths.length !== 3 || widths.some((w) => !Number.isInteger(w) || w < 1)) throw optionError('widths', 'must be three positive integers');
  const blocks = options.blocks ?? [1, 1, 1];
  if (blocks.length !== 3 || blocks.some((b) => !Number.isInteger(b) || b < 1 || b > 8)) throw optionError('blocks', 'must be three integers in 1..8');
  if (!Number.isInteger(options.partWidth) || options.partWidth < 1) throw optionError('partWidth', `must be an integer >= 1, got ${options.partWidth}`);
  const prefix = options.prefix ?? 's0_';
  const f = new LayerFactory(options.seed ?? 1, prefix);
  const input = tf.input({ shape: [32, 32, 3], name: `${prefix}image` });
  let h: SymbolicTensor;
  if (arch === 'plain') {
    // Stage g: its first convolution strides (except at 32x32), the rest keep the resolution.
    // Layer names c1, c2, c3 for the first convolution of each stage (as with blocks [1, 1, 1]), c2b, c2c, ... after.
    h = input;
    widths.forEach((width, g) => {
      for (let b = 0; b < blocks[g]; b++) {
        const name = b === 0 ? `c${g + 1}` : `c${g + 1}${String.fromCharCode(97 + b)}`;
        h = f.bnRelu(f.conv(h, width, 3, g > 0 && b === 0 ? 2 : 1, name), name);
      }
    });
  } else {
    h = f.conv(input, 16, 3, 1, 'stem');
    let inWidth = 16;
    widths.forEach((width, g) => {
      for (let b = 0; b < blocks[g]; b++) {
        const stride = g > 0 && b === 0 ? 2 : 1;
        const id = b === 0 ? `g${g + 1}` : `g${g + 1}b${b + 1}`;
        const pre = f.bnRelu(h, `${id}_pre`);
        let r = f.conv(pre, width, 3, stride, `${id}_conv1`);
        r = f.bnRelu(r, `${id}_mid`);
        r = f.conv(r, width, 3, 1, `${id}_conv2`);
        const shortcut = inWidth === width && stride === 1 ? h : f.conv(pre, width, 1, stride, `${id}_short`);
        h = f.add(r, shortcut, `${id}_add`);
        inWidth = width;
      }
    });
    h = f.bnRelu(h, 'post');
  }
  const bridge = f.bnRelu(f.conv(h, options.partWidth, 1, 1, 'bridge'), 'bridge');
  const pooled = f.gap(bridge, 'vector');
  return { model: tf.model({ inputs: input, outputs: [bridge, pooled], name: `${prefix}student` }), partWidth: options.partWidth };
}
