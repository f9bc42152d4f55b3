import fc from 'fast-check';
import { DEVICE_CLASSES } from '@wearnet/hardware';
import { deviceLimits } from '../src/compose-limits';

describe('deviceLimits', () => {
  it('gives a Cortex-M7 at 480 MHz half a CPU and a Cortex-M4 at 80 MHz 0.3 at time scale 1', () => {
    expect(deviceLimits(DEVICE_CLASSES['cortex-m7-480']!)).toEqual({ cpus: 0.5, memLimit: '320m' });
    expect(deviceLimits(DEVICE_CLASSES['cortex-m4-80']!).cpus).toBe(0.3);
  });

  it('never gives less than 0.25 or more than 2 CPUs, in steps of 0.05, growing with the MAC rate and the time scale', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e3, max: 1e12, noNaN: true }), fc.double({ min: 0.01, max: 100, noNaN: true }), (macsPerSecond, timeScale) => {
        const dc = { ...DEVICE_CLASSES['cortex-m7-480']!, macsPerSecond };
        const { cpus } = deviceLimits(dc, { timeScale });
        expect(cpus).toBeGreaterThanOrEqual(0.25);
        expect(cpus).toBeLessThanOrEqual(2);
        expect(Math.abs(cpus * 20 - Math.round(cpus * 20))).toBeLessThan(1e-9);
        expect(deviceLimits({ ...dc, macsPerSecond: macsPerSecond * 2 }, { timeScale }).cpus).toBeGreaterThanOrEqual(cpus);
      }),
    );
  });

  it('rejects a non-positive host rate or time scale with a RangeError naming the option', () => {
    expect(() => deviceLimits(DEVICE_CLASSES['cortex-m7-480']!, { hostMacsPerCpuSecond: 0 })).toThrow(/hostMacsPerCpuSecond/);
    expect(() => deviceLimits(DEVICE_CLASSES['cortex-m7-480']!, { timeScale: -1 })).toThrow(RangeError);
  });
});
