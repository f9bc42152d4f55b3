import type { TransferStats } from '@wearnet/protocol';
import { ackAirtimeMs, frameAirtimeMs, frameCount, framePayload } from './airtime';
import type { LinkConfig } from './config';
import { LinkError } from './errors';
import type { FadeConfig } from './config';
import { FadeProcess } from './fade-process';
import { linkView } from './path-loss';
import { GilbertElliott, type ChannelState } from './gilbert-elliott';
import { createStream, type RandomStream } from '@wearnet/random';
import { combineStages, createStage, stageType, type Direction, type Stage, type StageEffect, type StageSpec } from './stage-registry';
import './stages/index';
import { LinkDelivery, messageEffects, stagesForMessage } from './message-stages';

/** State of one device's link as seen by the medium. */
export type LinkState = 'up' | 'degraded' | 'down';

/** Link-layer accounting of one message: the protocol's `TransferStats`, which the medium reports to the hub as computed here. */
export type LinkTransferStats = TransferStats;

/** Outcome of {@link BodyTimeline.transmit}. */
export interface TransmitResult {
  /** False when a frame exhausted its retries (or was lost without ACKs): the receiver never sees the message. */
  delivered: boolean;
  /**
   * Modelled time the receiver has the whole message: the end of its last data frame, later when a
   * `bandwidth` or `latency` stage applied (see `delayMs`); when dropped, end of the failed attempt. ms.
   */
  atMs: number;
  /** How much later than the end of its last data frame the message is delivered (bandwidth cap, latency, link order), ms; 0 when dropped. */
  delayMs: number;
  stats: LinkTransferStats;
}

/** One frame attempt on the air, for traces and metrics. */
export interface AttemptRecord {
  linkId: string;
  direction: Direction;
  /** 0-based frame index within the message. */
  frame: number;
  /** 0-based attempt index of that frame (0 = first try). */
  attempt: number;
  payloadBytes: number;
  startMs: number;
  /** End of the data frame, ms. */
  dataEndMs: number;
  /** End of the attempt including IFS and ACK (or ACK timeout), ms. */
  endMs: number;
  lost: boolean;
  channel: ChannelState;
}

/** Options of {@link BodyTimeline}. */
export interface BodyTimelineOptions {
  link: LinkConfig;
  /** Seed of all randomness (loss, bursts, backoff); every link derives its own streams from it. */
  seed: number;
  /** Called for every frame attempt, in timeline order. */
  onAttempt?: (record: AttemptRecord) => void;
  /**
   * Extra channel of a link (for example a recorded trace, see `traceChannel`), called once when
   * the link is added; undefined for none. Combines with the config's channels as independent events.
   */
  channelFor?: (linkId: string) => LossChannel | undefined;
}

/** A time-varying channel of one link: its state and per-attempt loss at a modelled time (queried in non-decreasing time). */
export interface LossChannel {
  stateAt(atMs: number): ChannelState;
  lossAt(atMs: number): number;
}

/** A message offered to the medium. */
export interface TransmitRequest {
  linkId: string;
  direction: Direction;
  payloadBytes: number;
  /** Modelled time the message is ready to send, ms. */
  readyAtMs: number;
}

interface LinkEntry {
  loss: RandomStream;
  /** Steady per-attempt loss of this link (scaled by its pair path loss). */
  steadyLoss: number;
  /** The link's own channels (Gilbert-Elliott burst, fade process, trace). */
  channels: LossChannel[];
  stages: Stage[];
  /** State of stateful stages, by stage name. */
  states: Map<string, unknown>;
  /** Seeded stream of each stage's message effect (jitter), by stage name. */
  streams: Map<string, RandomStream>;
  delivery: LinkDelivery;
  /** Messages offered on the link so far (the index of a message in toxicity draws). */
  messages: number;
}

/** One link's view of the shared body-wide fade: the body's timing, this link's losses. */
function sharedFade(process: FadeProcess, own: FadeConfig): LossChannel {
  return {
    stateAt: (atMs) => process.stateAt(atMs),
    lossAt: (atMs) => (process.stateAt(atMs) === 'bad' ? own.lossInFade : own.lossInClear),
  };
}

/** Name of the pseudo-link whose stages apply to every link (medium-wide effects such as noise). */
const MEDIUM = '*';

