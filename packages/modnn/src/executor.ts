import { deviceWeights } from './device-weights';
import { DeviceBandRunner, type BandPayload } from './device-runner';
import { ModnnError, optionError } from './errors';
import { HubRunner } from './hub-runner';
import type { GraphWeights } from './model-graph';
import { HUB, type ModnnPlan } from './plan-types';

/** Options of {@link runModnnInProcess}. */
export interface RunInProcessOptions {
  plan: ModnnPlan;
  /** The whole model's weights (each device takes its share), or each device's weights (as a bundle holds them). */
  weights: GraphWeights | readonly GraphWeights[];
  /** Normalised NHWC images, `count * height * width * channels` floats. */
  images: Float32Array;
  count: number;
  /** Images per inference round (the runners work on batches); default 50. */
  batchSize?: number;
  /** Devices that do not answer (crashed): their messages never come. */
  missing?: readonly number[];
}

/** Outcome of {@link runModnnInProcess}. */
export interface RunInProcessResult {
  /** True when every round completed. */
  completed: boolean;
  /** `[count, units]` logits when completed. */
  logits: Float32Array | undefined;
  /** When a round stalls: who waits for which message ids (a missing device's band never arrives). */
  stalled?: { endpoint: number; waitingFor: number[] }[];
}

/**
 * Runs a MoDNN plan in one process: K {@link DeviceBandRunner}s and a {@link HubRunner}, with
 * messages handed over in memory (no medium). Each device computes only from its own rows and the
 * halos it receives. With `missing` devices the rounds stall, as they do on the body: MoDNN has no
 * partial answer.
 */
export function runModnnInProcess(options: RunInProcessOptions): RunInProcessResult {
  const { plan, weights, images, count } = options;
  const batchSize = options.batchSize ?? 50;
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw optionError('batchSize', `must be a positive integer, got ${batchSize}`);
  const [h, w, c] = plan.graph.nodes[0].shape;
  const per = h * w * c;
  if (!(Number.isInteger(count) && count >= 0 && images.length >= count * per))
    throw optionError('count', `${count} images need ${count * per} floats, got ${images.length}`);
  const missing = new Set(options.missing ?? []);
  const devices = plan.programs.map(
    (_, device) =>
      new DeviceBandRunner({ plan, device, weights: Array.isArray(weights) ? weights[device] : deviceWeights(plan, weights as GraphWeights, device) }),
  );
  const hub = new HubRunner(plan);
  const units = plan.graph.nodes[plan.graph.nodes.length - 1].shape[0];
  const logits = new Float32Array(count * units);
  try {
    for (let at = 0; at < count; at += batchSize) {
      const n = Math.min(batchSize, count - at);
      const batch = images.subarray(at * per, (at + n) * per);
      devices.forEach((d, i) => (missing.has(i) ? d.end() : d.begin(n, batch)));
      hub.begin(n, batch);
      let queue: BandPayload[] = hub.run();
      for (const [i, d] of devices.entries()) if (!missing.has(i)) queue.push(...d.run());
      while (queue.length > 0) {
        const next: BandPayload[] = [];
        for (const payload of queue) {
          const to = plan.messages[payload.id].to;
          if (missing.has(to)) continue;
          if (to === HUB) hub.deliver(payload);
          else devices[to].deliver(payload);
        }
        next.push(...hub.run());
        for (const [i, d] of devices.entries()) if (!missing.has(i)) next.push(...d.run());
        queue = next;
      }
      if (!hub.finished) {
        const stalled = [
          ...devices.flatMap((d, endpoint) => (!missing.has(endpoint) && !d.finished ? [{ endpoint, waitingFor: d.waitingFor }] : [])),
          { endpoint: HUB, waitingFor: hub.waitingFor },
        ];
        if (missing.size === 0) throw new ModnnError('E_PLAN_INVALID', `the plan stalls without faults: ${JSON.stringify(stalled)}`);
        return { completed: false, logits: undefined, stalled };
      }
      logits.set(hub.logits as Float32Array, at * units);
    }
    return { completed: true, logits };
  } finally {
    devices.forEach((d) => d.dispose());
  }
}
