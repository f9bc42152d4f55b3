import fc from 'fast-check';

export const DEVICES = ['device-0', 'device-1', 'device-2', 'device-3'];

const targets = fc.oneof(fc.constantFrom(...DEVICES), fc.uniqueArray(fc.constantFrom(...DEVICES), { minLength: 1, maxLength: 4 }));
const start = fc.oneof(
  fc.constant({}),
  fc.record({ atMs: fc.double({ min: 0, max: 1e5, noNaN: true }) }),
  fc.record({ afterRequests: fc.integer({ min: 0, max: 1000 }) }),
);
const duration = fc.record({ durationMs: fc.double({ min: 1, max: 1e5, noNaN: true }) });
const end = fc.oneof(fc.constant({}), duration, fc.record({ forRequests: fc.integer({ min: 1, max: 1000 }) }));
const direction = fc.option(fc.constantFrom('both', 'uplink', 'downlink'), { nil: undefined });
const degradation = fc
  .record(
    {
      loss: fc.double({ min: 0, max: 1, noNaN: true }),
      rateFactor: fc.double({ min: 0.01, max: 1, noNaN: true }),
      burst: fc.record({ goodMeanMs: fc.double({ min: 1, max: 1e4, noNaN: true }), badMeanMs: fc.double({ min: 1, max: 1e4, noNaN: true }) }),
    },
    { requiredKeys: [] },
  )
  .filter((d) => Object.keys(d).length > 0);
const toxicity = fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }).map((t) => (t === undefined ? {} : { toxicity: t }));
const latency = fc
  .tuple(fc.double({ min: 0, max: 1e4, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))
  .map(([latencyMs, share]) => ({ latencyMs, jitterMs: latencyMs * share }));

/** Flat fault inputs (the topology / control API shape) of every kind, valid for {@link DEVICES}. */
export function faultInput(options: { withDuration?: boolean } = {}): fc.Arbitrary<Record<string, unknown>> {
  const e = options.withDuration ? duration : end;
  return fc.oneof(
    fc.tuple(fc.constantFrom('crash', 'pause'), targets, start, e).map(([kind, target, s, d]) => ({ kind, target, ...s, ...d })),
    options.withDuration
      ? fc.constant(undefined).chain(() => fc.tuple(targets, start).map(([target, s]) => ({ kind: 'crash', target, ...s, durationMs: 5 })))
      : fc.tuple(targets, start).map(([target, s]) => ({ kind: 'restart', target, ...s })),
    fc.tuple(targets, start, e, fc.double({ min: 1, max: 100, noNaN: true })).map(([target, s, d, factor]) => ({ kind: 'slow', target, factor, ...s, ...d })),
    fc.tuple(targets, start, e, direction).map(([target, s, d, dir]) => ({ kind: 'link-down', target, ...s, ...d, ...(dir ? { direction: dir } : {}) })),
    fc
      .tuple(
        targets,
        start,
        fc.double({ min: 1, max: 2000, noNaN: true }),
        fc.double({ min: 1, max: 200, noNaN: true }),
        fc.double({ min: 1, max: 200, noNaN: true }),
      )
      .map(([target, s, durationMs, upMeanMs, downMeanMs]) => ({ kind: 'flap', target, ...s, durationMs, upMeanMs, downMeanMs })),
    fc.tuple(targets, start, e, degradation).map(([target, s, d, g]) => ({ kind: 'degrade', target, ...s, ...d, ...g })),
    fc.tuple(start, e, degradation, toxicity).map(([s, d, g, t]) => ({ kind: 'noise', ...s, ...d, ...g, ...t })),
    fc.tuple(targets, start, e, latency, toxicity, direction).map(([target, s, d, l, t, dir]) => ({
      kind: 'latency',
      target,
      ...s,
      ...d,
      ...l,
      ...t,
      ...(dir ? { direction: dir } : {}),
    })),
    fc
      .tuple(targets, start, e, fc.double({ min: 1, max: 1e9, noNaN: true }), toxicity)
      .map(([target, s, d, rateBps, t]) => ({ kind: 'bandwidth', target, ...s, ...d, rateBps, ...t })),
  );
}
