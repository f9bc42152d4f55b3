/**
 * Swarm across hosts (issue 14, item 4), without an engine: the services of a rendered stack run as
 * plain processes the way Swarm starts them (the stack's commands and environment, configs and
 * secrets as files, service names resolved to 127.0.0.1), in no particular order: the aggregator,
 * the devices and the controller start before the medium and wait for it themselves. Links run
 * over TLS (`wss://`, `https://`) with a self-signed certificate made here with openssl; an
 * aggregator that does not trust it is refused.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { loadTopology, renderCompose } from '@wearnet/launcher';
import { freePort } from './helpers/free-port';

const ROOT = path.resolve(__dirname, '..');

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface Service {
  command: string[];
  environment: Record<string, string>;
  configs: Array<{ source: string; target: string }>;
  secrets: Array<string | { source: string; target: string }>;
}

/** Resolves with the first line of `stream` matching `pattern` (stdout events, or stderr pino logs). */
function lineOf(stream: NodeJS.ReadableStream, pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    let buffer = '';
    const onData = (d: Buffer): void => {
      buffer += d.toString();
      const line = buffer.split('\n').find((l) => pattern.test(l));
      if (line === undefined) return;
      stream.off('data', onData);
      resolve(line);
    };
    stream.on('data', onData);
  });
}

