import { BodyTimeline, ModelClock, resolveLinkConfig } from '@wearnet/link';
import { Relay, type Outcome, type Timers } from '../src/index';

function fakeTimers(): Timers & { fire(): void; pending: number } {
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
    get pending() {
      return queued.length;
    },
  };
}

describe('Relay', () => {
  const link = resolveLinkConfig({ preset: 'hbc-1m3', overrides: { lossProbability: 0 } });

  it('commits offers in ready-time order and releases each outcome only once its modelled time has come', () => {
    let host = 0;
    const clock = new ModelClock({ epochMs: 0, hostNowMs: () => host });
    const timeline = new BodyTimeline({ link, seed: 1 });
    const released: Outcome[] = [];
    const timers = fakeTimers();
    const relay = new Relay({ timeline, clock, timers, onOutcome: (o) => released.push(o) });
    relay.offer({ linkId: 'b', direction: 'uplink', payload: new Uint8Array(3000), readyAtMs: 5, seq: 0 });
    relay.offer({ linkId: 'a', direction: 'uplink', payload: new Uint8Array(3000), readyAtMs: 2, seq: 0 });
    expect(relay.queueLength).toBe(2);
    host = 4;
    timers.fire();
    expect(relay.queueLength).toBe(1);
    host = 10;
    timers.fire();
    expect(relay.queueLength).toBe(0);
    expect(released).toHaveLength(0);
    host = 100;
    timers.fire();
    expect(released.map((o) => o.offer.linkId)).toEqual(['a', 'b']);
    expect(released[1].result.stats.queuedMs).toBeGreaterThan(0);
  });

  it('refuses an offer beyond maxQueuedMessages with E_QUEUE_FULL', () => {
    const clock = new ModelClock({ epochMs: 0, hostNowMs: () => 0 });
    const relay = new Relay({ timeline: new BodyTimeline({ link, seed: 1 }), clock, timers: fakeTimers(), onOutcome: () => undefined, maxQueuedMessages: 1 });
    relay.offer({ linkId: 'a', direction: 'uplink', payload: new Uint8Array(1), readyAtMs: 10, seq: 0 });
    expect(() => relay.offer({ linkId: 'a', direction: 'uplink', payload: new Uint8Array(1), readyAtMs: 10, seq: 0 })).toThrow(
      expect.objectContaining({ code: 'E_QUEUE_FULL' }),
    );
  });

  it('clamps a ready time dated too far into the future to maxLeadMs', () => {
    let host = 0;
    const clock = new ModelClock({ epochMs: 0, hostNowMs: () => host });
    const released: Outcome[] = [];
    const timers = fakeTimers();
    const relay = new Relay({ timeline: new BodyTimeline({ link, seed: 1 }), clock, timers, onOutcome: (o) => released.push(o), maxLeadMs: 50 });
    relay.offer({ linkId: 'a', direction: 'uplink', payload: new Uint8Array(1), readyAtMs: 1e9, seq: 0 });
    host = 1000;
    timers.fire();
    timers.fire();
    expect(released).toHaveLength(1);
    expect(released[0].offer.readyAtMs).toBe(50);
  });
});

describe('Relay reorder window', () => {
  const link = resolveLinkConfig({ preset: 'hbc-1m3', overrides: { lossProbability: 0 } });

  it('puts a late-arriving but earlier-stamped message first when it arrives within the window', () => {
    let host = 0;
    const clock = new ModelClock({ epochMs: 0, hostNowMs: () => host });
    const released: Outcome[] = [];
    const timers = fakeTimers();
    const relay = new Relay({ timeline: new BodyTimeline({ link, seed: 1 }), clock, timers, onOutcome: (o) => released.push(o), reorderWindowMs: 5 });
    host = 100;
    relay.offer({ linkId: 'late-stamp', direction: 'uplink', payload: new Uint8Array(500), readyAtMs: 50, seq: 0 });
    host = 102;
    relay.offer({ linkId: 'early-stamp', direction: 'uplink', payload: new Uint8Array(500), readyAtMs: 40, seq: 0 });
    timers.fire();
    expect(relay.queueLength).toBe(2);
    host = 200;
    timers.fire();
    timers.fire();
    expect(released.map((o) => o.offer.linkId)).toEqual(['early-stamp', 'late-stamp']);
    expect(released[0].result.stats.queuedMs).toBe(0);
  });

  it('without a window commits in arrival order once stamps are in the past', () => {
    let host = 100;
    const clock = new ModelClock({ epochMs: 0, hostNowMs: () => host });
    const released: Outcome[] = [];
    const timers = fakeTimers();
    const relay = new Relay({ timeline: new BodyTimeline({ link, seed: 1 }), clock, timers, onOutcome: (o) => released.push(o) });
    relay.offer({ linkId: 'first', direction: 'uplink', payload: new Uint8Array(500), readyAtMs: 50, seq: 0 });
    relay.offer({ linkId: 'second', direction: 'uplink', payload: new Uint8Array(500), readyAtMs: 40, seq: 0 });
    host = 200;
    timers.fire();
    expect(released.map((o) => o.offer.linkId)).toEqual(['first', 'second']);
  });
});