/** Running totals of the whole body medium. */
export interface TimelineTotals {
  messages: number;
  delivered: number;
  dropped: number;
  attempts: number;
  lostFrames: number;
  /** Payload bytes of delivered messages. */
  deliveredPayloadBytes: number;
  /** Medium occupancy, ms. */
  busyMs: number;
}

/**
 * The one shared timeline of the body: every message of every link is serialised on it, FIFO
 * in the order `transmit` is called, frame by frame, at the PHY rate with per-frame overhead,
 * IFS and ACK cost, link-layer retries, steady and Gilbert-Elliott (in time) loss, and per-link
 * stages (faults). Pure: no clock, no I/O; the same seed and calls give the same trace.
 */
export class BodyTimeline {
  readonly link: LinkConfig;
  private readonly seed: number;
  private readonly onAttempt: ((record: AttemptRecord) => void) | undefined;
  private readonly links = new Map<string, LinkEntry>();
  private readonly medium: LinkEntry;
  private readonly channelFor: ((linkId: string) => LossChannel | undefined) | undefined;
  private readonly bodyFade: FadeProcess | null;
  private freeAtMs = 0;
  private readonly running: TimelineTotals = { messages: 0, delivered: 0, dropped: 0, attempts: 0, lostFrames: 0, deliveredPayloadBytes: 0, busyMs: 0 };

  constructor(options: BodyTimelineOptions) {
    if (!Number.isSafeInteger(options.seed)) throw new RangeError(`seed must be a safe integer, got ${String(options.seed)}`);
    this.link = options.link;
    this.seed = options.seed;
    this.onAttempt = options.onAttempt;
    this.channelFor = options.channelFor;
    // A body-wide fade is one process shared by every link: a posture change fades them all at once.
    this.bodyFade = options.link.bodyFade ? new FadeProcess(options.link.bodyFade, createStream(this.seed, `${MEDIUM}/fade`), 0) : null;
    this.medium = this.newEntry(MEDIUM, 0, []);
  }

  /** Modelled time the medium is next free, ms. */
  get busyUntilMs(): number {
    return this.freeAtMs;
  }

  /** Running totals since construction. */
  get totals(): Readonly<TimelineTotals> {
    return { ...this.running };
  }

  /** Adds a link (idempotent). Its randomness depends only on the seed and `linkId`. */
  addLink(linkId: string, atMs = 0): void {
    if (this.links.has(linkId)) return;
    const view = linkView(this.link, linkId);
    const { burst, fade, bodyFade } = view;
    const channels: LossChannel[] = [];
    if (this.bodyFade && bodyFade) channels.push(sharedFade(this.bodyFade, bodyFade));
    if (burst) channels.push(new GilbertElliott(burst, createStream(this.seed, `${linkId}/channel`), atMs));
    if (fade) channels.push(new FadeProcess(fade, createStream(this.seed, `${linkId}/fade`), atMs));
    const extra = this.channelFor?.(linkId);
    if (extra) channels.push(extra);
    this.links.set(linkId, this.newEntry(linkId, view.lossProbability, channels));
  }

  private newEntry(linkId: string, steadyLoss: number, channels: LossChannel[]): LinkEntry {
    const loss = createStream(this.seed, `${linkId}/loss`);
    return { loss, steadyLoss, channels, stages: [], states: new Map(), streams: new Map(), delivery: new LinkDelivery(), messages: 0 };
  }

  /** Ids of known links. */
  linkIds(): string[] {
    return [...this.links.keys()];
  }

  /** Whether the link exists. */
  hasLink(linkId: string): boolean {
    return this.links.has(linkId);
  }

  /**
   * Adds (or replaces, by name) a stage on a link. A stateful stage (such as `burst`) starts at
   * modelled `atMs` with randomness derived from the seed, the link and the stage name.
   * @throws LinkError `E_UNKNOWN_LINK`, `E_UNKNOWN_STAGE`, `E_INVALID_STAGE`.
   */
  addStage(linkId: string, spec: StageSpec, atMs = 0): Stage {
    return this.put(this.entry(linkId), linkId, spec, atMs);
  }

  /** Removes a stage by name; returns whether it existed. */
  removeStage(linkId: string, name: string): boolean {
    return this.drop(this.entry(linkId), name);
  }