(hasOpenssl() ? describe : describe.skip)('wearnet compose --swarm over TLS, started in any order', () => {
  const children: ChildProcess[] = [];
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'wearnet-stack-tls-'));
  });
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a small cluster over wss whose peers wait for the medium, and refuses a hub that does not trust its certificate', async () => {
    const tlsDir = path.join(dir, 'tls');
    mkdirSync(tlsDir);
    // Self-signed, naming the medium as the stack does (`medium`) and as the processes here reach it (127.0.0.1).
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=medium'],
        ...['-addext', 'subjectAltName=DNS:medium,IP:127.0.0.1', '-keyout', path.join(tlsDir, 'key.pem'), '-out', path.join(tlsDir, 'cert.pem')],
      ],
      { stdio: 'ignore' },
    );
    const file = path.join(dir, 'links.yaml');
    const base = readFileSync(path.join(ROOT, 'topologies', 'body-4.yaml'), 'utf8').replace(/^bundles: \.\.\//m, `bundles: ${ROOT}/`);
    writeFileSync(file, `${base}\nfaults:\n  - { id: cut-2, kind: link-down, target: device-2, atMs: 0, durationMs: 800 }\n`);
    const { topology } = await loadTopology(file);
    topology.workload.requests = 16;
    const [mediumPort, metricsPort, controlPort] = [await freePort(), await freePort(), await freePort()];
    const tls = { certFile: './tls/cert.pem', keyFile: './tls/key.pem', caFile: './tls/cert.pem' };
    const image = 'registry.example.com/wearnet:test';
    const rendered = renderCompose(topology, { repoRoot: ROOT, swarm: true, image, tls, mediumPort, metricsPort, controlPort });
    const doc = parse(rendered.compose) as {
      services: Record<string, Service>;
      configs: Record<string, { file: string }>;
      secrets: Record<string, { file: string }>;
    };

    // What Swarm does: each config and secret a file at its target; service names resolve; /app is the repository.
    const results = path.join(dir, 'results');
    mkdirSync(results);
    writeFileSync(path.join(dir, 'wearnet_token'), 'stack-tls-test-token\n');
    const hostFile = (source: string, kind: 'configs' | 'secrets'): string => {
      if (source === 'wearnet_token') return path.join(dir, 'wearnet_token');
      const rel = doc[kind][source]!.file;
      return rel.startsWith('./config/') ? path.join(dir, 'host', rel) : path.join(dir, rel);
    };
    const onHost = (text: string, paths: Map<string, string>): string => {
      let out = text
        .replace(/(wss|https|ws|http):\/\/(medium|aggregator):/g, '$1://127.0.0.1:')
        .replace(/"\/app\//g, `"${ROOT}/`)
        .replace(/"\/results"/g, JSON.stringify(results))
        .replace(/"0\.0\.0\.0"/g, '"127.0.0.1"');
      for (const [target, host] of paths) out = out.split(JSON.stringify(target)).join(JSON.stringify(host));
      return out;
    };
    mkdirSync(path.join(dir, 'host', 'config'), { recursive: true });
    const start = (name: string, patch: (config: Record<string, unknown>) => void = () => undefined): ChildProcess => {
      const svc = doc.services[name]!;
      const paths = new Map<string, string>();
      for (const c of svc.configs) paths.set(c.target, hostFile(c.source, 'configs'));
      for (const s of svc.secrets) {
        const source = typeof s === 'string' ? s : s.source;
        paths.set(`/run/secrets/${typeof s === 'string' ? s : s.target}`, hostFile(source, 'secrets'));
      }
      const own = rendered.configs.find((c) => c.file === `config/${name}.json`)!;
      const config = JSON.parse(onHost(JSON.stringify(own.config), paths)) as Record<string, unknown>;
      patch(config);
      const configFile = path.join(dir, 'host', `${name}-${children.length}.json`);
      writeFileSync(configFile, JSON.stringify(config));
      const env: Record<string, string> = {};
      for (const [key, value] of Object.entries(svc.environment)) env[key] = paths.get(value) ?? value;
      env.WEARNET_READY_FILE = path.join(dir, `${name}.ready`);
      const { WEARNET_TOKEN: _unused, ...inherited } = process.env;
      expect(svc.command.slice(0, 2)).toEqual(['node', 'packages/cli/bin/wearnet.js']);
      const child = spawn(process.execPath, [...svc.command.slice(1, -1), configFile], {
        cwd: ROOT,
        env: { ...inherited, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      return child;
    };

    // No start order: everything but the medium first, each waiting for it on its own.
    const aggregator = start('aggregator');
    const devices = topology.devices.map((d) => start(d.id));
    const controller = start('controller');
    const aggregatorDone = lineOf(aggregator.stdout!, /"event":"done"/);
    await lineOf(aggregator.stderr!, /medium not reachable yet: retrying/);
    await Promise.all(devices.map((d) => lineOf(d.stderr!, /reconnecting after backoff/)));
    await lineOf(controller.stdout!, /"event":"ready"/);
    const medium = start('medium');
    expect(await lineOf(medium.stderr!, /medium listening/)).toBeDefined();

    const summary = (JSON.parse(await aggregatorDone) as { summary: { requests: { finalised: number }; complete: boolean } }).summary;
    expect(summary.requests.finalised).toBe(16);
    for (const d of topology.devices) expect(existsSync(path.join(dir, `${d.id}.ready`))).toBe(true);
    // The controller reached the medium's stage routes over https (trusting the CA through NODE_EXTRA_CA_CERTS).
    const faultsFile = path.join(results, 'faults.json');
    await new Promise<void>((resolve) => {
      const poll = (): void => (existsSync(faultsFile) ? resolve() : void setImmediate(poll));
      poll();
    });
    const report = JSON.parse(readFileSync(faultsFile, 'utf8')) as { faults: Array<{ id: string; state: string }>; errors: string[] };
    expect(report.errors).toEqual([]);
    expect(report.faults).toEqual([expect.objectContaining({ id: 'cut-2', state: 'cleared' })]);
    const records = readFileSync(path.join(results, 'requests.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { devices: Record<string, { missing?: string }> });
    expect(records.some((r) => r.devices['device-2']!.missing !== undefined)).toBe(true);

    // A hub without the CA: the certificate is refused (no retry on a TLS failure) and the process fails with E_HUB_CONNECT_FAILED.
    const stranger = start('aggregator', (c) => {
      delete c.caFile;
      c.outDir = path.join(dir, 'stranger');
      c.metricsPort = 0;
    });
    const error = lineOf(stranger.stdout!, /"event":"error"/);
    const exit = await new Promise<number | null>((resolve) => stranger.once('exit', (code) => resolve(code)));
    expect(exit).toBe(1);
    expect(JSON.parse(await error)).toMatchObject({ code: 'E_HUB_CONNECT_FAILED' });
  }, 180_000);
});
