import { resolveDeviceClass } from '@wearnet/hardware';
import { resolveDeviceOptions, type DeviceOptions } from '../src/index';

const base: DeviceOptions = {
  deviceId: 'device-0',
  bundleDir: '/b/device-0',
  mediumUrl: 'ws://127.0.0.1:1234/',
  secret: 'a-device-secret-0123',
  deviceClass: resolveDeviceClass({ name: 'cortex-m4-80' }),
  epochMs: 0,
};

describe('resolveDeviceOptions', () => {
  it('applies defaults: broadcast inputs, real time, 5 missed heartbeats, 100 ms to 5 s backoff', () => {
    const options = resolveDeviceOptions(base);
    expect(options).toMatchObject({
      inputMode: 'broadcast',
      timeScale: 1,
      heartbeatMisses: 5,
      backoff: { initialMs: 100, maxMs: 5000, factor: 2 },
      mediumUrl: 'ws://127.0.0.1:1234',
    });
  });

  it('requires a dataset in local input mode', () => {
    expect(() => resolveDeviceOptions({ ...base, inputMode: 'local' })).toThrow(/^dataset is required/);
  });

  it('names a bad option', () => {
    expect(() => resolveDeviceOptions({ ...base, deviceId: 'a b' })).toThrow(/^deviceId must match/);
    expect(() => resolveDeviceOptions({ ...base, timeScale: 0 })).toThrow(/^timeScale must be a positive number/);
    expect(() => resolveDeviceOptions({ ...base, backoff: { initialMs: 10, maxMs: 5 } })).toThrow(/^backoff needs/);
  });
});
