import fc from 'fast-check';
import { DEVICE_CLASSES, computeTimeMs } from '@wearnet/hardware';
import { idleTransfer, radioEnergyNj, resolveLinkConfig } from '@wearnet/link';
import { framedTraffic, modnnLatencyBound, planModnn, planTraffic, simulateInference, wrnGraph, HUB } from '../src/index';

const m7 = DEVICE_CLASSES['cortex-m7-480'];
const graph = wrnGraph({ depth: 10, widthFactor: 2 });

describe('simulateInference', () => {
  it('on one device is request, compute, partial, pooled, logits on one FIFO medium: exactly the idle transfers and the compute time', () => {
    const link = resolveLinkConfig({ preset: 'hbc-1m3' });
    const plan = planModnn({ graph, speeds: [1] });
    const bound = modnnLatencyBound({ plan, link, deviceClasses: [m7] });
    const macs = plan.programs[0].reduce((n, s) => n + (s.op === 'compute' ? s.macs : 0), 0);
    const dense = 128 * 100;
    const pool = idleTransfer(link, 128 * 4);
    // The partial leaves when the device is done; the pooled vector waits for the partial's ACK tail,
    // and the logits (12.8 k MACs, 0.03 ms) wait for the pooled vector's.
    const partialAt = idleTransfer(link, 8).deliveryMs + computeTimeMs(m7, macs - dense);
    const expected = partialAt + pool.occupancyMs + pool.occupancyMs + idleTransfer(link, 400).deliveryMs;
    expect(bound.completed).toBe(true);
    expect(bound.latencyMs).toBeCloseTo(expected, 9);
    expect(bound.devices[0].macs).toBe(macs);
    expect(bound.devices[0].computeMs).toBeCloseTo(computeTimeMs(m7, macs), 9);
  });

  it('occupies the medium exactly the framed airtime of every message when lossless, and charges radio energy by the link hooks', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('hbc-1m3', 'hbc-164k'),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom<'direct' | 'hub-relay'>('direct', 'hub-relay'),
        (preset, k, routing) => {
          const link = resolveLinkConfig({ preset });
          const plan = planModnn({ graph, speeds: new Array(k).fill(1) });
          const sim = modnnLatencyBound({ plan, link, deviceClasses: new Array(k).fill(m7), routing });
          const framed = framedTraffic(link, plan.messages, { routing });
          expect(sim.busyMs).toBeCloseTo(framed.airtimeMs, 6);
          expect(sim.frames).toBe(framed.frames);
          expect(sim.retries).toBe(0);
          expect(sim.latencyMs).toBeGreaterThanOrEqual(framed.airtimeMs * 0.5);
          const bits = sim.devices.reduce((n, d) => n + d.txBits, 0);
          const traffic = planTraffic(plan);
          const sentByDevices = traffic.byEndpoint.filter((e) => e.endpoint !== HUB).reduce((n, e) => n + e.sent.payloadBytes, 0);
          expect(bits).toBeGreaterThanOrEqual(sentByDevices * 8);
          sim.devices.forEach((d) => expect(d.radioTxNj + d.radioRxNj).toBeCloseTo(radioEnergyNj(link, { txBits: d.txBits, rxBits: d.rxBits }), 6));
        },
      ),
      { numRuns: 20 },
    );
  });

  it('relaying device-to-device messages through the hub doubles their transmissions', () => {
    const link = resolveLinkConfig({ preset: 'hbc-1m3' });
    const plan = planModnn({ graph, speeds: new Array(8).fill(1) });
    const direct = modnnLatencyBound({ plan, link, deviceClasses: new Array(8).fill(m7) });
    const relay = modnnLatencyBound({ plan, link, deviceClasses: new Array(8).fill(m7), routing: 'hub-relay' });
    const halos = plan.messages.filter((m) => m.kind === 'halo').length;
    expect(relay.transmissions).toBe(direct.transmissions + halos);
    expect(relay.latencyMs).toBeGreaterThan(direct.latencyMs);
  });

  it('retries lost frames with the link model and stalls when a device is missing', () => {
    const lossy = resolveLinkConfig({ preset: 'hbc-1m3', overrides: { lossProbability: 0.05 } });
    const plan = planModnn({ graph, speeds: new Array(4).fill(1) });
    const sim = simulateInference({ plan, link: lossy, deviceClasses: new Array(4).fill(m7), seed: 3 });
    expect(sim.retries).toBeGreaterThan(0);
    expect(sim.latencyMs).toBeGreaterThan(modnnLatencyBound({ plan, link: lossy, deviceClasses: new Array(4).fill(m7) }).latencyMs);
    const stalled = simulateInference({ plan, link: lossy, deviceClasses: new Array(4).fill(m7), missing: [1] });
    expect(stalled.completed).toBe(false);
    expect(stalled.latencyMs).toBe(Infinity);
  });

  it('rejects a device-class list of the wrong length with E_OPTION_INVALID', () => {
    const plan = planModnn({ graph, speeds: [1, 1] });
    expect(() => simulateInference({ plan, link: resolveLinkConfig(), deviceClasses: [m7] })).toThrow(expect.objectContaining({ code: 'E_OPTION_INVALID' }));
  });
});

describe('planTraffic', () => {
  it('counts every byte once per direction: sent by endpoints = received by endpoints = total = sum over layers', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.1, max: 10, noNaN: true }), { minLength: 1, maxLength: 9 }),
        fc.integer({ min: 0, max: 64 }),
        (speeds, header) => {
          const t = planTraffic(planModnn({ graph, speeds, inputMode: 'broadcast' }), header);
          const sent = t.byEndpoint.reduce((n, e) => n + e.sent.payloadBytes, 0);
          const received = t.byEndpoint.reduce((n, e) => n + e.received.payloadBytes, 0);
          const layers = t.byLayer.reduce((n, l) => n + l.payloadBytes, 0);
          const dirs = t.byDirection.deviceToDevice.payloadBytes + t.byDirection.deviceToHub.payloadBytes + t.byDirection.hubToDevice.payloadBytes;
          expect([sent, received, layers, dirs]).toEqual([t.payloadBytes, t.payloadBytes, t.payloadBytes, t.payloadBytes]);
          t.byEndpoint.forEach((e, i) => {
            expect(t.byLayer.reduce((n, l) => n + l.perEndpoint[i].sentBytes, 0)).toBe(e.sent.payloadBytes);
            expect(t.byLayer.reduce((n, l) => n + l.perEndpoint[i].receivedBytes, 0)).toBe(e.received.payloadBytes);
          });
        },
      ),
    );
  });
});
