import * as path from 'node:path';
import { stringify } from 'yaml';
import type { RoleConfig } from '@wearnet/roles';
import { aggregatorConfig, deviceConfigs, mediumConfig } from './role-configs';
import type { Topology } from './topology';

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
  /** Host wall-clock ms at modelled time 0; default now (render right before `docker compose up`). */
  epochMs?: number;
  /** Run token shared by the services; default a fixed development token (override in production). */
  token?: string;
}

/** A rendered compose project: the compose file and one JSON config per role. */
export interface RenderedCompose {
  /** docker-compose.yml text. */
  compose: string;
  /** Config files relative to the compose directory (`config/<service>.json`). */
  configs: Array<{ file: string; config: RoleConfig }>;
}

/**
 * Renders a topology as a docker-compose project whose services run the same entry points as
 * `wearnet run` (`wearnet medium|aggregator|device --config FILE`): one service per process,
 * configs mounted read-only, results in `./results` of the compose directory. The aggregator
 * drives the workload and exits when done; run it with
 * `docker compose up --abort-on-container-exit --exit-code-from aggregator`.
 */
export function renderCompose(topology: Topology, options: ComposeOptions): RenderedCompose {
  const image = options.image ?? 'wearnet:latest';
  const appDir = options.appDir ?? '/app';
  const mediumPort = options.mediumPort ?? 7400;
  const metricsPort = options.metricsPort ?? 9464;
  const token = options.token ?? 'wearnet-compose-dev-token';
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
  const aggregator = { ...aggregatorConfig(containerTopology, at, mediumUrl), metricsPort };
  const devices = deviceConfigs(containerTopology, at, mediumUrl);
  const configs: RenderedCompose['configs'] = [
    { file: 'config/medium.json', config: medium },
    { file: 'config/aggregator.json', config: aggregator },
    ...devices.map((d) => ({ file: `config/${d.deviceId}.json`, config: d })),
  ];
  const service = (role: string, name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    image,
    working_dir: appDir,
    command: ['node', 'packages/cli/bin/wearnet.js', role, '--config', `/config/${name}.json`],
    environment: { WEARNET_TOKEN: token },
    volumes: ['./config:/config:ro'],
    ...extra,
  });
  const services: Record<string, unknown> = {
    medium: service('medium', 'medium'),
    aggregator: service('aggregator', 'aggregator', {
      depends_on: ['medium'],
      volumes: ['./config:/config:ro', './results:/results'],
      ports: [`${metricsPort}:${metricsPort}`],
    }),
  };
  for (const d of devices) services[d.deviceId] = service('device', d.deviceId, { depends_on: ['medium'] });
  const header = [
    `# Rendered by \`wearnet compose\` from ${path.basename(topology.file)} (${topology.name}); do not edit, render again.`,
    '# Build the image first (docker build -t wearnet:latest .), then:',
    '#   docker compose up --abort-on-container-exit --exit-code-from aggregator',
    '',
  ].join('\n');
  const doc = { name: `wearnet-${topology.name}`.toLowerCase().replace(/[^a-z0-9_-]/g, '-'), services };
  return { compose: `${header}${stringify(doc)}`, configs };
}
