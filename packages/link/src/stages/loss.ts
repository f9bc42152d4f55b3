import { numberAttribute, registerStageType } from '../stage-registry';

/** `loss`: extra independent frame loss. Attributes: `probability` in [0, 1] per attempt. */
registerStageType({
  type: 'loss',
  state: 'degraded',
  resolve: (attributes) => ({ probability: numberAttribute(attributes, 'probability', 0, 1) }),
  effect: (attributes) => ({ lossProbability: attributes.probability as number }),
});
