import * as path from 'node:path';
import { stringify } from 'yaml';
import { deviceLimits } from './compose-limits';
import { projectConfigs, READY_FILE, SECRET, type ComposeOptions, type RenderedCompose } from './compose-project';
import { LauncherError } from './errors';
import type { Topology } from './topology';

/** The Secret holding the run token (created by the user: the token is never in a manifest). */
const TOKEN_SECRET = 'wearnet-token';
const CONFIG_MAP = 'wearnet-config';
const RESULTS_CLAIM = 'wearnet-results';
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

type Manifest = Record<string, unknown>;

/** Readiness of the process's own HTTP endpoint, or of its ready file. */
function probe(port: number | undefined, route: string): Manifest {
  const timing = { periodSeconds: 2, timeoutSeconds: 2, failureThreshold: 30 };
  if (port !== undefined) return { httpGet: { path: route, port }, ...timing };
  return { exec: { command: ['node', '-e', `require('fs').accessSync('${READY_FILE}')`] }, ...timing };
}

/**
 * Renders a topology as Kubernetes manifests (one YAML stream for `kubectl apply -f`), from the
 * same configs as the compose project: a ConfigMap `wearnet-config` with every role config,
 * Services `medium`, `aggregator` and `controller` (ClusterIP: reached by name as in compose),
 * a Deployment per device, for the medium and for the controller, a Job for the aggregator (it
 * exits when done), a PersistentVolumeClaim `wearnet-results` (ReadWriteOnce, 1 GiB) mounted by the
 * aggregator and the controller. The run token is the Secret `wearnet-token` (key
 * `wearnet_token`), which the user creates: it is never in a manifest. Readiness probes on the
 * same endpoints as the compose healthchecks; per-device CPU and memory limits from the device
 * class; `placement` (service -> node) becomes `nodeSelector: kubernetes.io/hostname` (the
 * controller follows the aggregator: they share the volume). No start order: the aggregator
 * retries the medium, devices reconnect, the controller polls. TLS is not rendered here.
 * @throws LauncherError `E_IMAGE_REQUIRED`, `E_PLACEMENT_INVALID`, `E_COMPOSE_UNSUPPORTED` (`tls`).
 */
export function renderKubernetes(topology: Topology, options: ComposeOptions): RenderedCompose {
  if (options.image === undefined || !options.image.includes('/'))
    throw new LauncherError(
      'E_IMAGE_REQUIRED',
      `every node pulls the image: give it from a registry (e.g. registry.example.com/wearnet:0.1.0), got ${options.image ?? 'none'}`,
    );
  if (options.tls !== undefined) throw new LauncherError('E_COMPOSE_UNSUPPORTED', 'tls: Kubernetes manifests are rendered without TLS (use --swarm for wss)');
  const { configs, image, appDir, mediumPort, metricsPort, controlPort } = projectConfigs(topology, options);
  const nameOf = (file: string): string => path.posix.basename(file, '.json');
  const names = configs.map((c) => nameOf(c.file));
  for (const name of names) if (!DNS_LABEL.test(name)) throw new LauncherError('E_PLACEMENT_INVALID', `service name "${name}" is not a DNS label`);
  const placement = { ...(options.placement ?? {}) };
  for (const service of Object.keys(placement))
    if (!names.includes(service))
      throw new LauncherError('E_PLACEMENT_INVALID', `placement: no service "${service}" (services: ${names.join(', ')})`, { path: 'placement' });
  if (placement.aggregator !== undefined && placement.controller === undefined) placement.controller = placement.aggregator;

  const labels = (name: string): Record<string, string> => ({
    'app.kubernetes.io/name': 'wearnet',
    'app.kubernetes.io/instance': topology.name,
    'app.kubernetes.io/component': name,
  });
  const meta = (name: string): Manifest => ({ name, labels: labels(name) });
  const manifests: Manifest[] = [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta(CONFIG_MAP),
      data: Object.fromEntries(configs.map((c) => [path.posix.basename(c.file), `${JSON.stringify(c.config, null, 2)}\n`])),
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: meta(RESULTS_CLAIM),
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    },
  ];
  const ports: Record<string, number> = { medium: mediumPort, aggregator: metricsPort, controller: controlPort };
  for (const [name, port] of Object.entries(ports))
    manifests.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(name),
      spec: { selector: labels(name), ports: [{ name: 'http', port, targetPort: port }] },
    });
  for (const { file, config } of configs) {
    const name = nameOf(file);
    const writesResults = config.role === 'aggregator' || config.role === 'controller';
    const container: Manifest = {
      name: config.role,
      image,
      workingDir: appDir,
      command: ['node', 'packages/cli/bin/wearnet.js', config.role, '--config', `/config/${name}.json`],
      env: [
        { name: 'WEARNET_TOKEN_FILE', value: `/run/secrets/${SECRET}` },
        { name: 'WEARNET_READY_FILE', value: READY_FILE },
      ],
      volumeMounts: [
        { name: 'config', mountPath: '/config', readOnly: true },
        { name: 'token', mountPath: '/run/secrets', readOnly: true },
        ...(writesResults ? [{ name: 'results', mountPath: '/results' }] : []),
      ],
      readinessProbe: probe(ports[name], { medium: '/healthz', aggregator: '/metrics', controller: '/status' }[name] ?? ''),
    };
    if (ports[name] !== undefined) container.ports = [{ containerPort: ports[name] }];
    if (config.role === 'device') {
      const limits = deviceLimits(config.deviceClass, { timeScale: topology.timeScale, hostMacsPerCpuSecond: options.hostMacsPerCpuSecond });
      container.resources = { limits: { cpu: String(limits.cpus), memory: limits.memLimit.replace(/m$/, 'Mi') } };
    }
    const pod: Manifest = {
      containers: [container],
      volumes: [
        { name: 'config', configMap: { name: CONFIG_MAP } },
        { name: 'token', secret: { secretName: TOKEN_SECRET, items: [{ key: SECRET, path: SECRET }] } },
        ...(writesResults ? [{ name: 'results', persistentVolumeClaim: { claimName: RESULTS_CLAIM } }] : []),
      ],
      ...(placement[name] !== undefined ? { nodeSelector: { 'kubernetes.io/hostname': placement[name] } } : {}),
    };
    const template = { metadata: { labels: labels(name) }, spec: config.role === 'aggregator' ? { ...pod, restartPolicy: 'Never' } : pod };
    manifests.push(
      config.role === 'aggregator'
        ? { apiVersion: 'batch/v1', kind: 'Job', metadata: meta(name), spec: { backoffLimit: 0, template } }
        : { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(name), spec: { replicas: 1, selector: { matchLabels: labels(name) }, template } },
    );
  }
  const header = [
    `# Rendered by \`wearnet k8s\` from ${path.basename(topology.file)} (${topology.name}); do not edit, render again.`,
    `# Create the token's Secret first: kubectl create secret generic ${TOKEN_SECRET} --from-file=${SECRET}=PATH_TO_TOKEN`,
    '# then: kubectl apply -f wearnet.k8s.yaml. The clock origin (epochMs in the configs) is wall-clock time: nodes need synchronised clocks.',
    '',
  ].join('\n');
  return { compose: header + manifests.map((m) => stringify(m, { lineWidth: 0 })).join('---\n'), configs };
}
