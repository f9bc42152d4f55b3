import { numberAttribute, registerStageType } from '../stage-registry';

/** `rate`: the link runs slower (for example a fallback modulation). Attributes: `factor` in (0, 1] of the PHY rate. */
registerStageType({
  type: 'rate',
  state: 'degraded',
  resolve: (attributes) => {
    const factor = numberAttribute(attributes, 'factor', 0, 1);
    if (factor === 0) throw new RangeError('attributes.factor must be above 0');
    return { factor };
  },
  effect: (attributes) => ({ rateFactor: attributes.factor as number }),
});
