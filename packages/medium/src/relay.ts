import type { BodyTimeline, Direction, ModelClock, TransmitResult } from '@wearnet/link';
import { MediumError } from './errors';
import { AdaptiveReorderWindow, type AdaptiveReorderOptions } from './reorder-window';
import { ReplyObligations } from './reply-obligations';
import { TimeQueue } from './time-queue';

/** A message offered to the medium. */
export interface Offer {
  linkId: string;
  direction: Direction;
  payload: Uint8Array;
  /** Modelled time the sender has it ready, ms. */
  readyAtMs: number;
  /** Hub sequence number of a downlink (echoed in its report); 0 for uplinks. */
  seq: number;
  /**
   * A device-to-device message (direction `uplink`, one transmission on the sender's link): the
   * device it is for. The receiver owes an answer to its delivery as it does to a downlink's.
   */
  to?: string;
}

/** A committed message and its outcome on the timeline. */
export interface Outcome {
  offer: Offer;
  result: TransmitResult;
  /**
   * The host disturbed this message's modelled timing: it was committed after a message stamped
   * later (it reached the medium too late for the reorder window) and queued behind such traffic.
   */
  disturbed: boolean;
}

/** Real-time timer functions (injectable for tests). */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Options of {@link Relay}. */
export interface RelayOptions {
  timeline: BodyTimeline;
  clock: ModelClock;
  /** Called at the modelled time of each outcome (delivery or drop), in time order. */
  onOutcome: (outcome: Outcome) => void;
  /** Most messages waiting to be committed; default 10 000. */
  maxQueuedMessages?: number;
  /** Furthest a sender may date a message into the future, modelled ms; later stamps are clamped. Default 60 000. */
  maxLeadMs?: number;
  /**
   * Real ms an offer is held after it arrives before it may be committed, so that messages that
   * arrive late (a lagging host) but are stamped earlier still take the medium in stamp order.
   * Costs this much real delay per crossing, nothing in modelled time. Default 0.
   */
  reorderWindowMs?: number;
  /**
   * Hold each offer until its stamp is a window in the past, the window following the measured lag
   * of the senders (see {@link AdaptiveReorderWindow}); on by default, `false` turns it off.
   */
  adaptiveReorder?: AdaptiveReorderOptions | false;
  /**
   * Real ms the medium waits at most for a device's answer to a message it delivered before
   * committing later-stamped traffic (see {@link ReplyObligations}); 0 turns the wait off. Default 200
   * (below the aggregator's 250 ms grace). The wait itself follows the devices' measured lag: four
   * times (the 99th percentile of how late answers arrive after their stamp, less how late the relay
   * fed the device, + 0.5 ms), at least 100 ms, never above this.
   */
  maxReplyWaitMs?: number;
  timers?: Timers;
}

const nodeTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Paces the shared timeline against the model clock: offers wait until their ready time, are
 * committed to the timeline in ready-time order (FIFO), and their outcomes are released at the
 * modelled delivery time. When the host lags, commits happen late but keep their stamped times,
 * so modelled latencies stay those of the model.
 */
export class Relay {
  private readonly pending = new TimeQueue<Offer & { eligibleAtMs: number }>();
  private readonly due = new TimeQueue<Outcome>();
  private readonly timeline: BodyTimeline;
  private readonly clock: ModelClock;
  private readonly onOutcome: (outcome: Outcome) => void;
  private readonly maxQueued: number;
  private readonly maxLeadMs: number;
  private readonly reorderWindowMs: number;
  private readonly timers: Timers;
  private readonly adaptive: AdaptiveReorderWindow | null;
  /** How late (modelled ms) the relay last released an outcome to each sender (`hub` or a link id). */
  private readonly releaseLateness = new Map<string, number>();
  private maxCommittedStampMs = -Infinity;
  private readonly obligations = new ReplyObligations();
  private readonly maxReplyWaitMs: number;
  /** The devices' own answer lag (modelled ms), which sets how long an owed reply is waited for. */
  private readonly replyLag: AdaptiveReorderWindow;
  private timer: unknown = null;
  private timerAtMs = Infinity;
  private closed = false;

  constructor(options: RelayOptions) {
    this.timeline = options.timeline;
    this.clock = options.clock;
    this.onOutcome = options.onOutcome;
    this.maxQueued = options.maxQueuedMessages ?? 10000;
    this.maxLeadMs = options.maxLeadMs ?? 60000;
    this.timers = options.timers ?? nodeTimers;
    this.reorderWindowMs = options.reorderWindowMs ?? 0;
    if (!(this.reorderWindowMs >= 0)) throw new RangeError(`reorderWindowMs must not be negative, got ${this.reorderWindowMs}`);
    if (!Number.isSafeInteger(this.maxQueued) || this.maxQueued <= 0)
      throw new RangeError(`maxQueuedMessages must be a positive integer, got ${this.maxQueued}`);
    if (!(this.maxLeadMs >= 0)) throw new RangeError(`maxLeadMs must not be negative, got ${this.maxLeadMs}`);
    this.adaptive = options.adaptiveReorder === false ? null : new AdaptiveReorderWindow(options.adaptiveReorder);
    this.maxReplyWaitMs = options.maxReplyWaitMs ?? 200;
    if (!(this.maxReplyWaitMs >= 0)) throw new RangeError(`maxReplyWaitMs must not be negative, got ${this.maxReplyWaitMs}`);
    const scale = this.clock.timeScale;
    this.replyLag = new AdaptiveReorderWindow({
      maxMs: this.maxReplyWaitMs * scale,
      initialMs: Math.min(100, this.maxReplyWaitMs) * scale,
      marginMs: 0.5 * scale,
    });
  }

