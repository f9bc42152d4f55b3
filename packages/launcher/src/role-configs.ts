import { deviceDir, AGGREGATOR_DIR } from '@wearnet/bundle';
import * as path from 'node:path';
import type { AggregatorRoleConfig, DeviceRoleConfig, MediumRoleConfig } from '@wearnet/roles';
import type { Topology } from './topology';

/** Where the processes of a run meet. */
export interface RunAddresses {
  epochMs: number;
  outDir: string;
  host: string;
}

/** The medium's config for a topology. */
export function mediumConfig(topology: Topology, at: RunAddresses): MediumRoleConfig {
  return {
    role: 'medium',
    link: topology.link,
    seed: topology.seed,
    epochMs: at.epochMs,
    timeScale: topology.timeScale,
    host: at.host,
    port: 0,
    reorderWindowMs: topology.reorderWindowMs,
  };
}

/** The aggregator's config for a topology, once the medium listens at `mediumUrl`. */
export function aggregatorConfig(topology: Topology, at: RunAddresses, mediumUrl: string): AggregatorRoleConfig {
  return {
    role: 'aggregator',
    mediumUrl,
    bundleDir: path.join(topology.bundles, AGGREGATOR_DIR),
    devices: topology.devices.map((d) => ({ deviceId: d.id, deviceIndex: d.index, deviceClass: d.deviceClass })),
    workload: { ...topology.workload },
    link: topology.link,
    epochMs: at.epochMs,
    timeScale: topology.timeScale,
    seed: topology.seed,
    heartbeatMs: topology.heartbeatMs,
    startTimeoutMs: topology.startTimeoutMs,
    outDir: at.outDir,
    host: at.host,
    metricsPort: 0,
  };
}

/** Each device's config for a topology, once the medium listens at `mediumUrl`. */
export function deviceConfigs(topology: Topology, at: RunAddresses, mediumUrl: string): DeviceRoleConfig[] {
  return topology.devices.map((d) => ({
    role: 'device',
    deviceId: d.id,
    bundleDir: deviceDir(topology.bundles, d.index),
    mediumUrl,
    deviceClass: d.deviceClass,
    epochMs: at.epochMs,
    timeScale: topology.timeScale,
    inputMode: topology.workload.inputMode,
    dataset: topology.workload.inputMode === 'local' ? topology.workload.dataset : undefined,
    seed: topology.seed,
  }));
}
