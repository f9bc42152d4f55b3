import { validateFade, type FadeConfig } from '../config';
import { FadeProcess } from '../fade-process';
import { numberAttribute, registerStageType } from '../stage-registry';

/**
 * `fade`: alternating fade / non-fade periods with lognormal (or exponential) durations on top of
 * the link's own channel, evolving in modelled time from the moment the stage is added (seeded per
 * link and stage name). On one link it fades that link; as a medium-wide stage one process fades
 * every link at once (a posture change). Attributes: `fadeMeanMs`, `clearMeanMs` (mean durations,
 * modelled ms, > 0), `fadeSigma`, `clearSigma` (sd of ln duration, default 0.8), `distribution`
 * (`lognormal` default, or `exponential`), `lossInFade` (default 1), `lossInClear` (default 0).
 */
registerStageType({
  type: 'fade',
  state: 'degraded',
  resolve: (attributes) => {
    const distribution = attributes.distribution ?? 'lognormal';
    const config: FadeConfig = {
      distribution: distribution as FadeConfig['distribution'],
      fadeMeanMs: numberAttribute(attributes, 'fadeMeanMs', 0, 3.6e6),
      clearMeanMs: numberAttribute(attributes, 'clearMeanMs', 0, 3.6e6),
      fadeSigma: numberAttribute(attributes, 'fadeSigma', 0, 5, 0.8),
      clearSigma: numberAttribute(attributes, 'clearSigma', 0, 5, 0.8),
      lossInFade: numberAttribute(attributes, 'lossInFade', 0, 1, 1),
      lossInClear: numberAttribute(attributes, 'lossInClear', 0, 1, 0),
    };
    validateFade(config, 'attributes');
    return { ...config };
  },
  init: (attributes, stream, atMs) => new FadeProcess(attributes as unknown as FadeConfig, stream, atMs),
  effect: (_attributes, atMs, state) => ({ lossProbability: (state as FadeProcess).lossAt(atMs) }),
});