  /** Active stages of a link (not counting medium-wide stages). */
  stages(linkId: string): Stage[] {
    return [...this.entry(linkId).stages];
  }

  /**
   * Adds (or replaces, by name) a medium-wide stage: it applies to every attempt of every link,
   * present and future (for example noise on the whole body). Same validation as {@link addStage}.
   */
  addMediumStage(spec: StageSpec, atMs = 0): Stage {
    return this.put(this.medium, MEDIUM, spec, atMs);
  }

  /** Removes a medium-wide stage by name; returns whether it existed. */
  removeMediumStage(name: string): boolean {
    return this.drop(this.medium, name);
  }

  /** Active medium-wide stages. */
  mediumStages(): Stage[] {
    return [...this.medium.stages];
  }

  /**
   * `down` when down stages cover both directions (and hit every message: no toxicity), `degraded`
   * when any stage (of the link or the medium) is active, else `up`.
   */
  linkState(linkId: string): LinkState {
    const stages = [...this.medium.stages, ...this.entry(linkId).stages];
    if (stages.length === 0) return 'up';
    const downIn = (direction: Direction): boolean =>
      stages.some((s) => stageType(s.type).state === 'down' && s.toxicity === undefined && (s.direction === 'both' || s.direction === direction));
    return downIn('uplink') && downIn('downlink') ? 'down' : 'degraded';
  }

  /**
   * Puts one message on the shared timeline, right after everything already scheduled
   * (or at `readyAtMs` when the medium is idle by then), and returns its outcome. Stages with a
   * `toxicity` below 1 are drawn once per message: they act on all of its frames or on none.
   * @throws LinkError `E_UNKNOWN_LINK`; RangeError for a negative size or non-finite time.
   */
  transmit(request: TransmitRequest): TransmitResult {
    const entry = this.entry(request.linkId);
    if (!Number.isSafeInteger(request.payloadBytes) || request.payloadBytes < 0) {
      throw new RangeError(`payloadBytes must be a non-negative integer, got ${String(request.payloadBytes)}`);
    }
    if (!Number.isFinite(request.readyAtMs)) throw new RangeError(`readyAtMs must be finite, got ${String(request.readyAtMs)}`);
    const link = this.link;
    const frames = frameCount(link, request.payloadBytes);
    const acked = link.ackBytes > 0;
    const start = Math.max(request.readyAtMs, this.freeAtMs);
    const index = entry.messages;
    entry.messages += 1;
    const draw = (scope: string) => (group: string) => createStream(this.seed, `${scope}/toxicity/${group}/${index}`).next();
    const own = stagesForMessage(entry.stages, request.direction, draw(request.linkId));
    const wide = stagesForMessage(this.medium.stages, request.direction, draw(`${MEDIUM}/${request.linkId}`));
    const stats: LinkTransferStats = {
      payloadBytes: request.payloadBytes,
      frames,
      attempts: 0,
      retries: 0,
      lostFrames: 0,
      dataBits: 0,
      ackBits: 0,
      airtimeMs: 0,
      queuedMs: start - request.readyAtMs,
      readyAtMs: request.readyAtMs,
      endAtMs: start,
    };
    let t = start;
    let delivered = true;
    let atMs = start;
    for (let frame = 0; frame < frames && delivered; frame += 1) {
      const payload = framePayload(link, request.payloadBytes, frame);
      for (let attempt = 0; ; attempt += 1) {
        if (link.backoff) {
          const cw = Math.min(link.backoff.cwMax, link.backoff.cwMin * 2 ** attempt);
          t += Math.floor(entry.loss.next() * cw) * link.backoff.slotMs;
        }
        const effect = this.effectAt(entry, { own, wide, direction: request.direction }, t);
        const { state: channel, loss: channelLoss } = this.channelAt(entry, t);
        const pLoss = effect.down ? 1 : 1 - (1 - entry.steadyLoss) * (1 - channelLoss) * (1 - effect.lossProbability);
        const draw = entry.loss.next();
        const lost = pLoss >= 1 || draw < pLoss;
        const dataEnd = t + frameAirtimeMs(link, payload, effect.rateFactor);
        const end = dataEnd + (acked ? link.ifsMs + ackAirtimeMs(link, effect.rateFactor) : 0) + link.ifsMs;
        stats.attempts += 1;
        stats.dataBits += (payload + link.frameOverheadBytes) * 8;
        if (attempt > 0) stats.retries += 1;
        if (lost) stats.lostFrames += 1;
        else if (acked) stats.ackBits += link.ackBytes * 8;
        this.onAttempt?.({
          linkId: request.linkId,
          direction: request.direction,
          frame,
          attempt,
          payloadBytes: payload,
          startMs: t,
          dataEndMs: dataEnd,
          endMs: end,
          lost,
          channel,
        });
        t = end;
        if (!lost) {
          atMs = dataEnd;
          break;
        }
        if (!acked || attempt >= link.maxRetries) {
          delivered = false;
          atMs = end;
          break;
        }
      }
    }
    stats.endAtMs = t;
    stats.airtimeMs = t - start;
    this.freeAtMs = t;
    this.running.messages += 1;
    this.running.attempts += stats.attempts;
    this.running.lostFrames += stats.lostFrames;
    this.running.busyMs += stats.airtimeMs;
    if (!delivered) {
      this.running.dropped += 1;
      return { delivered, atMs, delayMs: 0, stats };
    }
    this.running.delivered += 1;
    this.running.deliveredPayloadBytes += request.payloadBytes;
    const effects = messageEffects([...own, ...wide], (stage) => this.streamOf(own.includes(stage) ? entry : this.medium, stage));
    const deliveredAtMs = entry.delivery.deliver(
      request.direction,
      { readyAtMs: request.readyAtMs, mediumAtMs: atMs, payloadBytes: request.payloadBytes },
      effects,
    );
    return { delivered, atMs: deliveredAtMs, delayMs: deliveredAtMs - atMs, stats };
  }

