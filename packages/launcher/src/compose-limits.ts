import type { DeviceClass } from '@wearnet/hardware';

/** Container limits of one device service (compose `cpus`, `mem_limit`). */
export interface ContainerLimits {
  /** CPUs the container may use (compose `cpus`). */
  cpus: number;
  /** Memory limit, compose syntax (`320m`). */
  memLimit: string;
}

/** Options of {@link deviceLimits}. */
export interface DeviceLimitsOptions {
  /**
   * MACs one host CPU runs per second in a device process (tfjs wasm); default 2e9, an assumption
   * of these notes (the students' convolutions on a 2-core x86 host), not a measurement per host.
   */
  hostMacsPerCpuSecond?: number;
  /** Modelled seconds per real second of the run; default 1. */
  timeScale?: number;
}

/** CPU a device process needs besides its student's arithmetic (protocol, heartbeats, codec). */
const BASE_CPUS = 0.25;
const MAX_CPUS = 2;
/**
 * Memory of one device process: 107-114 MB median RSS measured (issue 14; tfjs + wasm about
 * 59-71 MB of it) plus the wasm heap's growth and the student: 320 MiB leaves room without
 * letting 8 devices take a small host's memory.
 */
const DEVICE_MEM_LIMIT = '320m';

/**
 * A device service's container limits from its device class: a device that computes
 * `macsPerSecond` in modelled time, at `timeScale` modelled seconds per real second, must run its
 * student that fast on the host, so it gets `0.25 + macsPerSecond * timeScale / hostMacsPerCpuSecond`
 * CPUs (rounded up to 0.05, at most 2): 0.5 for a Cortex-M7 at 480 MHz, 0.3 for a Cortex-M4 at time
 * scale 1. Memory is the host process's, the same for every class (the MCU's own SRAM is not emulated).
 */
export function deviceLimits(deviceClass: DeviceClass, options: DeviceLimitsOptions = {}): ContainerLimits {
  const hostRate = options.hostMacsPerCpuSecond ?? 2e9;
  const timeScale = options.timeScale ?? 1;
  if (!(hostRate > 0) || !Number.isFinite(hostRate)) throw new RangeError(`hostMacsPerCpuSecond must be a positive number, got ${hostRate}`);
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new RangeError(`timeScale must be a positive number, got ${timeScale}`);
  const raw = BASE_CPUS + (deviceClass.macsPerSecond * timeScale) / hostRate;
  const cpus = Math.min(MAX_CPUS, Math.ceil(raw * 20 - 1e-9) / 20);
  return { cpus: Number(cpus.toFixed(2)), memLimit: DEVICE_MEM_LIMIT };
}
