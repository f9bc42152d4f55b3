import { accuracyVsFailedChart, bytesPerInferenceChart, energyChart, latencyCdfChart, renderSvg, timelineChart, type Logger } from '../src/index';

/** Text of every <text> element of an SVG. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>'));
}

describe('renderSvg', () => {
  it('renders the accuracy chart with lines, points, axis titles and both legends', async () => {
    const svg = await renderSvg(
      accuracyVsFailedChart({
        methods: [
          {
            name: 'nonn',
            endToEnd: [
              { failed: 0, accuracy: 0.7 },
              { failed: 1, accuracy: 0.5 },
            ],
            offline: [
              { failed: 0, accuracy: 0.71 },
              { failed: 1, accuracy: 0.52 },
            ],
          },
        ],
      }),
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toMatch(/class="mark-line role-mark/);
    expect(svg).toMatch(/class="mark-symbol role-mark/);
    expect(texts(svg)).toEqual(
      expect.arrayContaining(['failed devices', 'accuracy', 'method', 'nonn', 'measured', 'end to end (emulated)', 'offline evaluation', '100%']),
    );
    expect(svg).toMatch(/stroke-dasharray="6,4"/);
  });

  it('renders the latency CDF, bytes, energy and timeline charts with their marks and titles', async () => {
    const cdf = await renderSvg(latencyCdfChart({ methods: [{ name: 'a', latenciesMs: [100, 110, 120], boundMs: 95 }] }));
    expect(cdf).toMatch(/class="mark-rule role-mark/);
    expect(texts(cdf)).toEqual(expect.arrayContaining(['modelled latency (ms)', 'requests at or below']));
    const bytes = await renderSvg(bytesPerInferenceChart({ methods: [{ name: 'nonn', downBytes: 12000, upBytes: 1400 }] }));
    expect(bytes).toMatch(/class="mark-rect role-mark/);
    expect(texts(bytes)).toEqual(expect.arrayContaining(['bytes per inference', 'nonn', '13,400 B', 'hub → devices']));
    const energy = await renderSvg(energyChart({ groups: [{ name: 'g', devices: [{ id: 'device-0', radioNj: 1000, computeNj: 2000 }] }] }));
    expect(texts(energy)).toEqual(expect.arrayContaining(['energy per inference (µJ)', 'device-0', 'compute (device class)']));
    const timeline = await renderSvg(
      timelineChart({
        devices: 2,
        requests: [
          { startMs: 0, latencyMs: 10, fused: 2, deadlineMissed: false },
          { startMs: 1000, latencyMs: 20, fused: 1, deadlineMissed: true },
        ],
        faults: [{ startMs: 200, endMs: 600, kind: 'device-down', target: 'device-1' }],
      }),
    );
    expect(texts(timeline)).toEqual(
      expect.arrayContaining(['modelled time (s)', 'latency (ms)', 'vectors fused', 'fault', 'device-down', 'device-down device-1']),
    );
    expect(timeline).toMatch(/class="mark-rect role-mark/);
  });

  it('sends vega-lite warnings to the logger instead of the console', async () => {
    const warnings: string[] = [];
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (_o, msg) => void warnings.push(msg ?? ''),
      error: () => undefined,
      child: () => logger,
    };
    const consoleWarn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await renderSvg(
        { data: { values: [{ a: 1 }] }, mark: 'bar', encoding: { x: { field: 'a', type: 'quantitative' }, shape: { field: 'a', type: 'nominal' } } },
        { logger },
      );
      expect(warnings.join('\n')).toMatch(/shape/);
      expect(consoleWarn).not.toHaveBeenCalled();
    } finally {
      consoleWarn.mockRestore();
    }
  });

  it('fails with E_RENDER_FAILED naming the chart when vega-lite rejects the spec', async () => {
    await expect(renderSvg({ data: { values: [] }, mark: 'bogus' } as never, { name: 'broken' })).rejects.toMatchObject({
      code: 'E_RENDER_FAILED',
      message: expect.stringContaining('cannot render the broken chart'),
    });
  });
});
