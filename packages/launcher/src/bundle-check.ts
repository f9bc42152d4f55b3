import { deviceDir, verifyDeviceFiles, type BundleSet } from '@wearnet/bundle';
import { LauncherError } from './errors';
import type { Violation } from './thresholds';
import type { Topology } from './topology';

/**
 * Checks the sha256 of every bundle file of every device of the topology before anything starts.
 * A device whose bundle is missing or corrupt fails the start with `E_DEVICE_FAILED` (naming the
 * device, its code and file), or, when the topology allows a degraded start, is removed from
 * `topology.devices` and returned as a violation for the summary.
 * @throws LauncherError `E_DEVICE_FAILED`.
 */
export async function checkDeviceBundles(topology: Topology, bundleSet: BundleSet): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const device of topology.devices) {
    const manifest = bundleSet.devices[device.index];
    const problem = manifest
      ? await verifyDeviceFiles(deviceDir(bundleSet.dir, device.index), manifest)
      : { code: 'E_BUNDLE_MISSING', file: deviceDir(bundleSet.dir, device.index), message: 'no such device bundle' };
    if (problem) violations.push({ threshold: 'allowDegradedStart', limit: 0, actual: 1, device: device.id, code: problem.code, message: problem.message });
  }
  if (violations.length === 0) return violations;
  const list = violations.map((v) => `${v.device}: ${v.code}: ${v.message}`).join('; ');
  if (!topology.allowDegradedStart) throw new LauncherError('E_DEVICE_FAILED', `cannot start: ${list} (allowDegradedStart: true starts without them)`);
  const left = new Set(violations.map((v) => v.device));
  topology.devices = topology.devices.filter((d) => !left.has(d.id));
  if (topology.devices.length === 0) throw new LauncherError('E_DEVICE_FAILED', `no device can load its bundle: ${list}`);
  return violations;
}
