import type { TopLevelSpec } from 'vega-lite';
import { ReportError } from './errors';
import { silentLogger, type Logger } from '@wearnet/logger';

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');
let modules: { vega: Vega; vegaLite: VegaLite } | undefined;

/** vega and vega-lite, required on first use (about 150 ms) so that importing this package stays cheap. */
function loadVega(): { vega: Vega; vegaLite: VegaLite } {
  // A plain require: both ship CommonJS builds, and a dynamic import() would not run under ts-jest.
  modules ??= { vega: require('vega') as Vega, vegaLite: require('vega-lite') as VegaLite };
  return modules;
}

/** Options of {@link renderSvg}. */
export interface RenderSvgOptions {
  /** Chart name for messages; default `chart`. */
  name?: string;
  /** Receives vega-lite's warnings about the spec (vega-lite would otherwise print them to the console). */
  logger?: Logger;
}

/**
 * Renders a vega-lite spec to a standalone SVG string in Node, without a browser or canvas:
 * vega-lite compiles it to vega, a headless vega View (renderer `none`) lays it out and
 * serialises the scenegraph. Text is measured by vega's estimate since no canvas is present.
 * @throws ReportError `E_RENDER_FAILED` when vega-lite or vega rejects the spec.
 */
export async function renderSvg(spec: TopLevelSpec, options: RenderSvgOptions = {}): Promise<string> {
  const name = options.name ?? 'chart';
  const log = (options.logger ?? silentLogger).child({ chart: name });
  const { vega, vegaLite } = loadVega();
  interface VegaLogger {
    level(): VegaLogger;
    error(...args: readonly unknown[]): VegaLogger;
    warn(...args: readonly unknown[]): VegaLogger;
    info(...args: readonly unknown[]): VegaLogger;
    debug(...args: readonly unknown[]): VegaLogger;
  }
  const forward =
    (level: 'warn' | 'debug') =>
    (...args: readonly unknown[]): VegaLogger => {
      log[level]({ chart: name }, args.map(String).join(' '));
      return vegaLogger;
    };
  const vegaLogger: VegaLogger = { level: () => vegaLogger, error: forward('warn'), warn: forward('warn'), info: forward('debug'), debug: forward('debug') };
  let view: InstanceType<typeof vega.View> | undefined;
  try {
    const compiled = vegaLite.compile(spec, { logger: vegaLogger as never }).spec;
    view = new vega.View(vega.parse(compiled), { renderer: 'none', logger: vegaLogger as never, logLevel: vega.Warn });
    return await view.toSVG();
  } catch (cause) {
    throw new ReportError('E_RENDER_FAILED', `cannot render the ${name} chart: ${(cause as Error).message}`, { cause });
  } finally {
    view?.finalize();
  }
}
