/**
 * Swarm across hosts (issue 14, item 4): `wearnet compose --swarm` renders a stack file valid
 * against the compose-spec JSON schema (vendored in test/schemas/), with the image from a
 * registry, no `build`, no `depends_on`, an overlay network, configs and secrets instead of bind
 * mounts, placement constraints and per-device limits under `deploy`.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { loadTopology, renderCompose } from '@wearnet/launcher';
import type { Topology } from '@wearnet/launcher';

const ROOT = path.resolve(__dirname, '..');
const { $schema: _draft, ...schema } = JSON.parse(readFileSync(path.join(__dirname, 'schemas', 'compose-spec.json'), 'utf8')) as { $schema: string };
const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
const IMAGE = 'registry.example.com/wearnet:0.1.0';

interface StackService {
  image: string;
  build?: unknown;
  depends_on?: unknown;
  command: string[];
  volumes?: string[];
  configs: Array<{ source: string; target: string }>;
  secrets: Array<string | { source: string; target: string }>;
  networks: string[];
  environment: Record<string, string>;
  healthcheck: { test: string[] };
  deploy: { placement?: { constraints: string[] }; resources?: { limits: { cpus: string; memory: string } }; restart_policy: { condition: string } };
}
interface StackDoc {
  version: string;
  services: Record<string, StackService>;
  networks: Record<string, { driver: string; attachable: boolean }>;
  configs: Record<string, { file: string }>;
  secrets: Record<string, { file: string }>;
  volumes: Record<string, unknown>;
}

describe('wearnet compose --swarm', () => {
  let topology: Topology;
  beforeAll(async () => {
    topology = (await loadTopology(path.join(ROOT, 'topologies', 'body-8.yaml'))).topology;
  });

  const render = (extra: Record<string, unknown> = {}): StackDoc =>
    parse(renderCompose(topology, { repoRoot: ROOT, epochMs: 0, swarm: true, image: IMAGE, ...extra }).compose) as StackDoc;

  it('renders a stack file valid against the compose-spec schema, with TLS and placement too', () => {
    for (const doc of [
      render(),
      render({ placement: { 'device-0': 'node-a', aggregator: 'hub' }, tls: { certFile: './tls/cert.pem', keyFile: './tls/key.pem', caFile: './tls/ca.pem' } }),
    ]) {
      const ok = validate(doc);
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it('pulls the image from the registry, with no build, no start order and no bind mount', () => {
    const doc = render();
    expect(Object.keys(doc.services).sort()).toEqual(['aggregator', 'controller', ...topology.devices.map((d) => d.id), 'medium'].sort());
    for (const [name, svc] of Object.entries(doc.services)) {
      expect(svc.image).toBe(IMAGE);
      expect(svc.build).toBeUndefined();
      expect(svc.depends_on).toBeUndefined();
      expect(svc.networks).toEqual(['wearnet']);
      // Only the named results volume: every config is a Swarm config, the token a Swarm secret.
      for (const v of svc.volumes ?? []) expect(v).toBe('results:/results');
      expect(svc.configs).toContainEqual({ source: `${name}_json`, target: `/config/${name}.json` });
      expect(svc.command.slice(-2)).toEqual(['--config', `/config/${name}.json`]);
      expect(svc.secrets).toContain('wearnet_token');
      expect(svc.deploy.restart_policy).toEqual({ condition: 'on-failure' });
    }
    expect(doc.networks).toEqual({ wearnet: { driver: 'overlay', attachable: true } });
    expect(doc.version).toBe('3.8'); // older `docker stack deploy` refuses a file without it
    expect(doc.configs['device-3_json']).toEqual({ file: './config/device-3.json' });
    expect(doc.secrets).toEqual({ wearnet_token: { file: './secrets/wearnet_token' } });
  });

  it('puts services on the chosen nodes (the controller with the aggregator) and limits each device under deploy', () => {
    const doc = render({ placement: { 'device-0': 'wrist-host', 'device-1': 'ankle-host', aggregator: 'hub-host' } });
    expect(doc.services['device-0']!.deploy.placement).toEqual({ constraints: ['node.hostname == wrist-host'] });
    expect(doc.services['device-1']!.deploy.placement).toEqual({ constraints: ['node.hostname == ankle-host'] });
    expect(doc.services.controller!.deploy.placement).toEqual({ constraints: ['node.hostname == hub-host'] });
    expect(doc.services['device-2']!.deploy.placement).toBeUndefined();
    expect(doc.services['device-0']!.deploy.resources).toEqual({ limits: { cpus: '0.5', memory: '320M' } }); // Cortex-M7 480 MHz at time scale 1
  });

  it('with TLS: the medium serves wss with its certificate config and key secret, the others trust the CA', () => {
    const tls = { certFile: './tls/cert.pem', keyFile: './tls/key.pem', caFile: './tls/ca.pem' };
    const rendered = renderCompose(topology, { repoRoot: ROOT, epochMs: 0, swarm: true, image: IMAGE, tls });
    const doc = parse(rendered.compose) as StackDoc;
    expect(doc.secrets.wearnet_tls_key).toEqual({ file: './tls/key.pem' });
    expect(doc.configs.wearnet_tls_cert).toEqual({ file: './tls/cert.pem' });
    expect(doc.services.medium!.secrets).toContainEqual({ source: 'wearnet_tls_key', target: 'wearnet_tls_key' });
    expect(doc.services.medium!.healthcheck.test.join(' ')).toContain("require('https')");
    expect(doc.services['device-5']!.configs).toContainEqual({ source: 'wearnet_tls_ca', target: '/config/tls/ca.pem' });
    expect(doc.services.controller!.environment.NODE_EXTRA_CA_CERTS).toBe('/config/tls/ca.pem');
    const byFile = new Map(rendered.configs.map((c) => [c.file, c.config as unknown as Record<string, unknown>]));
    expect(byFile.get('config/medium.json')!.tls).toEqual({ certFile: '/config/tls/cert.pem', keyFile: '/run/secrets/wearnet_tls_key' });
    expect(byFile.get('config/device-5.json')).toMatchObject({ mediumUrl: 'wss://medium:7400', caFile: '/config/tls/ca.pem' });
    expect(byFile.get('config/aggregator.json')).toMatchObject({ mediumUrl: 'wss://medium:7400', caFile: '/config/tls/ca.pem', hubConnectTimeoutMs: 300000 });
    expect(byFile.get('config/controller.json')).toMatchObject({ mediumUrl: 'https://medium:7400' });
  });

  it('refuses an image without a registry with E_IMAGE_REQUIRED and a placement of no service with E_PLACEMENT_INVALID', () => {
    expect(() => renderCompose(topology, { repoRoot: ROOT, swarm: true, image: 'wearnet:latest' })).toThrow(
      expect.objectContaining({ code: 'E_IMAGE_REQUIRED' }),
    );
    expect(() => renderCompose(topology, { repoRoot: ROOT, swarm: true })).toThrow(expect.objectContaining({ code: 'E_IMAGE_REQUIRED' }));
    expect(() => render({ placement: { 'device-99': 'node-a' } })).toThrow(
      expect.objectContaining({ code: 'E_PLACEMENT_INVALID', message: expect.stringContaining('device-99') }),
    );
    expect(() => render({ placement: { 'device-0': 'bad host' } })).toThrow(expect.objectContaining({ code: 'E_PLACEMENT_INVALID' }));
  });
});
