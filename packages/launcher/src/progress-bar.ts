import type { Progress } from '@wearnet/aggregator';

/** Where progress goes: a terminal gets a redrawn bar, anything else a line per tenth. */
export interface ProgressSink {
  write(text: string): void;
  isTTY?: boolean;
}

/** Renders run progress to a stream (stderr by default). */
export class ProgressBar {
  private lastTenth = -1;
  private lastDraw = 0;
  private readonly startedAt = Date.now();

  constructor(private readonly sink: ProgressSink = process.stderr) {}

  update(progress: Progress): void {
    const fraction = progress.total === 0 ? 1 : progress.done / progress.total;
    if (this.sink.isTTY) {
      const now = Date.now();
      if (now - this.lastDraw < 100 && progress.done < progress.total) return;
      this.lastDraw = now;
      this.sink.write(`\r\x1b[K${this.line(progress, fraction)}`);
      return;
    }
    const tenth = Math.floor(fraction * 10);
    if (tenth === this.lastTenth) return;
    this.lastTenth = tenth;
    this.sink.write(`${this.line(progress, fraction)}\n`);
  }

  /** Ends the bar's line. */
  finish(): void {
    if (this.sink.isTTY && this.lastDraw > 0) this.sink.write('\n');
  }

  private line(p: Progress, fraction: number): string {
    const width = 24;
    const filled = Math.round(fraction * width);
    const elapsed = (Date.now() - this.startedAt) / 1000;
    const eta = fraction > 0 ? elapsed * (1 / fraction - 1) : NaN;
    const accuracy = p.done === 0 ? 0 : (100 * p.correct) / p.done;
    const latency = Number.isFinite(p.p50LatencyMs) ? p.p50LatencyMs.toFixed(1) : '-';
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${p.done}/${p.total}  acc ${accuracy.toFixed(1)}%  p50 ${latency} ms  misses ${p.deadlineMisses}  eta ${Number.isFinite(eta) ? Math.round(eta) : '-'} s`;
  }
}
