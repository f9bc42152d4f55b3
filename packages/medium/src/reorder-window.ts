/** Options of {@link AdaptiveReorderWindow}. */
export interface AdaptiveReorderOptions {
  /** Largest window, modelled ms; default 50. */
  maxMs?: number;
  /** Window before `minSamples` lags were seen, modelled ms; default 2. */
  initialMs?: number;
  /** Lags kept (a ring); default 512. */
  samples?: number;
  /** Lags needed before the window follows them; default 32. */
  minSamples?: number;
  /** Quantile of the kept lags the window covers; default 0.99. */
  quantile?: number;
  /** Added to the quantile, modelled ms; default 0.5. */
  marginMs?: number;
}

/**
 * A reorder window derived from the host's measured lag: how late (modelled ms) senders' messages
 * reach the medium after their stamp, net of how late the medium itself released what they were
 * answering (so the window's own delay does not feed back into it). The medium commits a message
 * only when its stamp is this far in the past, so messages of a lagging host that arrive late but
 * are stamped earlier still take the medium in stamp order. Costs real time, never modelled time.
 */
export class AdaptiveReorderWindow {
  private readonly maxMs: number;
  private readonly initialMs: number;
  private readonly minSamples: number;
  private readonly quantile: number;
  private readonly marginMs: number;
  private readonly ring: Float64Array;
  private count = 0;
  private cached: number | null = null;

  constructor(options: AdaptiveReorderOptions = {}) {
    this.maxMs = options.maxMs ?? 50;
    this.initialMs = options.initialMs ?? 2;
    this.minSamples = options.minSamples ?? 32;
    this.quantile = options.quantile ?? 0.99;
    this.marginMs = options.marginMs ?? 0.5;
    const size = options.samples ?? 512;
    if (!(this.maxMs >= 0)) throw new RangeError(`adaptiveReorder.maxMs must not be negative, got ${this.maxMs}`);
    if (!(this.initialMs >= 0)) throw new RangeError(`adaptiveReorder.initialMs must not be negative, got ${this.initialMs}`);
    if (!Number.isSafeInteger(size) || size <= 0) throw new RangeError(`adaptiveReorder.samples must be a positive integer, got ${size}`);
    if (!(this.quantile > 0 && this.quantile <= 1)) throw new RangeError(`adaptiveReorder.quantile must be in (0, 1], got ${this.quantile}`);
    this.ring = new Float64Array(size);
  }

  /** Records one sender lag, modelled ms (negative values count as 0). */
  observe(lagMs: number): void {
    this.ring[this.count % this.ring.length] = Math.max(0, lagMs);
    this.count += 1;
    this.cached = null;
  }

  /** Lags observed so far. */
  get observed(): number {
    return this.count;
  }

  /** The high quantile of the kept lags, modelled ms (0 before any). */
  get lagQuantileMs(): number {
    const n = Math.min(this.count, this.ring.length);
    if (n === 0) return 0;
    const sorted = this.ring.slice(0, n).sort();
    return sorted[Math.min(n - 1, Math.floor(this.quantile * n))];
  }

  /** The current window, modelled ms. */
  get windowMs(): number {
    if (this.cached !== null) return this.cached;
    const w = this.count < this.minSamples ? this.initialMs : this.lagQuantileMs + this.marginMs;
    this.cached = Math.min(this.maxMs, w);
    return this.cached;
  }
}
