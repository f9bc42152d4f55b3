import fc from 'fast-check';
import { BodyTimeline, ModelClock, resolveLinkConfig } from '@wearnet/link';
import { Relay, type Outcome, type Timers } from '../src/index';

/** The real system under test: a relay on a fake clock with manually fired timers. */
interface Real {
  relay: Relay;
  released: Outcome[];
  setHost(ms: number): void;
  host(): number;
  fire(): void;
}

/** What the model predicts: offers so far and the host time. */
interface Model {
  offered: { readyAtMs: number; linkId: string }[];
  hostMs: number;
}

function checkInvariants(model: Model, real: Real): void {
  const now = real.host();
  // Nothing is released before its modelled time, and releases come in time order.
  let previous = -Infinity;
  for (const { result } of real.released) {
    expect(result.atMs).toBeLessThanOrEqual(now + 1e-9);
    expect(result.atMs).toBeGreaterThanOrEqual(previous - 1e-9);
    previous = result.atMs;
  }
  // Every offer is pending, in flight or released: exactly once.
  expect(real.relay.queueLength + real.relay.inFlight + real.released.length).toBe(model.offered.length);
  // Once the clock is far past every stamp, everything has been released.
  const latest = Math.max(-Infinity, ...model.offered.map((o) => o.readyAtMs));
  if (model.offered.length > 0 && now > latest + 1e6) expect(real.released.length).toBe(model.offered.length);
}

class OfferCommand implements fc.Command<Model, Real> {
  constructor(
    readonly linkId: string,
    readonly bytes: number,
    readonly leadMs: number,
  ) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    const readyAtMs = model.hostMs + this.leadMs;
    real.relay.offer({ linkId: this.linkId, direction: 'uplink', payload: new Uint8Array(this.bytes), readyAtMs, seq: 0 });
    model.offered.push({ readyAtMs, linkId: this.linkId });
    checkInvariants(model, real);
  }
  toString(): string {
    return `offer(${this.linkId}, ${this.bytes} B, lead ${this.leadMs} ms)`;
  }
}

class AdvanceCommand implements fc.Command<Model, Real> {
  constructor(readonly ms: number) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    model.hostMs += this.ms;
    real.setHost(model.hostMs);
    real.fire();
    real.fire();
    checkInvariants(model, real);
  }
  toString(): string {
    return `advance(${this.ms} ms)`;
  }
}

describe('Relay (model-based)', () => {
  it('releases every offered message exactly once, never early, in time order, whatever the interleaving', () => {
    const link = resolveLinkConfig({ preset: 'hbc-1m3', overrides: { lossProbability: 0.2 } });
    const commands = [
      fc
        .tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 0, max: 3000 }), fc.integer({ min: -50, max: 50 }))
        .map(([l, b, lead]) => new OfferCommand(l, b, lead)),
      fc.integer({ min: 0, max: 200 }).map((ms) => new AdvanceCommand(ms)),
      fc.constant(new AdvanceCommand(2e6)),
    ];
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 60 }), fc.integer({ min: 0, max: 20 }), (cmds, windowMs) => {
        let host = 0;
        let queued: (() => void)[] = [];
        const timers: Timers = {
          setTimeout: (fn) => {
            queued.push(fn);
            return fn;
          },
          clearTimeout: (handle) => {
            queued = queued.filter((fn) => fn !== handle);
          },
        };
        const released: Outcome[] = [];
        const relay = new Relay({
          timeline: new BodyTimeline({ link, seed: 9 }),
          clock: new ModelClock({ epochMs: 0, hostNowMs: () => host }),
          timers,
          onOutcome: (o) => released.push(o),
          reorderWindowMs: windowMs,
        });
        const real: Real = {
          relay,
          released,
          setHost: (ms) => (host = ms),
          host: () => host,
          fire: () => {
            const now = queued;
            queued = [];
            now.forEach((fn) => fn());
          },
        };
        fc.modelRun(() => ({ model: { offered: [], hostMs: 0 }, real }), cmds);
      }),
      { numRuns: 200 },
    );
  });
});
