import fc from 'fast-check';
import { BodyTimeline, ModelClock, resolveLinkConfig } from '@wearnet/link';
import { AdaptiveReorderWindow, Relay, type Outcome, type Timers } from '../src/index';

const link = resolveLinkConfig({ preset: 'hbc-1m3', overrides: { lossProbability: 0 } });

/** Timers that never fire by themselves: the test drives the relay by moving the host clock and pumping. */
function manualTimers(): Timers & { fire(): void } {
  let queued: (() => void)[] = [];
  return {
    setTimeout: (fn) => {
      queued.push(fn);
      return fn;
    },
    clearTimeout: (handle) => {
      queued = queued.filter((fn) => fn !== handle);
    },
    fire() {
      const now = queued;
      queued = [];
      now.forEach((fn) => fn());
    },
  };
}

/**
 * One round: the hub sends a request to each device at 0; each device answers `computeMs` after its
 * delivery, but the host hands the answers to the medium in `arrivalOrder` and `hostLagMs` late.
 * Returns the modelled delivery times of the answers at the hub and the disturbed count.
 */
function round(computeMs: number[], arrivalOrder: number[], hostLagMs: number[], maxReplyWaitMs = 200): { arrivals: number[]; disturbed: number } {
  let host = 0;
  const clock = new ModelClock({ epochMs: 0, hostNowMs: () => host });
  const timers = manualTimers();
  const released: Outcome[] = [];
  const relay = new Relay({ timeline: new BodyTimeline({ link, seed: 1 }), clock, timers, onOutcome: (o) => released.push(o), maxReplyWaitMs });
  const k = computeMs.length;
  for (let d = 0; d < k; d += 1) relay.offer({ linkId: `d${d}`, direction: 'downlink', payload: new Uint8Array(20), readyAtMs: 0, seq: d });
  const step = (to: number) => {
    while (host < to) {
      host = Math.min(to, host + 0.25);
      timers.fire();
    }
  };
  step(10);
  const delivered = new Map(released.filter((o) => o.offer.direction === 'downlink').map((o) => [o.offer.linkId, o.result.atMs]));
  // Answers become ready at delivery + compute; the host offers them late and in its own order.
  const answers = arrivalOrder.map((d) => ({ d, readyAtMs: (delivered.get(`d${d}`) as number) + computeMs[d], arriveAtMs: 0 }));
  let t = 10;
  for (const [i, a] of answers.entries()) {
    a.arriveAtMs = Math.max(t, a.readyAtMs) + hostLagMs[i];
    t = a.arriveAtMs;
  }
  for (const a of answers) {
    step(a.arriveAtMs);
    relay.offer({ linkId: `d${a.d}`, direction: 'uplink', payload: new Uint8Array(1000), readyAtMs: a.readyAtMs, seq: 0 });
  }
  step(t + 1000);
  const arrivals = new Array<number>(k).fill(NaN);
  let disturbed = 0;
  for (const o of released) {
    if (o.disturbed) disturbed += 1;
    if (o.offer.direction === 'uplink') arrivals[Number(o.offer.linkId.slice(1))] = o.result.atMs;
  }
  return { arrivals, disturbed };
}

describe('Relay reply ordering', () => {
  it('gives the same modelled reply times whatever order and lag (within the 100 ms least reply wait in all) the host delivers the replies in', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.double({ min: 0.5, max: 20, noNaN: true }), { minLength: 2, maxLength: 8 })
          .chain((compute) =>
            fc.tuple(
              fc.constant(compute),
              fc.shuffledSubarray([...compute.keys()], { minLength: compute.length, maxLength: compute.length }),
              fc.array(fc.double({ min: 0, max: 11, noNaN: true }), { minLength: compute.length, maxLength: compute.length }),
            ),
          ),
        ([compute, order, lag]) => {
          const reference = round(
            compute,
            [...compute.keys()],
            compute.map(() => 0),
          );
          const lagged = round(compute, order, lag);
          lagged.arrivals.forEach((a, i) => expect(a).toBeCloseTo(reference.arrivals[i], 9));
          expect(lagged.disturbed).toBe(0);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('flags a reply the host delivered after the wait for it expired, and that queued behind later-stamped traffic', () => {
    // d0 answers first in the model but its answer reaches the medium 500 ms late, past maxReplyWaitMs.
    const { disturbed } = round([1, 2, 3], [1, 2, 0], [0, 0, 500], 100);
    expect(disturbed).toBeGreaterThan(0);
  });

  it('waits for an owed reply only as long as the devices usually take once their lag is known', () => {
    let host = 0;
    const clock = new ModelClock({ epochMs: 0, hostNowMs: () => host });
    const timers = manualTimers();
    const released: Outcome[] = [];
    const relay = new Relay({ timeline: new BodyTimeline({ link, seed: 1 }), clock, timers, onOutcome: (o) => released.push(o) });
    const pumpTo = (to: number) => {
      while (host < to) {
        host = Math.min(to, host + 0.25);
        timers.fire();
      }
    };
    // 40 request/answer exchanges whose answers arrive 1 ms after their stamp.
    for (let i = 0; i < 40; i += 1) {
      relay.offer({ linkId: 'd', direction: 'downlink', payload: new Uint8Array(10), readyAtMs: host, seq: i });
      pumpTo(host + 2);
      const delivery = released[released.length - 1].result.atMs;
      pumpTo(delivery + 3);
      relay.offer({ linkId: 'd', direction: 'uplink', payload: new Uint8Array(10), readyAtMs: delivery + 2, seq: 0 });
      pumpTo(host + 5);
    }
    // Now d never answers a delivery: e's later-stamped answer waits the 100 ms floor (four times the learnt lag is less), not 200 ms.
    relay.offer({ linkId: 'd', direction: 'downlink', payload: new Uint8Array(10), readyAtMs: host, seq: 99 });
    pumpTo(host + 2);
    const start = host;
    relay.offer({ linkId: 'e', direction: 'uplink', payload: new Uint8Array(10), readyAtMs: host, seq: 0 });
    while (!released.some((o) => o.offer.linkId === 'e') && host < start + 400) pumpTo(host + 0.25);
    expect(host - start).toBeLessThan(110);
  });
});

describe('AdaptiveReorderWindow', () => {
  it('follows the 99th percentile of the observed lags plus the margin, within its maximum', () => {
    const window = new AdaptiveReorderWindow({ maxMs: 30, minSamples: 10 });
    expect(window.windowMs).toBe(2);
    for (let i = 0; i < 100; i += 1) window.observe(i / 10);
    expect(window.windowMs).toBeCloseTo(9.9 + 0.5, 9);
    for (let i = 0; i < 600; i += 1) window.observe(100);
    expect(window.windowMs).toBe(30);
  });
});
