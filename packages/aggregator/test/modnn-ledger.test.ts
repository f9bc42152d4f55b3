import { resolveDeviceClass } from '@wearnet/hardware';
import { resolveLinkConfig } from '@wearnet/link';
import { emptyTransferStats, type TransferStats } from '@wearnet/protocol';
import { MODNN_HUB, ModnnLedger } from '../src/modnn-ledger';

const link = resolveLinkConfig({ preset: 'hbc-1m3' });
const m7 = resolveDeviceClass({ name: 'cortex-m7-480' });
const stats = (payloadBytes: number, dataBits: number, ackBits: number): TransferStats => ({
  ...emptyTransferStats(payloadBytes, 0),
  dataBits,
  ackBits,
  airtimeMs: 2,
});

describe('ModnnLedger', () => {
  it('attributes bytes and radio energy per device, direction and layer over the completed requests only', () => {
    const ledger = new ModnnLedger(link, { 'device-0': m7, 'device-1': m7 });
    for (const requestId of [1, 2]) {
      ledger.add({ requestId, messageId: -1, kind: 'request', layer: 'request', from: MODNN_HUB, to: 'device-0', delivered: true, stats: stats(36, 400, 100) });
      ledger.add({
        requestId,
        messageId: 3,
        kind: 'halo',
        layer: 'g1b1_pre_relu',
        from: 'device-0',
        to: 'device-1',
        delivered: true,
        stats: stats(2094, 20000, 300),
      });
      ledger.add({ requestId, messageId: 9, kind: 'partial', layer: 'pool', from: 'device-1', to: MODNN_HUB, delivered: true, stats: stats(558, 5000, 100) });
    }
    // Request 3 stalled: its traffic must not enter the per-inference figures.
    ledger.add({
      requestId: 3,
      messageId: 3,
      kind: 'halo',
      layer: 'g1b1_pre_relu',
      from: 'device-0',
      to: 'device-1',
      delivered: false,
      stats: stats(99999, 1, 1),
    });
    ledger.complete(1);
    ledger.complete(2);
    const s = ledger.summary({ 'device-0': 1e6, 'device-1': 2e6 });
    expect(s.inferences).toBe(2);
    expect(s.bytesPerInference).toBe(36 + 2094 + 558);
    expect(s.byDirection).toEqual({ peer: 2094, up: 558, down: 36 });
    expect(s.byLayer['halo g1b1_pre_relu']).toEqual({ bytes: 2094, messages: 1 });
    expect(s.airtimeMsPerInference).toBe(6);
    const d0 = s.devices['device-0'];
    const d1 = s.devices['device-1'];
    expect(d0).toMatchObject({ txBytes: 2094, rxBytes: 36, peerTxBytes: 2094, peerRxBytes: 0 });
    expect(d1).toMatchObject({ txBytes: 558, rxBytes: 2094, peerTxBytes: 0, peerRxBytes: 2094 });
    // device-0 sends the halo's data bits and the request's ACKs, and receives the request's data and the halo's ACKs.
    expect(d0.radioTxNj).toBeCloseTo((20000 + 100) * link.energy.txNjPerBit, 6);
    expect(d0.radioRxNj).toBeCloseTo((400 + 300) * link.energy.rxNjPerBit, 6);
    expect(d1.computeNj).toBeCloseTo(2 * d0.computeNj, 6);
  });

  it('gives NaN per-inference figures when no request completed', () => {
    const ledger = new ModnnLedger(link, { 'device-0': m7 });
    expect(ledger.summary({}).bytesPerInference).toBeNaN();
  });
});
