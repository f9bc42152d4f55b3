import { optionError } from './errors';

/** Learning-rate schedule over optimisation steps. */
export type Schedule =
  | {
      /** Linear warm-up for `warmupSteps`, then cosine decay from `peak` to `floor` at `totalSteps`. */
      kind: 'cosine';
      peak: number;
      floor?: number;
      warmupSteps: number;
      totalSteps: number;
    }
  | {
      /** `peak` multiplied by `factor` at each step in `milestones` (WRN paper: x0.2 at epochs 60, 120, 160). */
      kind: 'step';
      peak: number;
      factor: number;
      milestones: number[];
      warmupSteps?: number;
    };

/** Checks a schedule; throws RangeError naming the field. */
export function checkSchedule(s: Schedule): Schedule {
  if (!(s.peak > 0 && Number.isFinite(s.peak))) throw optionError('schedule.peak', `must be > 0, got ${s.peak}`);
  if (s.kind === 'cosine') {
    if (!(Number.isInteger(s.totalSteps) && s.totalSteps > 0)) throw optionError('schedule.totalSteps', 'must be a positive integer');
    if (!(Number.isInteger(s.warmupSteps) && s.warmupSteps >= 0 && s.warmupSteps < s.totalSteps)) {
      throw optionError('schedule.warmupSteps', 'must be an integer in [0, totalSteps)');
    }
  } else if (s.kind === 'step') {
    if (!(s.factor > 0 && s.factor <= 1)) throw optionError('schedule.factor', 'must be in (0, 1]');
  } else {
    throw optionError('schedule.kind', `must be cosine or step, got ${String((s as { kind: unknown }).kind)}`);
  }
  return s;
}

/** Learning rate at optimisation step `step` (0-based). */
export function learningRateAt(s: Schedule, step: number): number {
  const warmup = s.warmupSteps ?? 0;
  if (step < warmup) return (s.peak * (step + 1)) / warmup;
  if (s.kind === 'cosine') {
    const floor = s.floor ?? 0;
    const t = Math.min(1, (step - warmup) / Math.max(1, s.totalSteps - warmup));
    return floor + 0.5 * (s.peak - floor) * (1 + Math.cos(Math.PI * t));
  }
  let lr = s.peak;
  for (const m of s.milestones) if (step >= m) lr *= s.factor;
  return lr;
}
