/**
 * Compose runs faults (issue 14, item 3): a topology with a fault schedule renders a controller
 * service, and the services run as plain processes the way compose starts them (the commands and
 * environment of the rendered file, service names resolved to 127.0.0.1, /app the repository,
 * /results a directory) apply the faults: the controller reaches the medium and the aggregator
 * over the network only, and the records show the fault.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { loadTopology, renderCompose } from '@wearnet/launcher';
import { freePort } from './helpers/free-port';

const ROOT = path.resolve(__dirname, '..');

interface Service {
  command: string[];
  environment: Record<string, string>;
  working_dir: string;
}

/** What docker does to a rendered config: service names resolve, /app is the repository, /results a volume. */
function onHost(text: string, results: string): string {
  return text
    .replace(/(ws|http):\/\/(medium|aggregator):/g, '$1://127.0.0.1:')
    .replace(/"\/app\//g, `"${ROOT}/`)
    .replace(/"\/results"/g, JSON.stringify(results))
    .replace(/"0\.0\.0\.0"/g, '"127.0.0.1"');
}

function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (d: Buffer): void => {
      buffer += d.toString();
      const line = buffer.split('\n').find((l) => pattern.test(l));
      if (line === undefined) return;
      child.stdout!.off('data', onData);
      resolve(line);
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${child.spawnargs.join(' ')} exited with ${code} before ${pattern}`)));
  });
}

describe('wearnet compose with a fault schedule', () => {
  const children: ChildProcess[] = [];
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'wearnet-compose-faults-'));
  });
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the rendered services as compose would and the controller applies and clears the link fault', async () => {
    const file = path.join(dir, 'faulty.yaml');
    const base = readFileSync(path.join(ROOT, 'topologies', 'body-4.yaml'), 'utf8').replace(/^bundles: \.\.\//m, `bundles: ${ROOT}/`);
    writeFileSync(file, `${base}\nfaults:\n  - { id: cut-1, kind: link-down, target: device-1, atMs: 0, durationMs: 4000 }\n`);
    const { topology } = await loadTopology(file);
    topology.workload.requests = 40;
    const [mediumPort, metricsPort, controlPort] = [await freePort(), await freePort(), await freePort()];
    const rendered = renderCompose(topology, { repoRoot: ROOT, mediumPort, metricsPort, controlPort });
    const doc = parse(rendered.compose) as { services: Record<string, Service> };
    expect(doc.services.controller!.command).toEqual(['node', 'packages/cli/bin/wearnet.js', 'controller', '--config', '/config/controller.json']);

    const results = path.join(dir, 'results');
    const config = path.join(dir, 'config');
    mkdirSync(results);
    mkdirSync(config);
    for (const c of rendered.configs) writeFileSync(path.join(dir, c.file), onHost(JSON.stringify(c.config), results));
    const secret = path.join(dir, 'wearnet_token');
    writeFileSync(secret, 'compose-faults-test-token\n');
    const start = (name: string): ChildProcess => {
      const svc = doc.services[name]!;
      const command = svc.command.map((arg) => arg.replace(/^\/config\//, `${config}/`));
      const { WEARNET_TOKEN: _unused, ...env } = process.env;
      const environment = { ...svc.environment, WEARNET_TOKEN_FILE: secret, WEARNET_READY_FILE: path.join(dir, `${name}.ready`) };
      expect(command[0]).toBe('node');
      const child = spawn(process.execPath, command.slice(1), {
        cwd: svc.working_dir.replace(/^\/app$/, ROOT),
        env: { ...env, ...environment },
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      children.push(child);
      return child;
    };
    // Compose's order (depends_on: medium healthy), but the controller first: it waits for its peers itself.
    const controller = start('controller');
    await waitForLine(controller, /"event":"ready"/);
    const medium = start('medium');
    await waitForLine(medium, /"event":"ready"/);
    const aggregator = start('aggregator');
    for (const name of Object.keys(doc.services)) if (name.startsWith('device-')) start(name);
    const aggregatorExit = new Promise<number | null>((resolve) => aggregator.once('exit', (code) => resolve(code)));
    const done = await waitForLine(aggregator, /"event":"done"/);
    const summary = (JSON.parse(done) as { summary: { requests: { finalised: number } } }).summary;
    expect(summary.requests.finalised).toBe(40);
    // exitWhenDone: the aggregator ends by itself, as `--exit-code-from aggregator` needs.
    expect(await aggregatorExit).toBe(0);
    const faultsFile = path.join(results, 'faults.json');
    // The controller learns that the run finished by polling the aggregator: wait for it (the jest timeout is the guard).
    const finished = async (): Promise<boolean> =>
      (await fetch(`http://127.0.0.1:${controlPort}/status`).then((r) => r.json() as Promise<{ finished: boolean }>)).finished;
    while (!(await finished())) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise<void>((resolve) => {
      const poll = (): void => (existsSync(faultsFile) ? resolve() : void setImmediate(poll));
      poll();
    });
    const report = JSON.parse(readFileSync(faultsFile, 'utf8')) as {
      faults: Array<{ id: string; state: string }>;
      periods: Array<{ id: string; target: string; startMs: number; endMs: number }>;
      errors: string[];
    };
    expect(report.errors).toEqual([]);
    expect(report.faults).toEqual([expect.objectContaining({ id: 'cut-1', state: 'cleared' })]);
    const [period] = report.periods;
    expect(period).toMatchObject({ id: 'cut-1', target: 'device-1' });
    expect(period!.endMs - period!.startMs).toBeGreaterThanOrEqual(4000);
    const records = readFileSync(path.join(results, 'requests.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { startMs: number; devices: Record<string, { missing?: string }> });
    const during = records.filter((r) => r.startMs >= period!.startMs && r.startMs + 400 <= period!.endMs);
    expect(during.length).toBeGreaterThan(0);
    for (const r of during) {
      expect(r.devices['device-1']!.missing).toBeDefined();
      expect(r.devices['device-0']!.missing).toBeUndefined();
    }
    // Once the fault cleared, device-1 answers again: the loss was the fault's, not the setup's.
    const after = records.filter((r) => r.startMs >= period!.endMs + 400);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((r) => r.devices['device-1']!.missing === undefined).length).toBeGreaterThan(0);
  }, 120_000);
});
