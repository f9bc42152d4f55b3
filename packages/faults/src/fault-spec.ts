import type { StageDirection } from '@wearnet/link';

/** Device faults act on device processes; link faults on one link; `noise` on the whole medium. */
export type FaultKind = 'crash' | 'pause' | 'restart' | 'slow' | 'link-down' | 'flap' | 'degrade' | 'noise' | 'latency' | 'bandwidth';

/** Every fault kind, in documentation order. */
export const FAULT_KINDS: readonly FaultKind[] = ['crash', 'pause', 'restart', 'slow', 'link-down', 'flap', 'degrade', 'noise', 'latency', 'bandwidth'];

/** Kinds that act per message on links and so take a `toxicity` (the probability they apply to each message). */
export const TOXIC_FAULT_KINDS: readonly FaultKind[] = ['link-down', 'flap', 'degrade', 'noise', 'latency', 'bandwidth'];

/** Kinds that act on device processes (the launcher's business). */
export const DEVICE_FAULT_KINDS: readonly FaultKind[] = ['crash', 'pause', 'restart', 'slow'];

/**
 * When a fault starts: at a modelled time after the workload started, or as soon as a number of
 * requests have been finalised (the launcher holds the workload there until the fault is applied).
 */
export type FaultStart = { atMs: number } | { afterRequests: number };

/**
 * When a fault clears itself: after a modelled duration, after a number of further requests, or
 * `null`: it holds until it is cleared through the control API (or the run ends).
 */
export type FaultEnd = { durationMs: number } | { forRequests: number } | null;

/** Gilbert-Elliott burst parameters of a `degrade` or `noise` fault (a `burst` link stage). */
export interface BurstParams {
  /** Mean time between fades, modelled ms. */
  goodMeanMs: number;
  /** Mean length of a fade, modelled ms. */
  badMeanMs: number;
  /** Frame loss probability between fades; default 0. */
  lossInGood: number;
  /** Frame loss probability during a fade; default 1. */
  lossInBad: number;
}

/** What a `degrade` (one link) or `noise` (every link) fault does to frames. At least one field is set. */
export interface Degradation {
  /** Extra independent per-attempt frame loss, 0..1 (a `loss` stage). */
  loss?: number;
  /** Fades in modelled time (a `burst` stage). */
  burst?: BurstParams;
  /** PHY rate multiplier in (0, 1] (a `rate` stage). */
  rateFactor?: number;
}

/** Fields every fault has. */
interface FaultBase {
  /** Unique id of the fault in its run, `[A-Za-z0-9_.-]{1,64}`; stage names derive from it. */
  id: string;
  start: FaultStart;
  end: FaultEnd;
}

/** Field of the link kinds ({@link TOXIC_FAULT_KINDS}). */
interface Toxic {
  /**
   * Probability in [0, 1] that the fault applies to each message on its links, drawn per message
   * from the run seed (reproducible); absent = 1, every message (Toxiproxy's `toxicity`).
   */
  toxicity?: number;
}

/** A validated fault: the shape a topology's `faults:` entries and the control API's `POST /faults` resolve to. */
export type FaultSpec =
  | (FaultBase & { kind: 'crash' | 'pause'; targets: string[] })
  | (FaultBase & { kind: 'restart'; targets: string[]; end: null })
  | (FaultBase & { kind: 'slow'; targets: string[]; /** Compute-time multiplier, >= 1. */ factor: number })
  | (FaultBase & Toxic & { kind: 'link-down'; targets: string[]; direction: StageDirection })
  | (FaultBase &
      Toxic & {
        kind: 'flap';
        targets: string[];
        direction: StageDirection;
        end: { durationMs: number };
        /** Mean up time between outages, modelled ms (exponential). */
        upMeanMs: number;
        /** Mean outage, modelled ms (exponential). */
        downMeanMs: number;
      })
  | (FaultBase & Toxic & { kind: 'degrade'; targets: string[]; direction: StageDirection } & Degradation)
  | (FaultBase & Toxic & { kind: 'noise'; targets: []; direction: StageDirection } & Degradation)
  | (FaultBase &
      Toxic & {
        kind: 'latency';
        targets: string[];
        direction: StageDirection;
        /** Fixed delay of each message, modelled ms. */
        latencyMs: number;
        /** Spread: each delay is uniform in [latencyMs - jitterMs, latencyMs + jitterMs]; 0..latencyMs, default 0. */
        jitterMs: number;
      })
  | (FaultBase &
      Toxic & {
        kind: 'bandwidth';
        targets: string[];
        direction: StageDirection;
        /** Cap of the link's payload rate, bit/s (> 0). */
        rateBps: number;
      });

/** One period a fault was in effect on one target, on the records' modelled clock (`summary.faults`). */
export interface FaultPeriod {
  /** Modelled ms (the clock of `startMs` in `requests.jsonl`). */
  startMs: number;
  endMs: number;
  kind: FaultKind;
  /** A device id, or `medium` for a medium-wide fault. */
  target: string;
  /** Id of the fault. */
  id: string;
}
