import type { ChannelAtom } from './channel-mixture';
import { LinkError } from './errors';
import type { ChannelState } from './gilbert-elliott';
import type { LossChannel } from './timeline';

/** What a trace's values are: a channel gain in dB per sample, or a frame success probability in [0, 1]. */
export type TraceKind = 'gain-db' | 'success';

/** A recorded channel: sample times and one column of values per link. */
export interface ChannelTrace {
  kind: TraceKind;
  /** Sample times, modelled ms, strictly increasing, the first at 0 or later. */
  timesMs: Float64Array;
  /** Values per column (link) name, one per sample. */
  columns: Map<string, Float64Array>;
  /** Length of the trace, ms: last sample time + the last sample spacing (a sample holds until the next). */
  durationMs: number;
}

/**
 * Threshold model from gain to frame loss: with `widthDb` 0 a frame is lost exactly when the gain
 * is below `thresholdDb` (the receiver's sensitivity relative to the transmit power); with
 * `widthDb` > 0 the loss falls smoothly, `1 / (1 + exp((gainDb - thresholdDb) / widthDb))`
 * (50 % at the threshold, 12 % at one width above, 0.03 % at eight widths above).
 */
export interface GainThreshold {
  /** Gain below which frames are lost, dB; default -85 (ASSUMPTION, see the README). */
  thresholdDb: number;
  /** Width of the transition, dB; default 1. */
  widthDb: number;
}

/** Frame loss probability at `gainDb` under the threshold model. */
export function gainToLoss(gainDb: number, model: GainThreshold): number {
  if (model.widthDb === 0) return gainDb < model.thresholdDb ? 1 : 0;
  return 1 / (1 + Math.exp((gainDb - model.thresholdDb) / model.widthDb));
}

/** Options of {@link parseChannelTrace}. */
export interface ParseTraceOptions {
  /** Kind of the values when the file does not say (`# kind: gain-db` or `# kind: success`); default `gain-db`. */
  kind?: TraceKind;
  /** Name of the file, for error messages. */
  file?: string;
}

/**
 * Parses a CSV channel trace: `#` comment lines (one may be `# kind: gain-db|success`), a header
 * `time_ms,<link>,<link>,...`, then one row per sample (time in ms, strictly increasing; one value
 * per link). @throws LinkError `E_INVALID_TRACE` naming the file, line and column.
 */
export function parseChannelTrace(text: string, options: ParseTraceOptions = {}): ChannelTrace {
  const file = options.file ?? '<trace>';
  let kind: TraceKind = options.kind ?? 'gain-db';
  let header: string[] | null = null;
  const times: number[] = [];
  const values: number[][] = [];
  const fail = (line: number, message: string): never => {
    throw new LinkError('E_INVALID_TRACE', `${file}:${line}: ${message}`);
  };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    const at = i + 1;
    if (line === '') return;
    if (line.startsWith('#')) {
      const directive = /^#\s*kind\s*:\s*(\S+)/.exec(line);
      if (directive) {
        if (directive[1] !== 'gain-db' && directive[1] !== 'success') fail(at, `kind must be gain-db or success, got ${directive[1]}`);
        kind = directive[1] as TraceKind;
      }
      return;
    }
    const cells = line.split(',').map((c) => c.trim());
    if (header === null) {
      if (!/^time(_ms)?$/i.test(cells[0])) fail(at, `the header must start with time_ms, got ${cells[0]}`);
      if (cells.length < 2) fail(at, 'the header must name at least one link column');
      if (new Set(cells).size !== cells.length) fail(at, 'column names must be unique');
      header = cells;
      return;
    }
    if (cells.length !== header.length) fail(at, `expected ${header.length} values, got ${cells.length}`);
    const row = cells.map(Number);
    row.forEach((v, c) => {
      if (!Number.isFinite(v)) fail(at, `column ${(header as string[])[c]}: not a finite number: ${cells[c]}`);
      if (c > 0 && kind === 'success' && (v < 0 || v > 1)) fail(at, `column ${(header as string[])[c]}: a success value must be in [0, 1], got ${v}`);
    });
    if (row[0] < 0) fail(at, `time must not be negative, got ${row[0]}`);
    if (times.length > 0 && row[0] <= times[times.length - 1]) fail(at, `time must increase, got ${row[0]} after ${times[times.length - 1]}`);
    times.push(row[0]);
    values.push(row.slice(1));
  });
  if (header === null || times.length === 0) throw new LinkError('E_INVALID_TRACE', `${file}: no header or no samples`);
  const names = (header as string[]).slice(1);
  const columns = new Map(names.map((name, c) => [name, Float64Array.from(values, (row) => row[c])]));
  const last = times.length - 1;
  const spacing = times.length > 1 ? times[last] - times[last - 1] : 1;
  return { kind, timesMs: Float64Array.from(times), columns, durationMs: times[last] + spacing };
}

