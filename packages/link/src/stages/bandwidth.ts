import { numberAttribute, registerStageType } from '../stage-registry';

/**
 * `bandwidth`: caps the payload rate of a link in one direction (a throttled relay or a receiver
 * that drains slowly). Attribute: `rateBps`, bit/s (> 0). The payload of the messages the stage
 * applies to passes a shaper at that rate, one message after another, alongside the medium: a
 * message is delivered no earlier than the medium delivers it and no earlier than its last payload
 * bit left the shaper. The shared medium is held only for the message's own airtime, so a capped
 * link does not slow the others.
 */
registerStageType({
  type: 'bandwidth',
  state: 'degraded',
  resolve: (attributes) => {
    const rateBps = numberAttribute(attributes, 'rateBps', 0, 1e12);
    if (rateBps === 0) throw new RangeError('attributes.rateBps must be above 0');
    return { rateBps };
  },
  effect: () => ({}),
  message: (attributes) => ({ rateCapBps: attributes.rateBps as number }),
});
