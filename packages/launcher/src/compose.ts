import * as path from 'node:path';
import { stringify } from 'yaml';
import type { RoleConfig } from '@wearnet/roles';
import { deviceLimits } from './compose-limits';
import { LauncherError } from './errors';
import { composeFaultProblem } from './compose-faults';
import { faultInput, type ControllerConfig } from './controller';
import { aggregatorConfig, deviceConfigs, mediumConfig } from './role-configs';
import type { Topology } from './topology';

/** The oldest Compose that runs a rendered file (compose spec with `depends_on` conditions, file secrets, `cpus`). */
export const MIN_COMPOSE_VERSION = '1.29';
/** Where the image's role processes write their ready file (the Dockerfile's `WEARNET_READY_FILE`). */
const READY_FILE = '/tmp/wearnet-ready';
/** The compose secret holding the run token, and where a service sees it. */
const SECRET = 'wearnet_token';

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
}

/** A rendered compose project: the compose file and one JSON config per role. */
export interface RenderedCompose {
  /** docker-compose.yml text. */
  compose: string;
  /** Config files relative to the compose directory (`config/<service>.json`). */
  configs: Array<{ file: string; config: RoleConfig | ControllerConfig }>;
}

/** Healthcheck that runs `script` with the image's node; `CMD` form, no shell needed. */
function nodeCheck(script: string): Record<string, unknown> {
  return { test: ['CMD', 'node', '-e', script], interval: '2s', timeout: '2s', retries: 30, start_period: '60s' };
}

/** Healthcheck on an HTTP endpoint of the service itself. */
function httpCheck(port: number, route: string): Record<string, unknown> {
  return nodeCheck(`fetch('http://127.0.0.1:${port}${route}').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`);
}

/** What a compose project cannot run: device faults, request-count marks and a gated workload (see `composeFaultProblem`). */
function refuseUnsupported(topology: Topology): void {
  const file = path.basename(topology.file);
  const problems = topology.faults.flatMap((f) => composeFaultProblem(f) ?? []);
  if (problems.length > 0) {
    throw new LauncherError(
      'E_COMPOSE_UNSUPPORTED',
      `${file}: faults: the compose controller runs link and medium faults timed in modelled ms only; ${problems.join('; ')}. ` +
        'Run this topology with `wearnet run`, or change those faults',
      { path: 'faults' },
    );
  }
  if (topology.workload.gated) {
    throw new LauncherError(
      'E_COMPOSE_UNSUPPORTED',
      `${file}: workload.gated: a gated workload needs the launcher to hold the aggregator's issue limit, which a compose controller cannot; run it with \`wearnet run\``,
      { path: 'workload.gated' },
    );
  }
}

/**
 * Renders a topology as a docker-compose project whose services run the same entry points as
 * `wearnet run` (`wearnet medium|aggregator|device --config FILE`): one service per process,
 * configs mounted read-only, the run token as the compose secret `wearnet_token`, results on the
 * named volume `results`. Each service has a healthcheck on its readiness (the medium's
 * `/healthz`, the aggregator's metrics endpoint, a device's ready file); the aggregator and the
 * devices start once the medium is healthy. Device containers get `cpus` and `mem_limit` from
 * their device class (`deviceLimits`). The aggregator drives the workload and exits when done; run
 * it with `docker compose up --abort-on-container-exit --exit-code-from aggregator`. The service
 * `controller` (`wearnet controller`) runs the topology's fault schedule and serves the control API
 * on the host's loopback (`controlPort`), reaching the medium and the aggregator over the compose
 * network; it writes `faults.json` to the results volume when the workload ends. Device faults,
 * request-count starts or ends and a gated workload are refused with `E_COMPOSE_UNSUPPORTED` (they
 * need the launcher to own the processes: `wearnet run`).
 */
export function renderCompose(topology: Topology, options: ComposeOptions): RenderedCompose {
  refuseUnsupported(topology);
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
  const mediumUrl = `ws://medium:${mediumPort}`;
  const medium = { ...mediumConfig(containerTopology, at), port: mediumPort };
  const aggregator = { ...aggregatorConfig(containerTopology, at, mediumUrl), metricsPort, exitWhenDone: true };
  const devices = deviceConfigs(containerTopology, at, mediumUrl);
  const controller: ControllerConfig = {
    role: 'controller',
    mediumUrl: `http://medium:${mediumPort}`,
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
  const afterMedium = (): Record<string, unknown> => ({ medium: { condition: 'service_healthy' } });
  const service = (role: string, name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    image,
    working_dir: appDir,
    command: ['node', 'packages/cli/bin/wearnet.js', role, '--config', `/config/${name}.json`],
    environment: { WEARNET_TOKEN_FILE: `/run/secrets/${SECRET}`, WEARNET_READY_FILE: READY_FILE },
    secrets: [SECRET],
    volumes: ['./config:/config:ro'],
    ...extra,
  });
  const services: Record<string, unknown> = {
    medium: service('medium', 'medium', { healthcheck: httpCheck(mediumPort, '/healthz') }),
    aggregator: service('aggregator', 'aggregator', {
      depends_on: afterMedium(),
      volumes: ['./config:/config:ro', 'results:/results'],
      ports: [`${metricsPort}:${metricsPort}`],
      healthcheck: httpCheck(metricsPort, '/metrics'),
    }),
    controller: service('controller', 'controller', {
      depends_on: afterMedium(),
      volumes: ['./config:/config:ro', 'results:/results'],
      ports: [`127.0.0.1:${controlPort}:${controlPort}`],
      healthcheck: httpCheck(controlPort, '/status'),
    }),
  };
  for (const d of devices) {
    const limits = deviceLimits(d.deviceClass, { timeScale: topology.timeScale, hostMacsPerCpuSecond: options.hostMacsPerCpuSecond });
    services[d.deviceId] = service('device', d.deviceId, {
      depends_on: afterMedium(),
      cpus: limits.cpus,
      mem_limit: limits.memLimit,
      healthcheck: nodeCheck(`require('fs').accessSync('${READY_FILE}')`),
    });
  }
  const header = [
    `# Rendered by \`wearnet compose\` from ${path.basename(topology.file)} (${topology.name}); do not edit, render again.`,
    `# Needs Compose ${MIN_COMPOSE_VERSION} or later (docker compose v2, or Debian's docker-compose). Build the image first`,
    `# (docker build -t ${image} .), put the run token in ${secretFile} (\`wearnet compose\` writes a random one), then:`,
    '#   docker compose up --abort-on-container-exit --exit-code-from aggregator',
    `# Results are on the volume \`results\`: docker compose cp aggregator:/results ./results`,
    '',
  ].join('\n');
  const doc = {
    services,
    secrets: { [SECRET]: { file: secretFile } },
    volumes: { results: {} },
  };
  return { compose: `${header}${stringify(doc, { lineWidth: 0 })}`, configs };
}
