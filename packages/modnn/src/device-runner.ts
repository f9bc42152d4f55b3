import * as tf from '@tensorflow/tfjs';
import { bandRows, receptiveRows, rowRuns, samePadding, type RowBand } from './bands';
import { ModnnError } from './errors';
import { nodeIndex, type GraphNode } from './graph';
import { computedNodes, expectedWeightShapes } from './device-weights';
import type { GraphWeights } from './model-graph';
import type { ModnnPlan, PlannedMessage, ProgramStep } from './plan-types';

/** A message's payload: float32 elements, batch first, then rows (runs in order), columns, channels. */
export interface BandPayload {
  id: number;
  data: Float32Array;
  /** Set by {@link DeviceBandRunner.run}: multiply-accumulates the run computed before this message was ready (its modelled compute time). */
  macs?: number;
}

/** Rows `[start, start + rows)` of a feature map held by a device, as a `[batch, rows, width, channels]` tensor. */
interface Piece {
  start: number;
  rows: number;
  tensor: tf.Tensor4D;
}

/** Options of {@link DeviceBandRunner}. */
export interface DeviceBandRunnerOptions {
  plan: ModnnPlan;
  /** Device index. */
  device: number;
  /** This device's weights ({@link deviceWeights}: the convolutions and batchnorms it computes, its slice of the dense layer). */
  weights: GraphWeights;
}

/**
 * One device's share of a MoDNN inference with TensorFlow.js: it runs its program, computing each
 * layer's rows from its own rows and the halo rows it received (never from a full-image
 * computation), and emits the messages its program sends.
 * @throws ModnnError `E_PLAN_INVALID` when a weight it needs is missing or misshapen. The in-process executor wires K of these
 * to a hub; phase 2's device process feeds it from the medium instead. Owns its tensors: call
 * {@link end} after each inference and {@link dispose} at the end.
 */
export class DeviceBandRunner {
  private readonly plan: ModnnPlan;
  private readonly device: number;
  private readonly program: ProgramStep[];
  private readonly nodes: Map<string, GraphNode>;
  private readonly params = new Map<string, tf.Tensor>();
  private readonly epsilon: Record<string, number>;
  private readonly pieces = new Map<string, Piece[]>();
  private readonly vectors = new Map<string, tf.Tensor2D>();
  private readonly inbox = new Map<number, Float32Array>();
  private batch = 0;
  private pc = 0;
  /** Multiply-accumulates the last {@link run} computed. */
  lastRunMacs = 0;

  constructor(options: DeviceBandRunnerOptions) {
    const { plan, device, weights } = options;
    this.plan = plan;
    this.device = device;
    this.program = plan.programs[device];
    this.nodes = nodeIndex(plan.graph);
    this.epsilon = weights.epsilon;
    for (const name of computedNodes(plan, device)) {
      const node = this.nodes.get(name) as GraphNode;
      for (const [role, shape] of Object.entries(expectedWeightShapes(plan, node, device))) {
        const w = weights.arrays[name]?.[role];
        if (!w || w.shape.join() !== shape.join())
          throw new ModnnError('E_PLAN_INVALID', `device ${device} needs ${name}/${role} of shape ${shape.join('x')}, got ${w ? w.shape.join('x') : 'none'}`);
        this.params.set(`${name}/${role}`, tf.tensor(w.values, w.shape, 'float32'));
      }
    }
  }

  /** Whether the program has run to its end. */
  get finished(): boolean {
    return this.pc >= this.program.length;
  }

  /** Message ids the device waits for, when blocked. */
  get waitingFor(): number[] {
    const step = this.program[this.pc];
    return step?.op === 'recv' ? step.messages.filter((id) => !this.inbox.has(id)) : [];
  }

