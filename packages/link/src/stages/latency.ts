import { numberAttribute, registerStageType } from '../stage-registry';

/**
 * `latency`: each message the stage applies to is delivered later than the medium would deliver it
 * (a relay, a sleeping receiver, a slow stack), without holding the shared medium. Attributes:
 * `latencyMs` (fixed delay, modelled ms, default 0) and `jitterMs` (default 0, at most `latencyMs`):
 * the delay of a message is uniform in [latencyMs - jitterMs, latencyMs + jitterMs], so its mean is
 * `latencyMs`. A link keeps its message order (a message is never delivered before the one sent
 * ahead of it on the same link and direction), as a byte stream would.
 */
registerStageType({
  type: 'latency',
  state: 'degraded',
  resolve: (attributes) => {
    const latencyMs = numberAttribute(attributes, 'latencyMs', 0, 3.6e6, 0);
    const jitterMs = numberAttribute(attributes, 'jitterMs', 0, 3.6e6, 0);
    if (jitterMs > latencyMs) throw new RangeError(`attributes.jitterMs (${jitterMs}) must not exceed attributes.latencyMs (${latencyMs})`);
    return { latencyMs, jitterMs };
  },
  effect: () => ({}),
  message: (attributes, random) => {
    const latencyMs = attributes.latencyMs as number;
    const jitterMs = attributes.jitterMs as number;
    return { latencyMs: jitterMs === 0 ? latencyMs : latencyMs - jitterMs + 2 * jitterMs * random() };
  },
});
