import type { StageSpec } from '@wearnet/link';
import type { Degradation, FaultSpec } from './fault-spec';
import { flapOutages, type FlapOptions } from './flapping';

/**
 * One thing the launcher does to the cluster. Device actions go to device processes (`crash`:
 * SIGKILL, `restore`: a fresh process, `pause`/`resume`: SIGSTOP/SIGCONT, `restart`: SIGKILL and
 * a fresh process at once, `slow`: compute time x factor, factor 1 = full speed); stage actions to
 * the medium (`link` null = medium-wide).
 */
export type FaultAction =
  | { op: 'crash' | 'restore' | 'pause' | 'resume' | 'restart'; device: string }
  | { op: 'slow'; device: string; factor: number }
  | { op: 'add-stage'; link: string | null; stage: StageSpec & { name: string } }
  | { op: 'remove-stage'; link: string | null; name: string };

/** Actions due at one offset from the fault's start. */
export interface FaultStep {
  /** Modelled ms after the fault started. */
  offsetMs: number;
  actions: FaultAction[];
}

/** What applying a fault means, step by step. */
export interface FaultPlan {
  /**
   * Steps in offset order; the first is at offset 0. For a fault ending after `durationMs` the
   * last step, at `durationMs`, is {@link FaultPlan.clear}; a fault ending after `forRequests` or
   * when cleared runs `clear` at that moment instead.
   */
  steps: FaultStep[];
  /** Undoes whatever the fault may have applied, from any point of its plan (idempotent). */
  clear: FaultAction[];
}

/** Options of {@link planFault}. */
export interface PlanFaultOptions extends Pick<FlapOptions, 'maxOutages'> {
  /** Seed of the run: flapping outages are drawn from it and the fault id. */
  seed: number;
}

/**
 * The plan of one fault: the actions at its start, during it (flapping outages, drawn from the
 * seed and the fault id so a replay gives the same schedule) and the actions that clear it.
 * Stage names derive from the fault id (`<id>`, `<id>.loss`, `<id>.burst`, `<id>.rate`).
 * @throws FaultError `E_FAULT_INVALID` when a flap would need more than `maxOutages` outages.
 */
export function planFault(fault: FaultSpec, options: PlanFaultOptions): FaultPlan {
  const durationMs = fault.end !== null && 'durationMs' in fault.end ? fault.end.durationMs : undefined;
  const withEnd = (start: FaultAction[], clear: FaultAction[]): FaultPlan => ({
    steps:
      durationMs === undefined
        ? [{ offsetMs: 0, actions: start }]
        : [
            { offsetMs: 0, actions: start },
            { offsetMs: durationMs, actions: clear },
          ],
    clear,
  });
  const each = <A extends FaultAction>(make: (device: string) => A): A[] => fault.targets.map(make);
  switch (fault.kind) {
    case 'crash':
      return withEnd(
        each((device) => ({ op: 'crash', device })),
        each((device) => ({ op: 'restore', device })),
      );
    case 'pause':
      return withEnd(
        each((device) => ({ op: 'pause', device })),
        each((device) => ({ op: 'resume', device })),
      );
    case 'restart':
      return { steps: [{ offsetMs: 0, actions: each((device) => ({ op: 'restart', device })) }], clear: [] };
    case 'slow':
      return withEnd(
        each((device) => ({ op: 'slow', device, factor: fault.factor })),
        each((device) => ({ op: 'slow', device, factor: 1 })),
      );
    case 'link-down': {
      const stage = { name: fault.id, type: 'down', direction: fault.direction, ...toxicOf(fault.id, fault) };
      return withEnd(
        each((link) => ({ op: 'add-stage', link, stage })),
        each((link) => ({ op: 'remove-stage', link, name: fault.id })),
      );
    }
    case 'flap': {
      const stage = { name: fault.id, type: 'down', direction: fault.direction, ...toxicOf(fault.id, fault) };
      const clear: FaultAction[] = each((link) => ({ op: 'remove-stage', link, name: fault.id }));
      const steps: FaultStep[] = [];
      for (const outage of flapOutages({
        id: fault.id,
        seed: options.seed,
        durationMs: fault.end.durationMs,
        upMeanMs: fault.upMeanMs,
        downMeanMs: fault.downMeanMs,
        maxOutages: options.maxOutages,
      })) {
        steps.push({ offsetMs: outage.startMs, actions: each((link) => ({ op: 'add-stage', link, stage })) });
        steps.push({ offsetMs: outage.endMs, actions: clear });
      }
      const last = steps[steps.length - 1];
      if (last && last.offsetMs === fault.end.durationMs) return { steps, clear };
      // Keeps the invariant "the first step is at 0, the last at the duration".
      if (steps.length === 0 || steps[0].offsetMs > 0) steps.unshift({ offsetMs: 0, actions: [] });
      steps.push({ offsetMs: fault.end.durationMs, actions: clear });
      return { steps, clear };
    }
    case 'degrade': {
      const stages = degradationStages(fault.id, fault, fault.direction);
      return withEnd(
        fault.targets.flatMap((link) => stages.map((stage): FaultAction => ({ op: 'add-stage', link, stage }))),
        fault.targets.flatMap((link) => stages.map((stage): FaultAction => ({ op: 'remove-stage', link, name: stage.name }))),
      );
    }
    case 'noise': {
      const stages = degradationStages(fault.id, fault, fault.direction);
      return withEnd(
        stages.map((stage): FaultAction => ({ op: 'add-stage', link: null, stage })),
        stages.map((stage): FaultAction => ({ op: 'remove-stage', link: null, name: stage.name })),
      );
    }
    case 'latency':
    case 'bandwidth': {
      const attributes = fault.kind === 'latency' ? { latencyMs: fault.latencyMs, jitterMs: fault.jitterMs } : { rateBps: fault.rateBps };
      const stage = { name: fault.id, type: fault.kind, direction: fault.direction, attributes, ...toxicOf(fault.id, fault) };
      return withEnd(
        each((link) => ({ op: 'add-stage', link, stage })),
        each((link) => ({ op: 'remove-stage', link, name: fault.id })),
      );
    }
  }
}

/** The stage fields of a fault's toxicity: the toxicity and the fault's id as the group (absent when it applies to every message). */
function toxicOf(id: string, fault: { toxicity?: number }): Pick<StageSpec, 'toxicity' | 'group'> {
  return fault.toxicity === undefined ? {} : { toxicity: fault.toxicity, group: id };
}

/**
 * The link stages of a degradation: `<id>.loss`, `<id>.burst`, `<id>.rate` for the fields that are
 * set; with a `toxicity` they share the group `<id>`, so the fault hits a message as a whole.
 */
export function degradationStages(
  id: string,
  degradation: Degradation & { toxicity?: number },
  direction: StageSpec['direction'],
): (StageSpec & { name: string })[] {
  const stages: (StageSpec & { name: string })[] = [];
  const toxic = toxicOf(id, degradation);
  if (degradation.loss !== undefined) stages.push({ name: `${id}.loss`, type: 'loss', direction, attributes: { probability: degradation.loss }, ...toxic });
  if (degradation.burst !== undefined) stages.push({ name: `${id}.burst`, type: 'burst', direction, attributes: { ...degradation.burst }, ...toxic });
  if (degradation.rateFactor !== undefined)
    stages.push({ name: `${id}.rate`, type: 'rate', direction, attributes: { factor: degradation.rateFactor }, ...toxic });
  return stages;
}
