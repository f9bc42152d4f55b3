import * as path from 'node:path';
import { stringify } from 'yaml';
import { deviceLimits } from './compose-limits';
import { LauncherError } from './errors';
import { composeFaultProblem } from './compose-faults';
import { httpCheck, nodeCheck, projectConfigs, READY_FILE, SECRET, type ComposeOptions, type RenderedCompose } from './compose-project';
import { renderKubernetes } from './k8s';
import { renderStack } from './stack';
import type { Topology } from './topology';

export type { ComposeOptions, RenderedCompose } from './compose-project';

/** The oldest Compose that runs a rendered file (compose spec with `depends_on` conditions, file secrets, `cpus`). */
export const MIN_COMPOSE_VERSION = '1.29';

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
 * need the launcher to own the processes: `wearnet run`). With `swarm: true` it renders a stack
 * file for `docker stack deploy` instead (`renderStack`), with `kubernetes: true` Kubernetes
 * manifests (`renderKubernetes`); `compose` then holds that text.
 */
export function renderCompose(topology: Topology, options: ComposeOptions): RenderedCompose {
  refuseUnsupported(topology);
  if (options.kubernetes === true) return renderKubernetes(topology, options);
  if (options.swarm === true) return renderStack(topology, options);
  const { configs, image, appDir, mediumPort, metricsPort, controlPort, secretFile } = projectConfigs(topology, options);
  const devices = configs.flatMap((c) => (c.config.role === 'device' ? [c.config] : []));
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
