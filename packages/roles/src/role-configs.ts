import type { ExpectedDevice, WorkloadOptions } from '@wearnet/aggregator';
import type { DeviceClass } from '@wearnet/hardware';
import type { LinkConfig } from '@wearnet/link';
import type { DatasetSpec } from '@wearnet/workload';

/**
 * Where every role takes the cluster secret from: `secretFile` (mode 0600) or an inherited
 * descriptor `secretFd`; the secret itself is never in a config (see `readSecret`).
 */
interface SecretKeys {
  /** File holding the cluster secret (mode 0600 or stricter). */
  secretFile?: string;
  /** Inherited file descriptor to read the cluster secret from. */
  secretFd?: number;
}

/** Config file of `wearnet medium --config FILE`. */
export interface MediumRoleConfig extends SecretKeys {
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
  /** Run id every connection's proof covers; default `wearnet`. */
  runId?: string;
  /** Serve HTTPS / `wss://` with this PEM certificate and key; default plain HTTP. */
  tls?: { certFile: string; keyFile: string };
}

/** Config file of `wearnet aggregator --config FILE`. */
export interface AggregatorRoleConfig extends SecretKeys {
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
  /** Real ms to keep retrying a medium not reachable yet (Swarm has no start order); default 0. */
  hubConnectTimeoutMs?: number;
  /** PEM file of the CA of the medium's certificate (`wss://`). */
  caFile?: string;
  /** Exit (code 0) once the summary is written, as a compose service must (nothing else stops it); default false: run until SIGTERM. */
  exitWhenDone?: boolean;
}

/** Config file of `wearnet device --config FILE`. */
export interface DeviceRoleConfig extends SecretKeys {
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
  /** PEM file of the CA of the medium's certificate (`wss://`). */
  caFile?: string;
}

/** Any role config. */
export type RoleConfig = MediumRoleConfig | AggregatorRoleConfig | DeviceRoleConfig;

/** Every key of each role config, required or not: what the launcher may write and a role process reads. */
export const ROLE_CONFIG_KEYS = {
  medium: keysOf<MediumRoleConfig>({
    role: 1,
    link: 1,
    seed: 1,
    epochMs: 1,
    timeScale: 1,
    host: 1,
    port: 1,
    reorderWindowMs: 1,
    runId: 1,
    tls: 1,
    secretFile: 1,
    secretFd: 1,
  }),
  aggregator: keysOf<AggregatorRoleConfig>({
    ...{ role: 1, mediumUrl: 1, bundleDir: 1, devices: 1, workload: 1, link: 1, epochMs: 1, timeScale: 1, seed: 1 },
    ...{
      heartbeatMs: 1,
      startTimeoutMs: 1,
      outDir: 1,
      host: 1,
      metricsPort: 1,
      issueLimit: 1,
      exitWhenDone: 1,
      hubConnectTimeoutMs: 1,
      caFile: 1,
      secretFile: 1,
      secretFd: 1,
    },
  }),
  device: keysOf<DeviceRoleConfig>({
    ...{ role: 1, deviceId: 1, bundleDir: 1, mediumUrl: 1, deviceClass: 1, epochMs: 1, timeScale: 1 },
    ...{ inputMode: 1, dataset: 1, seed: 1, standby: 1, computeFactor: 1, caFile: 1, secretFile: 1, secretFd: 1 },
  }),
} as const;

/** The keys of `T`, checked by the compiler to be all of them. */
function keysOf<T>(keys: Record<keyof T, 1>): readonly (keyof T)[] {
  return Object.keys(keys) as (keyof T)[];
}
