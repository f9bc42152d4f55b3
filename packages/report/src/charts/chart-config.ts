/** Look shared by every chart: plain sans-serif text (no web fonts), white background, readable sizes. */
export const CHART_CONFIG = {
  font: 'sans-serif',
  background: 'white',
  padding: 8,
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#e8e8e8' },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', labelLimit: 260 },
  title: { fontSize: 14, fontWeight: 'bold', anchor: 'start', offset: 10 },
  view: { stroke: '#cccccc' },
} as const;

/** Width and height of one chart's plotting area, px. */
export const CHART_WIDTH = 520;
export const CHART_HEIGHT = 280;

/** The vega-lite schema the specs are written against. */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** Colour of each method, the same in every chart: tableau10 in the order the methods are given. */
export const METHOD_COLORS = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'];

/** A colour scale mapping `names` to {@link METHOD_COLORS} (cycling after ten). */
export function methodColorScale(names: readonly string[]): { domain: string[]; range: string[] } {
  return { domain: [...names], range: names.map((_, i) => METHOD_COLORS[i % METHOD_COLORS.length]) };
}