  private streamOf(entry: LinkEntry, stage: Stage): RandomStream {
    const stream = entry.streams.get(stage.name);
    if (!stream) throw new LinkError('E_UNKNOWN_STAGE', `stage "${stage.name}" has no stream`);
    return stream;
  }

  private put(entry: LinkEntry, linkId: string, spec: StageSpec, atMs: number): Stage {
    const stage = createStage(spec);
    const init = stageType(stage.type).init;
    entry.states.delete(stage.name);
    entry.streams.set(stage.name, createStream(this.seed, `${linkId}/stage/${stage.name}/message`));
    if (init) entry.states.set(stage.name, init(stage.attributes, createStream(this.seed, `${linkId}/stage/${stage.name}`), atMs));
    entry.stages = [...entry.stages.filter((s) => s.name !== stage.name), stage];
    return stage;
  }

  private drop(entry: LinkEntry, name: string): boolean {
    const before = entry.stages.length;
    entry.stages = entry.stages.filter((s) => s.name !== name);
    entry.states.delete(name);
    entry.streams.delete(name);
    return entry.stages.length !== before;
  }

  /** Combined state (bad when any channel is) and loss (independent events) of the link's and the body's channels. */
  private channelAt(entry: LinkEntry, atMs: number): { state: ChannelState; loss: number } {
    let state: ChannelState = 'good';
    let keep = 1;
    for (const channels of [entry.channels, this.medium.channels]) {
      for (const channel of channels) {
        if (channel.stateAt(atMs) === 'bad') state = 'bad';
        keep *= 1 - channel.lossAt(atMs);
      }
    }
    return { state, loss: 1 - keep };
  }

  /** Combined per-attempt effect of the stages applying to the message (`own`: the link's, `wide`: medium-wide). */
  private effectAt(entry: LinkEntry, applying: { own: Stage[]; wide: Stage[]; direction: Direction }, atMs: number): StageEffect {
    const { direction } = applying;
    const own = combineStages(applying.own, direction, atMs, (stage) => entry.states.get(stage.name));
    if (applying.wide.length === 0) return own;
    const wide = combineStages(applying.wide, direction, atMs, (stage) => this.medium.states.get(stage.name));
    return {
      down: own.down || wide.down,
      lossProbability: 1 - (1 - own.lossProbability) * (1 - wide.lossProbability),
      rateFactor: own.rateFactor * wide.rateFactor,
    };
  }

  private entry(linkId: string): LinkEntry {
    const entry = this.links.get(linkId);
    if (!entry) throw new LinkError('E_UNKNOWN_LINK', `unknown link "${linkId}"`);
    return entry;
  }
}
