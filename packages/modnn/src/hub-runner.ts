import { bandRows } from './bands';
import type { BandPayload } from './device-runner';
import { HUB, type ModnnPlan, type PlannedMessage } from './plan-types';

/**
 * The aggregator's share of a MoDNN inference (no TensorFlow.js): sends the requests (or, in
 * `broadcast` input mode, each device's image rows), sums the devices' partial pools in device
 * order, sends the pooled vector to the owners of dense-layer neurons and concatenates their
 * logits (the final gather). Phase 2's aggregator drives it from the medium.
 * In process the `input` payloads are the normalised float rows; on the wire they are the raw
 * bytes the plan accounts for (1 per element), which the device normalises before `deliver`.
 */
export class HubRunner {
  private readonly plan: ModnnPlan;
  private readonly inbox = new Map<number, Float32Array>();
  private batch = 0;
  private image: Float32Array | undefined;
  private pooled: Float32Array | undefined;
  private pc = 0;
  /** The gathered logits `[batch, units]` once {@link finished}. */
  logits: Float32Array | undefined;

  constructor(plan: ModnnPlan) {
    this.plan = plan;
  }

  /** Whether the inference is complete. */
  get finished(): boolean {
    return this.pc >= this.plan.hubProgram.length;
  }

  /** Message ids the hub waits for, when blocked. */
  get waitingFor(): number[] {
    const step = this.plan.hubProgram[this.pc];
    return step?.op === 'recv' ? step.messages.filter((id) => !this.inbox.has(id)) : [];
  }

  /** Starts an inference of `batch` images; `image` (normalised NHWC) is needed in `broadcast` input mode. */
  begin(batch: number, image?: Float32Array): void {
    this.batch = batch;
    this.image = image;
    this.pooled = undefined;
    this.logits = undefined;
    this.inbox.clear();
    this.pc = 0;
  }

  /** Hands the hub a message addressed to it. */
  deliver(payload: BandPayload): void {
    this.inbox.set(payload.id, payload.data);
  }

  /** Runs until the hub waits for a message or is done; returns what it sends meanwhile. */
  run(): BandPayload[] {
    const out: BandPayload[] = [];
    const steps = this.plan.hubProgram;
    while (this.pc < steps.length) {
      const step = steps[this.pc];
      if (step.op === 'recv' && this.waitingFor.length > 0) break;
      if (step.op === 'send') for (const id of step.messages) out.push({ id, data: this.payloadOf(this.plan.messages[id]) });
      if (step.op === 'compute') this.compute(step.node);
      this.pc += 1;
    }
    return out;
  }

  private compute(node: string): void {
    const messages = this.plan.messages.filter((m) => m.to === HUB && (m.kind === 'partial' ? m.tensor === node : m.kind === 'logits' && m.tensor === node));
    const pool = this.plan.graph.nodes[this.plan.graph.nodes.length - 2];
    if (pool.name === node) {
      const c = pool.shape[0];
      const features = this.plan.graph.nodes.find((n) => n.name === pool.inputs[0]) as { shape: number[] };
      const sum = new Float32Array(this.batch * c);
      for (const m of messages.sort((a, b) => a.from - b.from)) {
        const part = this.inbox.get(m.id) as Float32Array;
        for (let i = 0; i < sum.length; i += 1) sum[i] += part[i];
      }
      const area = features.shape[0] * features.shape[1];
      for (let i = 0; i < sum.length; i += 1) sum[i] /= area;
      this.pooled = sum;
      return;
    }
    const units = this.plan.graph.nodes[this.plan.graph.nodes.length - 1].shape[0];
    const logits = new Float32Array(this.batch * units);
    for (const m of messages) {
      const slice = this.inbox.get(m.id) as Float32Array;
      const u = m.units as { start: number; end: number };
      const n = bandRows(u);
      for (let b = 0; b < this.batch; b += 1) logits.set(slice.subarray(b * n, (b + 1) * n), b * units + u.start);
    }
    this.logits = logits;
  }

  private payloadOf(m: PlannedMessage): Float32Array {
    if (m.kind === 'request') return new Float32Array(0);
    if (m.kind === 'pooled') return this.pooled as Float32Array;
    const [h, w, c] = this.plan.graph.nodes[0].shape;
    const image = this.image as Float32Array;
    const total = (m.rows ?? []).reduce((n, r) => n + bandRows(r), 0);
    const out = new Float32Array(this.batch * total * w * c);
    let at = 0;
    for (let b = 0; b < this.batch; b += 1) {
      for (const r of m.rows ?? []) {
        out.set(image.subarray((b * h + r.start) * w * c, (b * h + r.end) * w * c), at);
        at += bandRows(r) * w * c;
      }
    }
    return out;
  }
}
