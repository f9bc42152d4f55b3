import { Histogram, type Registry } from 'prom-client';
import { latencyBucketsSeconds } from './latency-buckets';

/** Options of {@link LatencyHistogram}. */
export interface LatencyHistogramOptions {
  registry: Registry;
  /** The workload's deadline, modelled ms. */
  deadlineMs: number;
  /** Latencies kept until a bound is known; past this many the buckets follow the deadline alone. Default 256. */
  maxPending?: number;
}

/** Name of the request-latency histogram. */
export const LATENCY_HISTOGRAM = 'wearnet_request_latency_seconds';

/**
 * `wearnet_request_latency_seconds`: modelled request latency, with buckets derived from the
 * analytic bound of the first request every device answered and the deadline
 * ({@link latencyBucketsSeconds}). Until that request is fused the latencies are held (at most
 * `maxPending`, then a bound of a tenth of the deadline is assumed) and the series is absent.
 */
export class LatencyHistogram {
  private histogram: Histogram | undefined;
  private upperBounds: number[] | undefined;
  private pending: number[] = [];
  private readonly maxPending: number;

  constructor(private readonly options: LatencyHistogramOptions) {
    this.maxPending = options.maxPending ?? 256;
    if (!(Number.isSafeInteger(this.maxPending) && this.maxPending >= 0))
      throw new RangeError(`maxPending must be a non-negative integer, got ${this.maxPending}`);
  }

  /** Upper bounds of the buckets (seconds), once laid out. */
  get buckets(): readonly number[] | undefined {
    return this.upperBounds;
  }

  /** Lays the buckets out around `boundMs` (once; later calls do nothing). */
  layOut(boundMs: number): void {
    if (this.histogram) return;
    this.upperBounds = latencyBucketsSeconds({ boundMs, deadlineMs: this.options.deadlineMs });
    this.histogram = new Histogram({
      name: LATENCY_HISTOGRAM,
      help: 'Modelled request latency in seconds (buckets fine around the analytic bound)',
      buckets: this.upperBounds,
      registers: [this.options.registry],
    });
    for (const ms of this.pending) this.histogram.observe(ms / 1000);
    this.pending = [];
  }

  /** Records one request's latency (modelled ms) and, when every device answered, its analytic bound. */
  observe(latencyMs: number, boundMs?: number): void {
    if (!this.histogram && boundMs !== undefined && boundMs > 0) this.layOut(boundMs);
    if (this.histogram) return this.histogram.observe(latencyMs / 1000);
    this.pending.push(latencyMs);
    if (this.pending.length > this.maxPending) this.layOut(this.options.deadlineMs / 10);
  }
}