  /** A device disconnected: the medium no longer waits for its answers. */
  forgetDevice(deviceId: string): void {
    this.obligations.forget(deviceId);
  }

  /** The adaptive reorder window now (modelled ms) and the lag quantile it follows; null when off. */
  get reorderWindow(): { windowMs: number; lagQuantileMs: number; observed: number } | null {
    const a = this.adaptive;
    return a && { windowMs: a.windowMs, lagQuantileMs: a.lagQuantileMs, observed: a.observed };
  }

  /** Messages waiting to be committed. */
  get queueLength(): number {
    return this.pending.size;
  }

  /** Committed messages whose outcome is not yet released. */
  get inFlight(): number {
    return this.due.size;
  }

  /**
   * Offers a message. @throws MediumError `E_QUEUE_FULL` when `maxQueuedMessages` are already waiting.
   */
  offer(offer: Offer): void {
    if (this.closed) return;
    if (this.pending.size >= this.maxQueued) {
      throw new MediumError('E_QUEUE_FULL', `${this.pending.size} messages already wait for the medium (maxQueuedMessages ${this.maxQueued})`);
    }
    const now = this.clock.nowMs();
    const readyAtMs = Math.min(offer.readyAtMs, now + this.maxLeadMs);
    let eligibleAtMs = Math.max(readyAtMs, now + this.reorderWindowMs * this.clock.timeScale);
    if (offer.direction === 'uplink') {
      this.obligations.answered(offer.linkId);
      this.replyLag.observe(now - readyAtMs - (this.releaseLateness.get(offer.linkId) ?? 0));
    } else if (this.adaptive) {
      // The hub's own lag (its replies are not owed): how late this arrives after its stamp, less
      // how late the relay fed the hub. Device replies are ordered by the obligations instead.
      this.adaptive.observe(now - readyAtMs - (this.releaseLateness.get('hub') ?? 0));
    }
    if (this.adaptive) eligibleAtMs = Math.max(eligibleAtMs, readyAtMs + this.adaptive.windowMs);
    this.pending.push(readyAtMs, { ...offer, readyAtMs, eligibleAtMs });
    this.pump();
  }

  /** Stops all timers; pending and in-flight messages are discarded. */
  close(): void {
    this.closed = true;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private pump(): void {
    if (this.closed) return;
    const now = this.clock.nowMs();
    for (;;) {
      const head = this.pending.peek();
      const nextPending = head?.eligibleAtMs;
      const nextDue = this.due.peekTimeMs();
      const owed = this.obligations.bound(now);
      // Commit in stamp order (the head blocks until it is eligible and no owed reply can be stamped
      // before it), before releasing outcomes due later: an offer ready now may be scheduled before
      // a due outcome is released.
      const owedBefore = head !== undefined && owed.boundMs <= head.readyAtMs;
      if (nextPending !== undefined && nextPending <= now && !owedBefore && (nextDue === undefined || (head as Offer).readyAtMs <= nextDue)) {
        const { eligibleAtMs: _eligible, ...offer } = this.pending.pop() as Offer & { eligibleAtMs: number };
        if (!this.timeline.hasLink(offer.linkId)) this.timeline.addLink(offer.linkId, offer.readyAtMs);
        const busyBefore = this.timeline.busyUntilMs;
        const result = this.timeline.transmit({
          linkId: offer.linkId,
          direction: offer.direction,
          payloadBytes: offer.payload.length,
          readyAtMs: offer.readyAtMs,
        });
        // Out of stamp order and behind later-stamped traffic: the host moved this message's start.
        const disturbed = offer.readyAtMs < this.maxCommittedStampMs && busyBefore > offer.readyAtMs;
        this.maxCommittedStampMs = Math.max(this.maxCommittedStampMs, offer.readyAtMs);
        const receiver = offer.direction === 'downlink' ? offer.linkId : offer.to;
        if (receiver !== undefined && result.delivered && this.maxReplyWaitMs > 0) {
          const scale = this.clock.timeScale;
          const learnt = Math.max(Math.min(100, this.maxReplyWaitMs) * scale, 4 * this.replyLag.windowMs);
          const waitMs = this.replyLag.observed < 32 ? this.replyLag.windowMs : Math.min(this.maxReplyWaitMs * scale, learnt);
          this.obligations.delivered(receiver, result.atMs, result.atMs + waitMs);
        }
        this.due.push(result.atMs, { offer, result, disturbed });
        continue;
      }
      if (nextDue !== undefined && nextDue <= now) {
        const outcome = this.due.pop() as Outcome;
        const lateness = Math.max(0, now - outcome.result.atMs);
        this.releaseLateness.set('hub', lateness);
        if (outcome.offer.direction === 'downlink' && outcome.result.delivered) this.releaseLateness.set(outcome.offer.linkId, lateness);
        if (outcome.offer.to !== undefined && outcome.result.delivered) this.releaseLateness.set(outcome.offer.to, lateness);
        this.onOutcome(outcome);
        continue;
      }
      break;
    }
    const head = this.pending.peek();
    // A head held back by an owed reply waits for that reply (offer() pumps) or for its expiry.
    const owed = this.obligations.bound(now);
    const blocked = head !== undefined && owed.boundMs <= head.readyAtMs;
    const nextCommit = head === undefined ? Infinity : head.eligibleAtMs > now ? head.eligibleAtMs : blocked ? owed.nextExpiryMs : Infinity;
    const next = Math.min(nextCommit, this.due.peekTimeMs() ?? Infinity);
    if (next === Infinity) return;
    if (this.timer !== null && this.timerAtMs <= next) return;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timerAtMs = next;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.timerAtMs = Infinity;
      this.pump();
    }, this.clock.realDelayUntilMs(next));
  }
}
