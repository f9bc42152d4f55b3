/**
 * Compose as users expect (issue 14, item 3): every rendered project, the committed
 * compose/body-8 and the top-level docker-compose.yml are valid against the compose-spec JSON
 * schema (vendored in test/schemas/, see its README), carry healthchecks, health-gated start
 * order, the token as a secret, per-device limits and a results volume; Debian's docker-compose
 * (`docker-compose config`, no engine needed) accepts the rendered file when it is installed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { parseFaults } from '@wearnet/faults';
import { loadTopology, renderCompose, type RenderedCompose } from '@wearnet/launcher';

const ROOT = path.resolve(__dirname, '..');
// The schema names draft-07 as `https://json-schema.org/draft-07/schema`, which is draft-07, ajv's
// default, under a URL ajv does not know: compiled without that key. The spec's custom formats
// (duration, ports, expose) are not JSON Schema formats and are not checked here.
const { $schema: _draft, ...schema } = JSON.parse(readFileSync(path.join(__dirname, 'schemas', 'compose-spec.json'), 'utf8')) as { $schema: string };
const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);

interface Service {
  command: string[];
  environment: Record<string, string>;
  secrets?: string[];
  volumes: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  cpus?: number;
  mem_limit?: string;
}
interface ComposeDoc {
  services: Record<string, Service>;
  secrets: Record<string, { file: string }>;
  volumes: Record<string, unknown>;
}

function expectValid(doc: unknown): void {
  const ok = validate(doc);
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
}

function hasDockerCompose(): boolean {
  try {
    execFileSync('docker-compose', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('rendered compose projects', () => {
  const topologies = readdirSync(path.join(ROOT, 'topologies')).filter((f) => f.endsWith('.yaml'));
  const rendered = new Map<string, RenderedCompose>();
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'wearnet-compose-schema-'));
    for (const file of topologies) {
      const { topology } = await loadTopology(path.join(ROOT, 'topologies', file));
      rendered.set(file, renderCompose(topology, { repoRoot: ROOT, epochMs: 0 }));
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(topologies)('%s renders a file valid against the compose-spec schema', (file) => {
    expectValid(parse(rendered.get(file)!.compose));
  });

  it('keeps the committed compose/body-8 and the top-level docker-compose.yml valid against the schema', () => {
    expectValid(parse(readFileSync(path.join(ROOT, 'compose', 'body-8', 'docker-compose.yml'), 'utf8')));
    expectValid(parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')));
  });

  it('keeps compose/body-8 as `wearnet compose` renders it today (apart from the clock origin)', async () => {
    const { topology } = await loadTopology(path.join(ROOT, 'topologies', 'body-8.yaml'));
    const fresh = renderCompose(topology, { repoRoot: ROOT });
    expect(readFileSync(path.join(ROOT, 'compose', 'body-8', 'docker-compose.yml'), 'utf8')).toBe(fresh.compose);
    for (const c of fresh.configs) {
      const committed = JSON.parse(readFileSync(path.join(ROOT, 'compose', 'body-8', c.file), 'utf8')) as { epochMs: number };
      expect({ ...committed, epochMs: 0 }).toEqual({ ...c.config, epochMs: 0 });
    }
  });

  it('gates the start on health: the medium on /healthz, the aggregator on its metrics, devices on their ready file', () => {
    const doc = parse(rendered.get('body-8.yaml')!.compose) as ComposeDoc;
    const check = (name: string): string => doc.services[name]!.healthcheck!.test.join(' ');
    expect(check('medium')).toMatch(/^CMD node -e .*fetch\('http:\/\/127\.0\.0\.1:7400\/healthz'\)/);
    expect(check('aggregator')).toMatch(/fetch\('http:\/\/127\.0\.0\.1:9464\/metrics'\)/);
    for (const [name, svc] of Object.entries(doc.services)) {
      if (name === 'medium') continue;
      expect(svc.depends_on).toEqual({ medium: { condition: 'service_healthy' } });
      if (name.startsWith('device-')) expect(check(name)).toContain("accessSync('/tmp/wearnet-ready')");
    }
  });

  it('passes the token only as the compose secret, read through WEARNET_TOKEN_FILE, never as a literal', () => {
    for (const r of rendered.values()) {
      const doc = parse(r.compose) as ComposeDoc;
      expect(doc.secrets).toEqual({ wearnet_token: { file: './secrets/wearnet_token' } });
      for (const svc of Object.values(doc.services)) {
        expect(svc.secrets).toEqual(['wearnet_token']);
        expect(svc.environment).toEqual({ WEARNET_TOKEN_FILE: '/run/secrets/wearnet_token', WEARNET_READY_FILE: '/tmp/wearnet-ready' });
      }
      expect(r.compose).not.toMatch(/WEARNET_TOKEN:/);
      for (const c of r.configs) expect(c.config).not.toHaveProperty('token');
    }
  });

  it('limits each device container from its device class and time scale, and puts results on a volume', () => {
    const body8 = parse(rendered.get('body-8.yaml')!.compose) as ComposeDoc;
    expect(body8.services['device-0']).toMatchObject({ cpus: 0.5, mem_limit: '320m' }); // Cortex-M7 480 MHz, time scale 1
    const slow = parse(rendered.get('body-8-164k.yaml')!.compose) as ComposeDoc;
    expect(slow.services['device-0']!.cpus).toBe(0.45); // Cortex-M4 at time scale 10: 0.25 + 40e6 * 10 / 2e9
    expect(body8.volumes).toEqual({ results: {} });
    expect(body8.services.aggregator!.volumes).toContain('results:/results');
  });

  it('renders a controller service that carries the fault schedule, valid against the schema', async () => {
    const faulty = path.join(dir, 'links.yaml');
    const base = readFileSync(path.join(ROOT, 'topologies', 'body-4.yaml'), 'utf8').replace(/^bundles: \.\.\//m, `bundles: ${ROOT}/`);
    const faults = [
      '  - { id: cut-1, kind: link-down, target: device-1, atMs: 500, durationMs: 2000 }',
      '  - { id: fade, kind: noise, loss: 0.2, atMs: 1000 }',
      '  - { id: flappy, kind: flap, target: [device-2, device-3], upMeanMs: 300, downMeanMs: 100, atMs: 0, durationMs: 3000 }',
    ];
    writeFileSync(faulty, `${base}\nfaults:\n${faults.join('\n')}\n`);
    const { topology } = await loadTopology(faulty);
    const r = renderCompose(topology, { repoRoot: ROOT, epochMs: 0 });
    const doc = parse(r.compose) as ComposeDoc & { services: Record<string, Service & { ports?: string[] }> };
    expectValid(doc);
    const controller = doc.services.controller!;
    expect(controller.command).toEqual(['node', 'packages/cli/bin/wearnet.js', 'controller', '--config', '/config/controller.json']);
    expect(controller.ports).toEqual(['127.0.0.1:7401:7401']);
    expect(controller.healthcheck!.test.join(' ')).toContain("fetch('http://127.0.0.1:7401/status')");
    expect(controller.volumes).toContain('results:/results');
    const config = r.configs.find((c) => c.file === 'config/controller.json')!.config as { faults: unknown[]; mediumUrl: string; aggregatorUrl: string };
    expect(config).toMatchObject({ mediumUrl: 'http://medium:7400', aggregatorUrl: 'http://aggregator:9464' });
    expect(parseFaults(config.faults, { devices: topology.devices.map((d) => d.id) })).toEqual(topology.faults);
  });

  it('refuses device faults, request-count marks and a gated workload with E_COMPOSE_UNSUPPORTED, naming the fault', async () => {
    const faulty = path.join(dir, 'faulty.yaml');
    const base = readFileSync(path.join(ROOT, 'topologies', 'body-4.yaml'), 'utf8').replace(/^bundles: \.\.\//m, `bundles: ${ROOT}/`);
    writeFileSync(
      faulty,
      `${base}\nfaults:\n  - { id: crash-0, kind: crash, target: device-0, atMs: 10 }\n  - { id: cut-2, kind: link-down, target: device-2, afterRequests: 5 }\n`,
    );
    const { topology } = await loadTopology(faulty);
    expect(() => renderCompose(topology, { repoRoot: ROOT })).toThrow(expect.objectContaining({ code: 'E_COMPOSE_UNSUPPORTED', path: 'faults' }));
    expect(() => renderCompose(topology, { repoRoot: ROOT })).toThrow(/crash-0: kind crash acts on a device process.*cut-2: afterRequests/);
    expect(() => renderCompose({ ...topology, faults: [], workload: { ...topology.workload, gated: true } }, { repoRoot: ROOT })).toThrow(
      expect.objectContaining({ code: 'E_COMPOSE_UNSUPPORTED', path: 'workload.gated' }),
    );
  });

  (hasDockerCompose() ? it : it.skip)("is accepted by Debian's docker-compose (`docker-compose config`, no engine needed)", () => {
    const out = path.join(dir, 'project');
    mkdirSync(path.join(out, 'secrets'), { recursive: true });
    const r = rendered.get('body-8.yaml')!;
    writeFileSync(path.join(out, 'docker-compose.yml'), r.compose);
    writeFileSync(path.join(out, 'secrets', 'wearnet_token'), 'test-token\n');
    const config = execFileSync('docker-compose', ['config'], { cwd: out, encoding: 'utf8' });
    const doc = parse(config) as ComposeDoc;
    expect(Object.keys(doc.services).sort()).toEqual(Object.keys((parse(r.compose) as ComposeDoc).services).sort());
  });
});