/** Options of {@link traceChannel}. */
export interface TraceChannelOptions {
  /** Gain threshold model (gain-db traces); defaults -85 dB, width 1 dB. */
  threshold?: Partial<GainThreshold>;
  /** Replay from the start again after the end (default true); false holds the last sample. */
  loop?: boolean;
}

/** Resolves a threshold model. @throws RangeError naming the field. */
export function resolveThreshold(threshold: Partial<GainThreshold> = {}): GainThreshold {
  const thresholdDb = threshold.thresholdDb ?? -85;
  const widthDb = threshold.widthDb ?? 1;
  if (!Number.isFinite(thresholdDb)) throw new RangeError(`threshold.thresholdDb must be a finite number, got ${String(thresholdDb)}`);
  if (!Number.isFinite(widthDb) || widthDb < 0) throw new RangeError(`threshold.widthDb must be a non-negative number, got ${String(widthDb)}`);
  return { thresholdDb, widthDb };
}

/** Per-sample frame loss of one column. */
function columnLoss(trace: ChannelTrace, column: string, model: GainThreshold): Float64Array {
  const values = trace.columns.get(column);
  if (!values) throw new LinkError('E_INVALID_TRACE', `trace has no column "${column}" (columns: ${[...trace.columns.keys()].join(', ')})`);
  return values.map((v) => (trace.kind === 'success' ? 1 - v : gainToLoss(v, model)));
}

/**
 * A link channel replaying one trace column: each sample holds until the next (sample and hold),
 * the loss of an attempt is the sample's (gain through the threshold model, or 1 - success), and
 * the state is `bad` while that loss is at least 0.5. Times before the first sample see the first.
 */
export function traceChannel(trace: ChannelTrace, column: string, options: TraceChannelOptions = {}): LossChannel {
  const loss = columnLoss(trace, column, resolveThreshold(options.threshold));
  const times = trace.timesMs;
  const loop = options.loop ?? true;
  let index = 0;
  let cycleStartMs = 0;
  const lossAt = (atMs: number): number => {
    if (loop) {
      while (atMs - cycleStartMs >= trace.durationMs) {
        cycleStartMs += trace.durationMs;
        index = 0;
      }
    }
    const local = atMs - cycleStartMs;
    while (index + 1 < times.length && times[index + 1] <= local) index += 1;
    return loss[index];
  };
  return { lossAt, stateAt: (atMs: number): ChannelState => (lossAt(atMs) >= 0.5 ? 'bad' : 'good') };
}

/** The trace column's states for the analytic figures: each sample's loss weighted by how long it holds. */
export function traceAtoms(trace: ChannelTrace, column: string, options: TraceChannelOptions = {}): ChannelAtom[] {
  const loss = columnLoss(trace, column, resolveThreshold(options.threshold));
  const times = trace.timesMs;
  // Sample 0 also covers the time before it; the last holds until durationMs.
  return Array.from(loss, (l, i) => ({
    loss: l,
    weight: ((i + 1 < times.length ? times[i + 1] : trace.durationMs) - (i === 0 ? 0 : times[i])) / trace.durationMs,
  }));
}

/** Renders a trace as the CSV {@link parseChannelTrace} reads (values to 0.01). */
export function formatChannelTrace(trace: ChannelTrace, comments: readonly string[] = []): string {
  const names = [...trace.columns.keys()];
  const lines = [...comments.map((c) => `# ${c}`), `# kind: ${trace.kind}`, ['time_ms', ...names].join(',')];
  trace.timesMs.forEach((t, i) => {
    lines.push([String(Math.round(t * 1000) / 1000), ...names.map((n) => (trace.columns.get(n) as Float64Array)[i].toFixed(2))].join(','));
  });
  return `${lines.join('\n')}\n`;
}

/**
 * The per-link channels of a trace replay: each link whose id names a trace column replays it
 * (a fresh channel per call); other links get none. For `BodyTimelineOptions.channelFor`.
 */
export function traceReplay(trace: ChannelTrace, options: TraceChannelOptions = {}): (linkId: string) => LossChannel | undefined {
  return (linkId) => (trace.columns.has(linkId) ? traceChannel(trace, linkId, options) : undefined);
}
