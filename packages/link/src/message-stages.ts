import type { RandomStream } from '@wearnet/random';
import { stageType, type Direction, type Stage } from './stage-registry';

/** Combined {@link MessageEffect}s of the stages applying to one message. */
export interface MessageEffects {
  /** Sum of the stages' delays, modelled ms (stacked latencies add). */
  latencyMs: number;
  /** Lowest payload-rate cap, bit/s (the tightest bandwidth stage wins); Infinity when none. */
  rateCapBps: number;
}

/**
 * The stages of `stages` that apply to one message in `direction`: those of its direction, each
 * with a `toxicity` below 1 kept when `draw` (a number in [0, 1) fixed by the message and the
 * stage's group) falls below it, so the same seed and traffic pick the same messages.
 */
export function stagesForMessage(stages: readonly Stage[], direction: Direction, draw: (group: string) => number): Stage[] {
  return stages.filter((s) => (s.direction === 'both' || s.direction === direction) && (s.toxicity === undefined || draw(s.group ?? s.name) < s.toxicity));
}

/** Message-level effect of the applying stages (their `message` hooks draw from each stage's stream). */
export function messageEffects(stages: readonly Stage[], streamOf: (stage: Stage) => RandomStream): MessageEffects {
  const out: MessageEffects = { latencyMs: 0, rateCapBps: Infinity };
  for (const stage of stages) {
    const hook = stageType(stage.type).message;
    if (!hook) continue;
    const stream = streamOf(stage);
    const effect = hook(stage.attributes, () => stream.next());
    if (effect.latencyMs !== undefined) out.latencyMs += effect.latencyMs;
    if (effect.rateCapBps !== undefined) out.rateCapBps = Math.min(out.rateCapBps, effect.rateCapBps);
  }
  return out;
}

/**
 * Per direction of one link: the bandwidth shaper's next free time and the last delivery, so that
 * capped payload passes one message after another and delivery keeps the link's message order.
 */
export class LinkDelivery {
  private readonly shaperFreeMs: Record<Direction, number> = { uplink: -Infinity, downlink: -Infinity };
  private readonly lastMs: Record<Direction, number> = { uplink: -Infinity, downlink: -Infinity };

  /**
   * Delivery time of a message the medium delivered at `mediumAtMs`, ready since `readyAtMs`,
   * with `payloadBytes` under `effects`: not before its payload left the shaper, plus the latency,
   * not before the previous delivery in the same direction.
   */
  deliver(direction: Direction, at: { readyAtMs: number; mediumAtMs: number; payloadBytes: number }, effects: MessageEffects): number {
    let t = at.mediumAtMs;
    if (Number.isFinite(effects.rateCapBps)) {
      const done = Math.max(at.readyAtMs, this.shaperFreeMs[direction]) + (at.payloadBytes * 8 * 1000) / effects.rateCapBps;
      this.shaperFreeMs[direction] = done;
      t = Math.max(t, done);
    }
    t = Math.max(t + effects.latencyMs, this.lastMs[direction]);
    this.lastMs[direction] = t;
    return t;
  }
}
