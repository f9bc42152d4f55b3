import { deviceDir, AGGREGATOR_DIR } from '@wearnet/bundle';
import * as path from 'node:path';
import type { AggregatorRoleConfig, DeviceRoleConfig, MediumRoleConfig } from '@wearnet/roles';
import type { Topology } from './topology';

/** Where the processes of a run meet. */
export interface RunAddresses {
  epochMs: number;
  outDir: string;
  host: string;
  /** Run id the medium's challenges carry (absent: the medium's default). */
  runId?: string;
  /** File holding the cluster secret, given to every role (absent: the roles fall back to `WEARNET_TOKEN`). */
  secretFile?: string;
}

function secretOf(at: RunAddresses): { secretFile?: string } {
  return at.secretFile === undefined ? {} : { secretFile: at.secretFile };
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
    ...(at.runId === undefined ? {} : { runId: at.runId }),
    ...secretOf(at),
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
    ...secretOf(at),
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
    ...secretOf(at),
  }));
}
