import { GilbertElliott } from '../gilbert-elliott';
import { numberAttribute, registerStageType } from '../stage-registry';

/**
 * `burst`: a Gilbert-Elliott fade added on top of the link's own channel, evolving in modelled
 * time from the moment the stage is added (seeded per link and stage name). Attributes:
 * `goodMeanMs` and `badMeanMs` (mean holding times, modelled ms, > 0), `lossInGood` (default 0)
 * and `lossInBad` (default 1), per-attempt loss probabilities in [0, 1].
 */
registerStageType({
  type: 'burst',
  state: 'degraded',
  resolve: (attributes) => {
    const goodMeanMs = numberAttribute(attributes, 'goodMeanMs', 0, 3.6e6);
    const badMeanMs = numberAttribute(attributes, 'badMeanMs', 0, 3.6e6);
    if (goodMeanMs === 0) throw new RangeError('attributes.goodMeanMs must be above 0');
    if (badMeanMs === 0) throw new RangeError('attributes.badMeanMs must be above 0');
    return {
      goodMeanMs,
      badMeanMs,
      lossInGood: numberAttribute(attributes, 'lossInGood', 0, 1, 0),
      lossInBad: numberAttribute(attributes, 'lossInBad', 0, 1, 1),
    };
  },
  init: (attributes, stream, atMs) =>
    new GilbertElliott(
      {
        goodMeanMs: attributes.goodMeanMs as number,
        badMeanMs: attributes.badMeanMs as number,
        lossInGood: attributes.lossInGood as number,
        lossInBad: attributes.lossInBad as number,
      },
      stream,
      atMs,
    ),
  effect: (_attributes, atMs, state) => ({ lossProbability: (state as GilbertElliott).lossAt(atMs) }),
});
