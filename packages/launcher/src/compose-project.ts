import * as path from 'node:path';
import type { RoleConfig } from '@wearnet/roles';
import { faultInput, type ControllerConfig } from './controller';
import { aggregatorConfig, deviceConfigs, mediumConfig } from './role-configs';
import type { Topology } from './topology';

/** Where the image's role processes write their ready file (the Dockerfile's `WEARNET_READY_FILE`). */
export const READY_FILE = '/tmp/wearnet-ready';
/** The compose secret holding the run token, and where a service sees it. */
export const SECRET = 'wearnet_token';
/** Where a Swarm service sees the TLS certificate, key and CA. */
export const TLS_PATHS = { cert: '/config/tls/cert.pem', key: '/run/secrets/wearnet_tls_key', ca: '/config/tls/ca.pem' };

/** Options of {@link renderCompose}. */
export interface ComposeOptions {
  /** Repository root on the host; paths inside it map to `appDir` in the image. */
  repoRoot: string;
  /** Image every service runs (built from the repository's Dockerfile); default `wearnet:latest`. */
  image?: string;
  /** Where the repository lives in the image; default `/app`. */
  appDir?: string;
  /** Port the medium listens on inside the compose network; default 7400. */
  mediumPort?: number;
  /** Prometheus port of the aggregator, published on the host; default 9464. */
  metricsPort?: number;
  /** Port of the controller's control API, published on the host's loopback only; default 7401. */
  controlPort?: number;
  /** Host wall-clock ms at modelled time 0; default now (render right before `docker compose up`). */
  epochMs?: number;
  /**
   * The file holding the run token, as the compose file names it (relative to the compose
   * directory, or absolute); default `./secrets/wearnet_token`. It becomes the compose secret
   * `wearnet_token`, read by every service through `WEARNET_TOKEN_FILE`; the token is never in
   * the compose file, a config or the environment.
   */
  secretFile?: string;
  /** Device container CPUs per MAC rate: see `deviceLimits`; default 2e9 MACs per host CPU second. */
  hostMacsPerCpuSecond?: number;
  /**
   * Render a stack file for `docker stack deploy` (Docker Swarm) instead of a compose file: `image`
   * from a registry (required), no `build` and no `depends_on`, an overlay network, configs and
   * secrets instead of bind mounts, `deploy` limits and placement. Default false.
   */
  swarm?: boolean;
  /** Swarm: service name (`medium`, `aggregator`, `controller`, `device-3`) -> node hostname it must run on; default none (Swarm decides). */
  placement?: Record<string, string>;
  /**
   * Swarm: TLS on the medium's links (`wss://`, `https://`): PEM files as the compose file names
   * them (relative to its directory, or absolute). The certificate must name the host `medium`. The
   * key becomes a secret, the certificate and CA configs; devices and the aggregator trust `caFile`.
   * Default none: plain `ws://` on the overlay network.
   */
  tls?: { certFile: string; keyFile: string; caFile: string };
  /**
   * Render Kubernetes manifests instead (`kubectl apply -f`): a ConfigMap of the role configs,
   * Services, a Deployment per long-running process, a Job for the aggregator, a
   * PersistentVolumeClaim for the results; `placement` becomes `nodeSelector`. Default false.
   */
  kubernetes?: boolean;
}

/** A rendered compose project: the compose file and one JSON config per role. */
export interface RenderedCompose {
  /** The rendered text: docker-compose.yml, docker-stack.yml (`swarm`) or the Kubernetes manifests (`kubernetes`). */
  compose: string;
  /** Config files relative to the compose directory (`config/<service>.json`). */
  configs: Array<{ file: string; config: RoleConfig | ControllerConfig }>;
}

/** The role configs of a rendered project, and the ports they use. */
export interface ProjectConfigs {
  configs: RenderedCompose['configs'];
  image: string;
  appDir: string;
  mediumPort: number;
  metricsPort: number;
  controlPort: number;
  secretFile: string;
}

/**
 * The configs every service of a compose project or Swarm stack reads: the topology's paths mapped
 * into the image, services reached by name (`medium`, `aggregator`), `wss`/`https` and the CA with
 * `options.tls`. @throws RangeError `E_TOPOLOGY_INVALID` when the bundles are outside the repository.
 */
export function projectConfigs(topology: Topology, options: ComposeOptions): ProjectConfigs {
  const image = options.image ?? 'wearnet:latest';
  const appDir = options.appDir ?? '/app';
  const mediumPort = options.mediumPort ?? 7400;
  const metricsPort = options.metricsPort ?? 9464;
  const controlPort = options.controlPort ?? 7401;
  const secretFile = options.secretFile ?? './secrets/wearnet_token';
  const inImage = (hostPath: string): string => {
    const rel = path.relative(options.repoRoot, hostPath);
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      throw Object.assign(new RangeError(`bundles: ${hostPath} is outside the repository ${options.repoRoot}; the image only holds the repository`), {
        code: 'E_TOPOLOGY_INVALID',
      });
    }
    return path.posix.join(appDir, ...rel.split(path.sep));
  };
  const containerTopology: Topology = { ...topology, bundles: inImage(topology.bundles) };
  const at = { epochMs: options.epochMs ?? Date.now(), outDir: '/results', host: '0.0.0.0' };
  const tls = options.swarm === true && options.tls !== undefined;
  const mediumUrl = `${tls ? 'wss' : 'ws'}://medium:${mediumPort}`;
  const trust = tls ? { caFile: TLS_PATHS.ca } : {};
  const medium = { ...mediumConfig(containerTopology, at), port: mediumPort, ...(tls ? { tls: { certFile: TLS_PATHS.cert, keyFile: TLS_PATHS.key } } : {}) };
  // Swarm and Kubernetes have no start order: the aggregator retries a medium not up yet for 5 minutes (devices always retry).
  const retry = options.swarm === true || options.kubernetes === true ? { hubConnectTimeoutMs: 300000 } : {};
  const aggregator = { ...aggregatorConfig(containerTopology, at, mediumUrl), metricsPort, exitWhenDone: true, ...retry, ...trust };
  const devices = deviceConfigs(containerTopology, at, mediumUrl).map((d) => ({ ...d, ...trust }));
  const controller: ControllerConfig = {
    role: 'controller',
    mediumUrl: `${tls ? 'https' : 'http'}://medium:${mediumPort}`,
    aggregatorUrl: `http://aggregator:${metricsPort}`,
    devices: topology.devices.map((d) => ({ id: d.id, index: d.index })),
    faults: topology.faults.map(faultInput),
    seed: topology.seed,
    epochMs: at.epochMs,
    timeScale: topology.timeScale,
    host: '0.0.0.0',
    port: controlPort,
    outDir: '/results',
  };
  const configs: RenderedCompose['configs'] = [
    { file: 'config/medium.json', config: medium },
    { file: 'config/aggregator.json', config: aggregator },
    { file: 'config/controller.json', config: controller },
    ...devices.map((d) => ({ file: `config/${d.deviceId}.json`, config: d })),
  ];
  return { configs, image, appDir, mediumPort, metricsPort, controlPort, secretFile };
}

/** Healthcheck that runs `script` with the image's node; `CMD` form, no shell needed. */
export function nodeCheck(script: string): Record<string, unknown> {
  return { test: ['CMD', 'node', '-e', script], interval: '2s', timeout: '2s', retries: 30, start_period: '60s' };
}

/** Healthcheck on an HTTP endpoint of the service itself. */
export function httpCheck(port: number, route: string): Record<string, unknown> {
  return nodeCheck(`fetch('http://127.0.0.1:${port}${route}').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`);
}
