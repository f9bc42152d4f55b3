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
  if (!Number.isInteger(options.partWidth) || options.partWidth < 1) throw optionError('partWidth', `must be an integer >= 1, got ${options.partWidth}`);
  const prefix = options.prefix ?? 's0_';
  const f = new LayerFactory(options.seed ?? 1, prefix);
  const input = tf.input({ shape: [32, 32, 3], name: `${prefix}image` });
  let h: SymbolicTensor;
  if (arch === 'plain') {
    h = f.bnRelu(f.conv(input, widths[0], 3, 1, 'c1'), 'c1');
    h = f.bnRelu(f.conv(h, widths[1], 3, 2, 'c2'), 'c2');
    h = f.bnRelu(f.conv(h, widths[2], 3, 2, 'c3'), 'c3');
  } else {
    h = f.conv(input, 16, 3, 1, 'stem');
    let inWidth = 16;
    widths.forEach((width, g) => {
      const stride = g === 0 ? 1 : 2;
      const pre = f.bnRelu(h, `g${g + 1}_pre`);
      let r = f.conv(pre, width, 3, stride, `g${g + 1}_conv1`);
      r = f.bnRelu(r, `g${g + 1}_mid`);
      r = f.conv(r, width, 3, 1, `g${g + 1}_conv2`);
      const shortcut = inWidth === width && stride === 1 ? h : f.conv(pre, width, 1, stride, `g${g + 1}_short`);
      h = f.add(r, shortcut, `g${g + 1}_add`);
      inWidth = width;
    });
    h = f.bnRelu(h, 'post');
  }
  const bridge = f.bnRelu(f.conv(h, options.partWidth, 1, 1, 'bridge'), 'bridge');
  const pooled = f.gap(bridge, 'vector');
  return { model: tf.model({ inputs: input, outputs: [bridge, pooled], name: `${prefix}student` }), partWidth: options.partWidth };
}
