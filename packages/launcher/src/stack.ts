import * as path from 'node:path';
import { stringify } from 'yaml';
import { deviceLimits } from './compose-limits';
import { nodeCheck, projectConfigs, READY_FILE, SECRET, TLS_PATHS, type ComposeOptions, type RenderedCompose } from './compose-project';
import { LauncherError } from './errors';
import type { Topology } from './topology';

/** The overlay network every service of a stack joins. */
const NETWORK = 'wearnet';
const HOSTNAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,252}$/;

/** Liveness of the service's own HTTP(S) endpoint on loopback (TLS: no trust needed to see it answer). */
function selfCheck(port: number, route: string, tls: boolean): Record<string, unknown> {
  const lib = tls ? 'https' : 'http';
  return nodeCheck(
    `require('${lib}').get({ host: '127.0.0.1', port: ${port}, path: '${route}', rejectUnauthorized: false }, ` +
      "(r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))",
  );
}

/** Checks `placement` against the stack's services. @throws LauncherError `E_PLACEMENT_INVALID`. */
function checkPlacement(placement: Record<string, string>, services: readonly string[]): void {
  for (const [service, node] of Object.entries(placement)) {
    if (!services.includes(service))
      throw new LauncherError('E_PLACEMENT_INVALID', `placement: no service "${service}" (services: ${services.join(', ')})`, { path: 'placement' });
    if (!HOSTNAME.test(node))
      throw new LauncherError('E_PLACEMENT_INVALID', `placement: "${node}" (for ${service}) is not a node hostname`, { path: 'placement' });
  }
}

/** A Swarm config or secret name for a project file (`config/device-3.json` -> `device-3_json`). */
function configName(file: string): string {
  return path.posix.basename(file).replace(/\./g, '_');
}

/**
 * Renders a topology as a stack file for `docker stack deploy` (Docker Swarm): the same services
 * and configs as the compose project, with the image from a registry (`image` is required), no
 * `build` and no `depends_on` (Swarm ignores start order: every process waits for its peers
 * itself; devices reconnect with backoff, the aggregator retries the medium for 5 minutes, the
 * controller polls), one overlay network, every config as a Swarm config and the run token (and
 * the TLS key) as a Swarm secret (no bind mounts), `deploy.resources.limits` per device from its
 * device class, `restart_policy: on-failure`, and `placement` constraints (`node.hostname == X`;
 * the controller goes where the aggregator goes, as they share the results volume). The metrics
 * port is published; the control API is not (it has no authentication): reach it from a container
 * on the attachable network. With `tls` the medium serves `wss://` and `https://`.
 * @throws LauncherError `E_IMAGE_REQUIRED`, `E_PLACEMENT_INVALID`.
 */
export function renderStack(topology: Topology, options: ComposeOptions): RenderedCompose {
  if (options.image === undefined || !options.image.includes('/'))
    throw new LauncherError(
      'E_IMAGE_REQUIRED',
      `a Swarm stack pulls its image on every node: give it from a registry (e.g. registry.example.com/wearnet:0.1.0), got ${options.image ?? 'none'}`,
    );
  const project = projectConfigs(topology, options);
  const { configs, image, appDir, mediumPort, metricsPort, controlPort } = project;
  const tls = options.tls;
  const serviceOf = (file: string): string => path.posix.basename(file, '.json');
  const names = configs.map((c) => serviceOf(c.file));
  const placement = { ...(options.placement ?? {}) };
  checkPlacement(placement, names);
  if (placement.aggregator !== undefined && placement.controller === undefined) placement.controller = placement.aggregator;

  const services: Record<string, unknown> = {};
  for (const { file, config } of configs) {
    const name = serviceOf(file);
    const deploy: Record<string, unknown> = { restart_policy: { condition: 'on-failure' } };
    if (placement[name] !== undefined) deploy.placement = { constraints: [`node.hostname == ${placement[name]}`] };
    const service: Record<string, unknown> = {
      image,
      working_dir: appDir,
      command: ['node', 'packages/cli/bin/wearnet.js', config.role, '--config', `/config/${name}.json`],
      environment: {
        WEARNET_TOKEN_FILE: `/run/secrets/${SECRET}`,
        WEARNET_READY_FILE: READY_FILE,
        // The controller reaches the medium with fetch, which trusts Node's extra CA file.
        ...(tls && config.role === 'controller' ? { NODE_EXTRA_CA_CERTS: TLS_PATHS.ca } : {}),
      },
      secrets: [SECRET, ...(tls && config.role === 'medium' ? [{ source: 'wearnet_tls_key', target: path.posix.basename(TLS_PATHS.key) }] : [])],
      configs: [
        { source: configName(file), target: `/config/${name}.json` },
        ...(tls && config.role === 'medium' ? [{ source: 'wearnet_tls_cert', target: TLS_PATHS.cert }] : []),
        ...(tls && config.role !== 'medium' ? [{ source: 'wearnet_tls_ca', target: TLS_PATHS.ca }] : []),
      ],
      networks: [NETWORK],
      deploy,
    };
    if (config.role === 'medium') service.healthcheck = selfCheck(mediumPort, '/healthz', tls !== undefined);
    if (config.role === 'aggregator') {
      service.healthcheck = selfCheck(metricsPort, '/metrics', false);
      service.ports = [{ target: metricsPort, published: metricsPort, protocol: 'tcp', mode: 'ingress' }];
    }
    if (config.role === 'aggregator' || config.role === 'controller') service.volumes = ['results:/results'];
    if (config.role === 'controller') service.healthcheck = selfCheck(controlPort, '/status', false);
    if (config.role === 'device') {
      service.healthcheck = nodeCheck(`require('fs').accessSync('${READY_FILE}')`);
      const limits = deviceLimits(config.deviceClass, { timeScale: topology.timeScale, hostMacsPerCpuSecond: options.hostMacsPerCpuSecond });
      deploy.resources = { limits: { cpus: String(limits.cpus), memory: limits.memLimit.replace(/m$/, 'M') } };
    }
    services[name] = service;
  }
  const swarmConfigs: Record<string, { file: string }> = Object.fromEntries(configs.map((c) => [configName(c.file), { file: `./${c.file}` }]));
  const secrets: Record<string, { file: string }> = { [SECRET]: { file: project.secretFile } };
  if (tls) {
    swarmConfigs.wearnet_tls_cert = { file: tls.certFile };
    swarmConfigs.wearnet_tls_ca = { file: tls.caFile };
    secrets.wearnet_tls_key = { file: tls.keyFile };
  }
  const header = [
    `# Rendered by \`wearnet compose --swarm\` from ${path.basename(topology.file)} (${topology.name}); do not edit, render again.`,
    `# A stack file for Docker Swarm: push ${image} to its registry, put the run token in ${project.secretFile}, then on a manager:`,
    '#   docker stack deploy -c docker-stack.yml wearnet',
    '# Configs and secrets are immutable: `docker stack rm wearnet` before deploying a new rendering. The clock origin',
    '# (epochMs in the configs) is wall-clock time: the nodes need synchronised clocks (NTP).',
    '',
  ].join('\n');
  // `version` is obsolete for Compose but older `docker stack deploy` (Docker CLI before v23) needs it; 3.8 has every key used here.
  const doc = {
    version: '3.8',
    services,
    networks: { [NETWORK]: { driver: 'overlay', attachable: true } },
    configs: swarmConfigs,
    secrets,
    volumes: { results: {} },
  };
  return { compose: `${header}${stringify(doc, { lineWidth: 0 })}`, configs };
}
