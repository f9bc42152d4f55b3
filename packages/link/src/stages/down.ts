import { registerStageType } from '../stage-registry';

/** `down`: every frame attempt in the stage's direction is lost (the link is down). No attributes. */
registerStageType({
  type: 'down',
  state: 'down',
  resolve: () => ({}),
  effect: () => ({ down: true }),
});
