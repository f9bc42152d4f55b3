import type { ExpectedDevice, WorkloadOptions } from '@wearnet/aggregator';
import { deviceDir, AGGREGATOR_DIR } from '@wearnet/bundle';
import type { DeviceClass } from '@wearnet/hardware';
import type { LinkConfig } from '@wearnet/link';
import type { DatasetSpec } from '@wearnet/workload';
import * as path from 'node:path';
import type { Topology } from './topology';

/**
 * Config file of `wearnet medium --config FILE`. The run token comes from `token` or the
 * environment variable `WEARNET_TOKEN`.
 */
export interface MediumRoleConfig {
  role: 'medium';
  link: LinkConfig;
  seed: number;
  /** Host wall-clock ms at modelled time 0. */
  epochMs: number;
  timeScale: number;
  host: string;
  port: number;
  /** Real ms the medium holds each message to keep stamp order under host lag. */
  reorderWindowMs: number;
  token?: string;
}

/** Config file of `wearnet aggregator --config FILE`. */
export interface AggregatorRoleConfig {
  role: 'aggregator';
  mediumUrl: string;
  bundleDir: string;
  devices: ExpectedDevice[];
  workload: WorkloadOptions;
  link: LinkConfig;
  epochMs: number;
  timeScale: number;
  seed: number;
  heartbeatMs: number;
  startTimeoutMs: number;
  outDir: string;
  host: string;
  metricsPort: number;
  /** Requests the aggregator may issue before the launcher allows more (`allow` command); absent = all. */
  issueLimit?: number;
  token?: string;
}

/** Config file of `wearnet device --config FILE`. */
export interface DeviceRoleConfig {
  role: 'device';
  deviceId: string;
  bundleDir: string;
  mediumUrl: string;
  deviceClass: DeviceClass;
  epochMs: number;
  timeScale: number;
  inputMode: 'broadcast' | 'local';
  dataset?: DatasetSpec;
  seed: number;
  /** Load the model, report `loaded`, and connect only on the `connect` command (a warm spare). */
  standby?: boolean;
  /** Initial compute-time multiplier (a slow-down fault carried over to a restarted process); default 1. */
  computeFactor?: number;
  token?: string;
}

/** Any role config. */
export type RoleConfig = MediumRoleConfig | AggregatorRoleConfig | DeviceRoleConfig;

/** Where the processes of a run meet. */
export interface RunAddresses {
  epochMs: number;
  outDir: string;
  host: string;
}

/** The medium's config for a topology. */
export function mediumConfig(topology: Topology, at: RunAddresses): MediumRoleConfig {
  return { role: 'medium', link: topology.link, seed: topology.seed, epochMs: at.epochMs, timeScale: topology.timeScale, host: at.host, port: 0, reorderWindowMs: topology.reorderWindowMs };
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
