/** Formats seconds as h:mm:ss or m:ss. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A text progress bar of `width` cells for `fraction` in [0, 1]. */
export function bar(fraction: number, width = 24): string {
  const f = Math.max(0, Math.min(1, fraction));
  const full = Math.round(f * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}]`;
}

/**
 * Progress on a stream: redraws one line in place on a TTY; elsewhere (nohup logs) prints a line at
 * most every `intervalMs` and on every `force`.
 */
export class ProgressLine {
  private last = 0;
  private drawn = false;
  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly intervalMs = 30_000,
  ) {}

  update(text: string, force = false): void {
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${text}`);
      this.drawn = true;
      return;
    }
    const now = Date.now();
    if (!force && now - this.last < this.intervalMs) return;
    this.last = now;
    this.stream.write(`${text}\n`);
  }

  /** Ends the in-place line (TTY) and prints `text` on its own line. */
  log(text: string): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
    this.stream.write(`${text}\n`);
  }
}
