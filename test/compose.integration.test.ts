import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { loadTopology, renderCompose } from '@wearnet/launcher';
import type { RoleConfig } from '@wearnet/roles';
import { freePort } from './helpers/free-port';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'packages', 'cli', 'bin', 'wearnet.js');

/** What docker does to a rendered config: the service name resolves, /app is the repository, /results a volume. */
function onHost(config: RoleConfig, results: string): RoleConfig {
  const text = JSON.stringify(config)
    .replace(/ws:\/\/medium:/g, 'ws://127.0.0.1:')
    .replace(/"\/app\//g, `"${ROOT}/`)
    .replace(/"\/results"/g, JSON.stringify(results))
    .replace(/"0\.0\.0\.0"/g, '"127.0.0.1"');
  const c = JSON.parse(text) as RoleConfig & { metricsPort?: number; workload?: { requests?: number } };
  if (c.role === 'aggregator') {
    c.metricsPort = 0;
    if (c.workload) c.workload.requests = 12;
  }
  return c;
}

describe('wearnet compose', () => {
  const children: ChildProcess[] = [];
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'wearnet-compose-'));
  });
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders services whose configs run the same entry points to a complete run', async () => {
    const { topology } = await loadTopology(path.join(ROOT, 'topologies', 'body-4.yaml'));
    const port = await freePort();
    const rendered = renderCompose(topology, { repoRoot: ROOT, mediumPort: port });
    const doc = parse(rendered.compose) as { services: Record<string, { command: string[]; depends_on?: Record<string, unknown> }> };
    expect(Object.keys(doc.services).sort()).toEqual(['aggregator', 'controller', 'device-0', 'device-1', 'device-2', 'device-3', 'medium']);
    for (const [name, svc] of Object.entries(doc.services)) {
      expect(svc.command.slice(0, 3)).toEqual(['node', 'packages/cli/bin/wearnet.js', name.startsWith('device') ? 'device' : name]);
      expect(rendered.configs.map((c) => `/${c.file}`)).toContain(svc.command[4]);
      for (const dep of Object.keys(svc.depends_on ?? {})) expect(doc.services[dep]).toBeDefined();
    }

    const results = path.join(dir, 'results');
    // The compose secret: a file each service reads through WEARNET_TOKEN_FILE; each writes its ready file.
    const secret = path.join(dir, 'wearnet_token');
    writeFileSync(secret, 'compose-test-token\n');
    const readyFile = (name: string): string => path.join(dir, `${name}.ready`);
    const start = (c: RoleConfig, name: string): ChildProcess => {
      const file = path.join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify(onHost(c, results)));
      const { WEARNET_TOKEN: _unused, ...env } = process.env;
      const child = spawn(process.execPath, [CLI, c.role, '--config', file, '--exit-with-stdin'], {
        cwd: ROOT,
        env: { ...env, WEARNET_TOKEN_FILE: secret, WEARNET_READY_FILE: readyFile(name) },
        stdio: ['pipe', 'pipe', 'ignore'],
      });
      children.push(child);
      return child;
    };
    const byName = new Map(rendered.configs.map((c) => [path.basename(c.file, '.json'), c.config]));
    const medium = start(byName.get('medium')!, 'medium');
    await new Promise<void>((resolve) => medium.stdout!.on('data', (d: Buffer) => d.toString().includes('"ready"') && resolve()));
    const aggregator = start(byName.get('aggregator')!, 'aggregator');
    for (const [name, config] of byName) if (name.startsWith('device')) start(config, name);
    const summary = await new Promise<{ requests: { finalised: number }; perDevice?: unknown }>((resolve) => {
      let buffer = '';
      aggregator.stdout!.on('data', (d: Buffer) => {
        buffer += d.toString();
        for (const line of buffer.split('\n')) {
          if (line.startsWith('{') && line.includes('"event":"done"')) resolve((JSON.parse(line) as { summary: never }).summary);
        }
      });
    });
    expect(summary.requests.finalised).toBe(12);
    // What the healthchecks read: every device wrote its ready file once it was ready.
    for (const name of byName.keys()) if (name.startsWith('device')) expect(existsSync(readyFile(name))).toBe(true);
  }, 60_000);
});
