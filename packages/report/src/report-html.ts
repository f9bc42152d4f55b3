import type { RunResults } from './run-results';

/** One rendered chart of the report. */
export interface ReportChart {
  /** Stable id, also the `data-chart` attribute of its `<figure>` (e.g. `accuracy-vs-failed`). */
  id: string;
  heading: string;
  /** One or two sentences on how to read it. */
  caption: string;
  /** Inline SVG markup; absent for a section that is a number or a table only. */
  svg?: string;
  /** HTML after the figure (a table of the chart's numbers, or the number shown instead of a chart). */
  html?: string;
}

/** One row of the accuracy table: a method at one number of failed devices. */
export interface AccuracyRow {
  method: string;
  failed: number;
  /** End-to-end accuracy and the requests behind it (absent when not measured). */
  endToEnd?: { accuracy: number; requests: number };
  /** Offline accuracy (absent without an offline evaluation). */
  offline?: number;
}

/** Input of {@link reportHtml}. */
export interface ReportHtmlInput {
  title: string;
  /** ISO time the report was made. */
  generatedAt: string;
  runs: readonly RunResults[];
  accuracy: readonly AccuracyRow[];
  charts: readonly ReportChart[];
  /** Notes shown under the charts (e.g. timelines left out). */
  notes: readonly string[];
  /** Links to files next to the report, hrefs relative to it. */
  files: readonly { label: string; href: string }[];
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function fixed(value: number | undefined, digits: number): string {
  return value !== undefined && Number.isFinite(value) ? value.toFixed(digits) : '-';
}

function percent(value: number | undefined): string {
  return value !== undefined && Number.isFinite(value) ? `${(value * 100).toFixed(1)} %` : '-';
}

/** An HTML table; cells from column `numericFrom` on are right-aligned numbers. */
export function htmlTable(header: readonly string[], rows: readonly (readonly string[])[], numericFrom: number): string {
  const th = header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${row.map((cell, i) => `<td${i >= numericFrom ? ' class="num"' : ''}>${escapeHtml(cell)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function runsTable(runs: readonly RunResults[]): string {
  const rows = runs.map((run) => {
    const s = run.summary;
    const energy =
      s.devices.every((d) => d.energyNjPerInference) && s.devices.length > 0
        ? s.devices.reduce((a, d) => a + (d.energyNjPerInference?.total ?? 0), 0) / 1000
        : NaN;
    return [
      run.id,
      run.method,
      s.run?.linkPreset ?? '-',
      String(s.devices.length),
      `${s.requests.finalised} / ${s.requests.issued}${s.complete ? '' : ' (stopped)'}`,
      percent(s.requests.accuracy),
      `${fixed(s.latencyMs.p50, 1)} / ${fixed(s.latencyMs.p95, 1)} / ${fixed(s.latencyMs.p99, 1)}`,
      fixed(s.boundMs, 1),
      percent(s.requests.deadlineMissRate),
      fixed(s.bytesPerInference.total, 0),
      fixed(energy, 1),
    ];
  });
  return htmlTable(
    [
      'run',
      'method',
      'link',
      'devices',
      'requests',
      'accuracy',
      'latency p50 / p95 / p99 (ms)',
      'bound (ms)',
      'deadline misses',
      'bytes / inference',
      'energy / inference, all devices (µJ)',
    ],
    rows,
    3,
  );
}

function accuracyTable(rows: readonly AccuracyRow[]): string {
  return htmlTable(
    ['method', 'failed devices', 'end to end', 'requests', 'offline'],
    rows.map((r) => [r.method, String(r.failed), percent(r.endToEnd?.accuracy), r.endToEnd ? String(r.endToEnd.requests) : '-', percent(r.offline)]),
    1,
  );
}

const STYLE = `
body { font-family: sans-serif; margin: 24px auto; max-width: 1100px; padding: 0 16px; color: #222; }
h1 { font-size: 22px; margin-bottom: 4px; }
h2 { font-size: 17px; margin: 28px 0 6px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
p.meta, p.caption, p.note { color: #555; font-size: 13px; margin: 4px 0 10px; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; }
th { background: #f4f4f4; font-weight: normal; }
p.headline { font-size: 16px; margin: 6px 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure.chart { margin: 8px 0 16px; overflow-x: auto; }
figure.chart svg { display: block; max-width: none; }
`;

/** The self-contained report page: inline CSS and SVG, no scripts, no external resources. */
export function reportHtml(input: ReportHtmlInput): string {
  const methods = [...new Set(input.runs.map((r) => r.method))];
  const charts = input.charts
    .map(
      (c) =>
        `<section id="${escapeHtml(c.id)}">\n<h2>${escapeHtml(c.heading)}</h2>\n<p class="caption">${escapeHtml(c.caption)}</p>\n${c.svg === undefined ? '' : `<figure class="chart" data-chart="${escapeHtml(c.id)}">\n${c.svg}\n</figure>\n`}${c.html ?? ''}${c.id.startsWith('accuracy') ? accuracyTable(input.accuracy) : ''}\n</section>`,
    )
    .join('\n');
  const files =
    input.files.length === 0
      ? ''
      : `<section id="files">\n<h2>Files</h2>\n<ul>\n${input.files.map((f) => `<li><a href="${escapeHtml(f.href)}">${escapeHtml(f.label)}</a></li>`).join('\n')}\n</ul>\n</section>`;
  const notes = input.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(input.title)}</h1>
<p class="meta">${input.runs.length} run${input.runs.length === 1 ? '' : 's'}; method${methods.length === 1 ? '' : 's'}: ${escapeHtml(methods.join(', '))}; generated ${escapeHtml(input.generatedAt)} by wearnet report. Latencies and times are on the modelled clock.</p>
</header>
<section id="runs">
<h2>Runs</h2>
${runsTable(input.runs)}
</section>
${charts}
${notes}
${files}
</body>
</html>
`;
}