  /**
   * Starts an inference of `batch` images. In `local` input mode `image` is the normalised NHWC
   * batch `[batch, height, width, channels]`; the device keeps only its rows (own and halo).
   */
  begin(batch: number, image?: Float32Array): void {
    this.end();
    this.batch = batch;
    this.pc = 0;
    if (this.plan.inputMode === 'local' && image !== undefined) {
      const input = this.plan.graph.nodes[0];
      const rows = this.plan.inputRows[this.device];
      if (rows.length > 0) {
        const [h, w, c] = input.shape;
        const full = tf.tensor4d(image, [batch, h, w, c]);
        this.pieces.set(
          input.name,
          rowRuns(rows).map((run) => ({ start: run.start, rows: bandRows(run), tensor: tf.slice(full, [0, run.start, 0, 0], [batch, bandRows(run), w, c]) })),
        );
        full.dispose();
      }
    }
  }

  /** Hands the device a message addressed to it. */
  deliver(payload: BandPayload): void {
    this.inbox.set(payload.id, payload.data);
  }

  /** MACs of the whole program (this device's share of one image). */
  get totalMacs(): number {
    return this.program.reduce((n, s) => n + (s.op === 'compute' ? s.macs : 0), 0);
  }

  /** Runs the program until it waits for a message or ends; returns what it sends meanwhile (each with the MACs computed before it). */
  run(): BandPayload[] {
    const out: BandPayload[] = [];
    let macs = 0;
    while (this.pc < this.program.length) {
      const step = this.program[this.pc];
      if (step.op === 'recv') {
        if (this.waitingFor.length > 0) break;
        for (const id of step.messages) this.accept(this.plan.messages[id], this.inbox.get(id) as Float32Array);
      } else if (step.op === 'compute') {
        this.compute(this.nodes.get(step.node) as GraphNode);
        macs += step.macs;
      } else {
        for (const id of step.messages) out.push({ id, data: this.payloadOf(this.plan.messages[id]), macs });
      }
      this.pc += 1;
    }
    this.lastRunMacs = macs;
    return out;
  }

  /** Frees the tensors of the current inference. */
  end(): void {
    for (const list of this.pieces.values()) list.forEach((p) => p.tensor.dispose());
    for (const v of this.vectors.values()) v.dispose();
    this.pieces.clear();
    this.vectors.clear();
    this.inbox.clear();
  }

  /** Frees everything, weights included. */
  dispose(): void {
    this.end();
    for (const t of this.params.values()) t.dispose();
    this.params.clear();
  }

  private accept(m: PlannedMessage, data: Float32Array): void {
    if (m.kind === 'request') return;
    if (m.kind === 'pooled') {
      this.vectors.set(`${m.tensor}:pooled`, tf.tensor2d(data, [this.batch, m.elements]));
      return;
    }
    const [, w, c] = (this.nodes.get(m.tensor) as GraphNode).shape;
    let offset = 0;
    const per = w * c;
    const list = this.pieces.get(m.tensor) ?? [];
    const total = (m.rows ?? []).reduce((n, r) => n + bandRows(r), 0);
    if (data.length !== this.batch * total * per)
      throw new ModnnError('E_PLAN_INVALID', `message ${m.id} carries ${data.length} values, expected ${this.batch * total * per}`);
    for (const run of m.rows ?? []) {
      const rows = bandRows(run);
      const values = new Float32Array(this.batch * rows * per);
      for (let b = 0; b < this.batch; b += 1) values.set(data.subarray((b * total + offset) * per, (b * total + offset + rows) * per), b * rows * per);
      list.push({ start: run.start, rows, tensor: tf.tensor4d(values, [this.batch, rows, w, c]) });
      offset += rows;
    }
    this.pieces.set(m.tensor, list);
  }

  private own(name: string): tf.Tensor4D {
    const band = this.plan.tensors[name].bands[this.device];
    const piece = (this.pieces.get(name) ?? []).find((p) => p.start === band.start && p.rows === bandRows(band));
    if (!piece) throw new ModnnError('E_HALO_MISSING', `device ${this.device} has not computed its rows of ${name}`);
    return piece.tensor;
  }

  private param(node: string, role: string): tf.Tensor | undefined {
    return this.params.get(`${node}/${role}`);
  }

