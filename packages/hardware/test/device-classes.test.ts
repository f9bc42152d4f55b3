import fc from 'fast-check';
import { DEVICE_CLASS_NAMES, computeTimeMs, resolveDeviceClass } from '../src/index';

describe('device classes', () => {
  it('takes 25 ms plus overhead for 1 MMAC on a 40 MMAC/s Cortex-M4', () => {
    const m4 = resolveDeviceClass({ name: 'cortex-m4-80' });
    expect(computeTimeMs(m4, 1e6)).toBeCloseTo(25 + m4.overheadMs, 9);
  });

  it('never gives a faster class a longer compute time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e10 }), (macs) => {
        const times = ['cortex-m4-80', 'cortex-m7-480', 'cortex-a53-1200'].map((name) => computeTimeMs(resolveDeviceClass({ name }), macs));
        expect(times[0]).toBeGreaterThanOrEqual(times[1]);
        expect(times[1]).toBeGreaterThanOrEqual(times[2]);
      }),
    );
  });

  it('applies overrides and names a bad field', () => {
    expect(resolveDeviceClass({ name: 'cortex-m7-480', overrides: { macsPerSecond: 1e6 } }).macsPerSecond).toBe(1e6);
    expect(() => resolveDeviceClass({ name: 'cortex-m7-480', overrides: { macsPerSecond: 0 } })).toThrow(/^macsPerSecond must be a positive number/);
  });

  it('rejects an unknown class with E_UNKNOWN_DEVICE_CLASS listing the known ones', () => {
    expect(() => resolveDeviceClass({ name: 'm9' })).toThrow(expect.objectContaining({ code: 'E_UNKNOWN_DEVICE_CLASS' }));
    expect(DEVICE_CLASS_NAMES).toContain('cortex-m4-80');
  });
});
