/**
 * Kubernetes manifests (issue 14, item 4): `wearnet k8s` renders manifests from the same model as
 * the compose project, each valid against the Kubernetes OpenAPI schema of its kind (the schemas
 * bundled with kubernetes-models 4.5.1, a dev dependency; they check types, required fields and
 * enums, not unknown keys).
 */
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, PersistentVolumeClaim, Service } from 'kubernetes-models/v1';
import { loadTopology, renderCompose, type Topology } from '@wearnet/launcher';

const ROOT = path.resolve(__dirname, '..');
const IMAGE = 'registry.example.com/wearnet:0.1.0';

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

/** The kubernetes-models class that validates a kind. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'v1/ConfigMap': ConfigMap,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'v1/Service': Service,
};

interface PodSpec {
  containers: Array<{ command: string[]; resources?: unknown; volumeMounts: Array<{ name: string; mountPath: string }>; readinessProbe: unknown }>;
  nodeSelector?: Record<string, string>;
  restartPolicy?: string;
}

describe('wearnet k8s', () => {
  let topology: Topology;
  let manifests: Manifest[];
  beforeAll(async () => {
    topology = (await loadTopology(path.join(ROOT, 'topologies', 'body-8.yaml'))).topology;
    const text = renderCompose(topology, {
      repoRoot: ROOT,
      epochMs: 0,
      kubernetes: true,
      image: IMAGE,
      placement: { 'device-0': 'wrist-node', aggregator: 'hub-node' },
    }).compose;
    manifests = parseAllDocuments(text).map((d) => d.toJSON() as Manifest);
  });
  const find = (kind: string, name: string): Manifest => manifests.find((m) => m.kind === kind && m.metadata.name === name)!;
  const pod = (m: Manifest): PodSpec => (m.spec!.template as { spec: PodSpec }).spec;

  it('renders only kinds it can validate, each valid against its Kubernetes schema', () => {
    for (const m of manifests) {
      const Model = MODELS[`${m.apiVersion}/${m.kind}`];
      expect(Model).toBeDefined();
      expect(() => new Model!(m as never).validate()).not.toThrow();
    }
  });

  it('has the checker refuse a broken manifest (the validation can fail)', () => {
    const broken = JSON.parse(JSON.stringify(find('Deployment', 'medium'))) as Manifest;
    delete broken.spec!.selector;
    expect(() => new Deployment(broken as never).validate()).toThrow(/selector/);
    const badPort = JSON.parse(JSON.stringify(find('Service', 'medium'))) as { spec: { ports: Array<{ port: unknown }> } };
    badPort.spec.ports[0]!.port = 'seven';
    expect(() => new Service(badPort as never).validate()).toThrow(/port must be integer/);
  });

  it('runs the same entry points: a Deployment per device, medium and controller, a Job for the aggregator, configs from one ConfigMap', () => {
    const deployments = manifests.filter((m) => m.kind === 'Deployment').map((m) => m.metadata.name);
    expect(deployments.sort()).toEqual(['controller', 'medium', ...topology.devices.map((d) => d.id)].sort());
    const job = find('Job', 'aggregator');
    expect(pod(job).restartPolicy).toBe('Never');
    expect(pod(job).containers[0]!.command).toEqual(['node', 'packages/cli/bin/wearnet.js', 'aggregator', '--config', '/config/aggregator.json']);
    const data = find('ConfigMap', 'wearnet-config').data!;
    expect(Object.keys(data).sort()).toEqual(['aggregator.json', 'controller.json', 'medium.json', ...topology.devices.map((d) => `${d.id}.json`)].sort());
    expect(JSON.parse(data['aggregator.json']!)).toMatchObject({ mediumUrl: 'ws://medium:7400', hubConnectTimeoutMs: 300000, exitWhenDone: true });
    expect(
      manifests
        .filter((m) => m.kind === 'Service')
        .map((m) => m.metadata.name)
        .sort(),
    ).toEqual(['aggregator', 'controller', 'medium']);
  });

  it('keeps the token out of the manifests, limits devices, and places services by nodeSelector', () => {
    expect(manifests.some((m) => (m.kind as string) === 'Secret')).toBe(false);
    const device0 = pod(find('Deployment', 'device-0'));
    expect(device0.containers[0]!.resources).toEqual({ limits: { cpu: '0.5', memory: '320Mi' } });
    expect(device0.nodeSelector).toEqual({ 'kubernetes.io/hostname': 'wrist-node' });
    expect(pod(find('Deployment', 'controller')).nodeSelector).toEqual({ 'kubernetes.io/hostname': 'hub-node' }); // shares the results claim
    expect(pod(find('Deployment', 'device-1')).nodeSelector).toBeUndefined();
    expect(pod(find('Job', 'aggregator')).containers[0]!.volumeMounts).toContainEqual({ name: 'results', mountPath: '/results' });
  });

  it('refuses an image without a registry and a placement of no service', () => {
    expect(() => renderCompose(topology, { repoRoot: ROOT, kubernetes: true, image: 'wearnet:latest' })).toThrow(
      expect.objectContaining({ code: 'E_IMAGE_REQUIRED' }),
    );
    expect(() => renderCompose(topology, { repoRoot: ROOT, kubernetes: true, image: IMAGE, placement: { hub: 'n' } })).toThrow(
      expect.objectContaining({ code: 'E_PLACEMENT_INVALID' }),
    );
  });
});