  private compute(node: GraphNode): void {
    if (node.op === 'dense') {
      const pooled = this.vectors.get(`${node.inputs[0]}:pooled`) as tf.Tensor2D;
      const bias = this.param(node.name, 'bias');
      const logits = tf.tidy(() => {
        const y = tf.matMul(pooled, this.param(node.name, 'kernel') as tf.Tensor2D);
        return (bias ? tf.add(y, bias) : y) as tf.Tensor2D;
      });
      this.vectors.set(node.name, logits);
      return;
    }
    if (node.op === 'gap') {
      this.vectors.set(
        node.name,
        tf.tidy(() => tf.sum(this.own(node.inputs[0]), [1, 2]) as tf.Tensor2D),
      );
      return;
    }
    const band = this.plan.tensors[node.name].bands[this.device];
    const tensor = tf.tidy((): tf.Tensor4D => {
      if (node.op === 'conv') return this.conv(node, band);
      const x = this.own(node.inputs[0]);
      if (node.op === 'relu') return tf.relu(x);
      if (node.op === 'add') return tf.add(x, this.own(node.inputs[1]));
      const p = (role: string): tf.Tensor1D => this.param(node.name, role) as tf.Tensor1D;
      return tf.batchNorm(x, p('movingMean'), p('movingVariance'), p('beta'), p('gamma'), this.epsilon[node.name]);
    });
    this.pieces.set(node.name, [...(this.pieces.get(node.name) ?? []), { start: band.start, rows: bandRows(band), tensor }]);
  }

  /** Output rows `band` of a `same` convolution from the input rows this device holds (zero rows for padding). */
  private conv(node: GraphNode, band: RowBand): tf.Tensor4D {
    const input = this.nodes.get(node.inputs[0]) as GraphNode;
    const [h, w, c] = input.shape;
    const k = node.kernel as number;
    const s = node.stride as number;
    const { padBefore } = samePadding(h, k, s);
    const y0 = band.start * s - padBefore;
    const y1 = (band.end - 1) * s - padBefore + k;
    const needed = new Set(receptiveRows(band, { inSize: h, kernel: k, stride: s }));
    const held = this.pieces.get(input.name) ?? [];
    const parts: tf.Tensor4D[] = [];
    for (let y = y0; y < y1;) {
      const piece = y >= 0 && y < h ? held.find((p) => y >= p.start && y < p.start + p.rows) : undefined;
      if (piece) {
        const n = Math.min(y1, piece.start + piece.rows) - y;
        parts.push(tf.slice(piece.tensor, [0, y - piece.start, 0, 0], [this.batch, n, w, c]));
        y += n;
        continue;
      }
      if (needed.has(y)) throw new ModnnError('E_HALO_MISSING', `device ${this.device} needs row ${y} of ${input.name} for ${node.name} and does not hold it`);
      parts.push(tf.zeros([this.batch, 1, w, c]));
      y += 1;
    }
    const slab = parts.length === 1 ? parts[0] : tf.concat(parts, 1);
    const cols = samePadding(w, k, s);
    const padded =
      cols.padBefore + cols.padAfter > 0
        ? tf.pad(slab, [
            [0, 0],
            [0, 0],
            [cols.padBefore, cols.padAfter],
            [0, 0],
          ])
        : slab;
    const y = tf.conv2d(padded, this.param(node.name, 'kernel') as tf.Tensor4D, s, 'valid');
    const bias = this.param(node.name, 'bias');
    return bias ? tf.add(y, bias) : y;
  }

  private payloadOf(m: PlannedMessage): Float32Array {
    if (m.kind === 'partial' || m.kind === 'logits') return (this.vectors.get(m.tensor) as tf.Tensor2D).dataSync() as Float32Array;
    const own = this.own(m.tensor);
    const band = this.plan.tensors[m.tensor].bands[this.device];
    const rows = tf.tidy(() => {
      const runs = (m.rows ?? []).map((r) => tf.slice(own, [0, r.start - band.start, 0, 0], [this.batch, bandRows(r), own.shape[2], own.shape[3]]));
      return runs.length === 1 ? runs[0] : tf.concat(runs, 1);
    });
    const data = rows.dataSync() as Float32Array;
    rows.dispose();
    return data;
  }
}
