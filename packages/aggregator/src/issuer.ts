import type { ModelClock } from '@wearnet/link';
import type { Arrival } from '@wearnet/workload';

/** Options of {@link Issuer}. */
export interface IssuerOptions {
  /** Requests of the whole workload. */
  total: number;
  arrival: Arrival;
  /** Modelled offsets of open-loop arrivals from the workload start, ms; undefined for a closed loop. */
  opens: Float64Array | undefined;
  clock: ModelClock;
  /** Requests that may be issued before {@link Issuer.allow} raises it; undefined = all. */
  issueLimit: number | undefined;
  /** Requests issued and not yet fused. */
  inFlight: () => number;
  /** Starts request `id` at modelled `startMs`. */
  onIssue: (id: number, startMs: number) => void;
}

/**
 * Decides when each request starts: a closed loop keeps `concurrency` outstanding, an open loop
 * follows its arrival schedule; both stop at the issue limit until allowed more.
 */
export class Issuer {
  /** Requests issued so far. */
  issued = 0;
  /** Requests that may be issued so far. */
  allowed: number;
  /** How late the host issued each request after its intended start, modelled ms. */
  readonly issueLags: number[] = [];
  private running = false;
  /** Open-loop arrivals that came while the issue limit was reached; issued when allowed. */
  private held = 0;
  private readonly openTimers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: IssuerOptions) {
    this.allowed = Math.min(options.total, options.issueLimit ?? options.total);
  }

  /** Whether the workload is running. */
  get active(): boolean {
    return this.running;
  }

  /** Starts the workload now. */
  begin(): void {
    const { total, opens, clock, arrival } = this.options;
    this.running = true;
    const t0 = clock.nowMs();
    if (opens) {
      for (let i = 0; i < total; i += 1) {
        const startMs = t0 + opens[i];
        const timer = setTimeout(() => {
          this.openTimers.delete(timer);
          this.issue(startMs);
        }, clock.realDelayUntilMs(startMs));
        this.openTimers.add(timer);
      }
    } else if (arrival.mode === 'closed') {
      for (let i = 0; i < Math.min(arrival.concurrency, total); i += 1) this.issue(t0);
    }
  }

  /** Stops issuing for good. */
  halt(): void {
    this.running = false;
    for (const timer of this.openTimers) clearTimeout(timer);
    this.openTimers.clear();
  }

  /** Raises the issue limit to `upTo` (never below what is issued, never beyond the workload). */
  allow(upTo: number): void {
    if (!Number.isSafeInteger(upTo) || upTo < 0) throw new RangeError(`upTo must be a non-negative integer, got ${String(upTo)}`);
    const { total, opens, clock, arrival } = this.options;
    this.allowed = Math.min(total, Math.max(this.issued, upTo));
    if (!this.running) return;
    if (opens) {
      while (this.held > 0 && this.issued < this.allowed) {
        this.held -= 1;
        this.issue(clock.nowMs(), true);
      }
      return;
    }
    if (arrival.mode !== 'closed') return;
    const now = clock.nowMs();
    while (this.options.inFlight() < arrival.concurrency && this.issued < this.allowed) this.issue(now);
  }

  /** A request of a closed loop was fused at modelled `atMs`: start the next one. */
  fused(atMs: number): void {
    if (this.options.arrival.mode === 'closed') this.issue(atMs);
  }

  /**
   * Starts the next request, intended at modelled `intendedMs`. A closed loop starts no earlier
   * than now: when the host lags, the gap becomes idle time between requests instead of leaking
   * into a request's latency (traffic stamped "now", such as heartbeats, would otherwise queue
   * ahead of it).
   */
  private issue(intendedMs: number, released = false): void {
    const { total, opens, clock } = this.options;
    if (!this.running || this.issued >= total) return;
    if (this.issued >= this.allowed) {
      // Gated: a closed loop resumes when allowed more; an open-loop arrival waits for it.
      if (opens) this.held += 1;
      return;
    }
    const now = clock.nowMs();
    // An open-loop arrival held at the issue limit starts when it is released, not in the past.
    const startMs = opens && !released ? intendedMs : Math.max(intendedMs, now);
    this.issueLags.push(Math.max(0, now - intendedMs));
    const id = this.issued;
    this.issued += 1;
    this.options.onIssue(id, startMs);
  }
}
