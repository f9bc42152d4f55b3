import { HardwareError } from './errors';

/** Compute model of a wearable device class. */
export interface DeviceClass {
  name: string;
  description: string;
  /** Sustained multiply-accumulates per second on a small int8/fp32 CNN. */
  macsPerSecond: number;
  /** Fixed time per inference (input staging, layer dispatch), ms. */
  overheadMs: number;
  /** Energy per MAC including memory traffic, pJ. */
  energyPjPerMac: number;
}

/**
 * Built-in device classes. Every number is an ASSUMPTION for a hand-optimised kernel library
 * (CMSIS-NN on the MCUs, NEON on the A53), not a measurement; override them in the topology.
 * - `cortex-m4-80`: Cortex-M4F at 80 MHz, ~0.5 MAC/cycle (SIMD dual 16-bit MAC, int8 CMSIS-NN),
 *   ~12 mW active.
 * - `cortex-m7-480`: Cortex-M7 at 480 MHz, ~1 MAC/cycle (dual issue), ~100 mW active.
 * - `cortex-a53-1200`: one Cortex-A53 core at 1.2 GHz, ~2 fp32 MAC/cycle effective with NEON, ~500 mW.
 */
export const DEVICE_CLASSES: Readonly<Record<string, DeviceClass>> = Object.freeze({
  'cortex-m4-80': { name: 'cortex-m4-80', description: 'Cortex-M4F @ 80 MHz (CMSIS-NN int8)', macsPerSecond: 40e6, overheadMs: 0.5, energyPjPerMac: 300 },
  'cortex-m7-480': { name: 'cortex-m7-480', description: 'Cortex-M7 @ 480 MHz (CMSIS-NN int8)', macsPerSecond: 480e6, overheadMs: 0.2, energyPjPerMac: 210 },
  'cortex-a53-1200': {
    name: 'cortex-a53-1200',
    description: 'Cortex-A53 @ 1.2 GHz, one core (NEON fp32)',
    macsPerSecond: 2.4e9,
    overheadMs: 0.1,
    energyPjPerMac: 210,
  },
});

/** Names of the built-in classes. */
export const DEVICE_CLASS_NAMES = Object.keys(DEVICE_CLASSES);

/** Options of {@link resolveDeviceClass}. */
export interface ResolveDeviceClassOptions {
  /** Built-in class name. */
  name: string;
  /** Fields replacing the built-in ones. */
  overrides?: Partial<Omit<DeviceClass, 'name'>>;
}

/**
 * A built-in class with overrides applied.
 * @throws HardwareError `E_UNKNOWN_DEVICE_CLASS`; RangeError naming the field for bad values.
 */
export function resolveDeviceClass(options: ResolveDeviceClassOptions): DeviceClass {
  if (!Object.prototype.hasOwnProperty.call(DEVICE_CLASSES, options.name)) {
    throw new HardwareError('E_UNKNOWN_DEVICE_CLASS', `unknown device class "${options.name}" (known: ${DEVICE_CLASS_NAMES.join(', ')})`);
  }
  const resolved: DeviceClass = { ...DEVICE_CLASSES[options.name] };
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    if (value === undefined) continue;
    if (key === 'description') {
      if (typeof value !== 'string') throw new TypeError('description must be a string');
      resolved.description = value;
      continue;
    }
    if (key !== 'macsPerSecond' && key !== 'overheadMs' && key !== 'energyPjPerMac') {
      throw new RangeError(`${key} is not a device class field (known: macsPerSecond, overheadMs, energyPjPerMac, description)`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (key === 'macsPerSecond' && value === 0)) {
      throw new RangeError(`${key} must be a ${key === 'macsPerSecond' ? 'positive' : 'non-negative'} number, got ${String(value)}`);
    }
    resolved[key] = value;
  }
  return resolved;
}

/** Modelled time for one inference of `macs` multiply-accumulates on the class, ms. */
export function computeTimeMs(deviceClass: DeviceClass, macs: number): number {
  return deviceClass.overheadMs + (macs / deviceClass.macsPerSecond) * 1000;
}

/** Modelled compute energy of one inference of `macs`, nJ. */
export function computeEnergyNj(deviceClass: DeviceClass, macs: number): number {
  return (macs * deviceClass.energyPjPerMac) / 1000;
}
