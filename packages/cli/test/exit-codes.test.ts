import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EXIT, exitCodeOf } from '../src/exit-codes';

const BIN = path.resolve(__dirname, '..', 'bin', 'wearnet.js');

/** Runs the built `wearnet` binary (npm test builds it first). */
function wearnet(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A port nothing listens on (bound, then closed). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('the exit codes of wearnet (README "Exit codes")', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'wearnet-exit-'));
    writeFileSync(path.join(dir, 'bad.yaml'), 'name: bad\ndevices: { count: -1 }\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 on success (--version, --help)', async () => {
    expect(await wearnet(['--version'])).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
    const help = await wearnet(['run', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--metrics-port <port>');
    expect(help.stdout).toContain('--control-port <port>');
  });

  it.each([
    ['an unknown flag', ['run', '--bogus'], /unknown option '--bogus'/],
    ['an unknown command', ['nosuch'], /unknown command 'nosuch'/],
    ['a bad flag value', ['run', '--requests', 'many'], /--requests must be a non-negative integer/],
    ['a port out of range', ['run', '--metrics-port', '70000'], /--metrics-port must be an integer port in 0\.\.65535/],
    ['a missing required argument', ['report'], /missing required argument/],
    ['no command at all', [], /a command is required/],
  ])('exits 2 with E_USAGE on %s', async (_what, args, message) => {
    const r = await wearnet(args);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toMatch(/^wearnet: E_USAGE: /m);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('exits 2 with E_TOPOLOGY_INVALID on a topology with a bad value', async () => {
    const r = await wearnet(['run', path.join(dir, 'bad.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^wearnet: E_TOPOLOGY_INVALID: /);
  });

  it('exits 3 with E_TOPOLOGY_NOT_FOUND when the input file is missing', async () => {
    const r = await wearnet(['run', path.join(dir, 'missing.yaml')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^wearnet: E_TOPOLOGY_NOT_FOUND: /);
  });

  it('exits 1 on a runtime error (a download that cannot connect)', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/cifar-100-binary.tar.gz`;
    const r = await wearnet(['data', 'fetch', '--out', path.join(dir, 'cifar'), '--url', url, '--timeout-ms', '1000']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^wearnet: E_FETCH_FAILED: /m);
  });

  it('prints every error under --json as one JSON object on stdout and nothing on stderr', async () => {
    for (const [args, code, exitCode] of [
      [['run', path.join(dir, 'missing.yaml'), '--json'], 'E_TOPOLOGY_NOT_FOUND', 3],
      [['run', '--json', '--bogus'], 'E_USAGE', 2],
    ] as const) {
      const r = await wearnet([...args]);
      expect(r.code).toBe(exitCode);
      expect(r.stderr).toBe('');
      expect(r.stdout.trim().split('\n')).toHaveLength(1);
      expect(JSON.parse(r.stdout)).toEqual({ error: { code, message: expect.any(String), exitCode } });
    }
  });

  it('maps the threshold and interrupt codes to 99 and 130, and an unknown code to 1', () => {
    expect([exitCodeOf('E_THRESHOLD_VIOLATED'), exitCodeOf('E_INTERRUPTED'), exitCodeOf('E_CHILD_FAILED'), exitCodeOf('E_INTERNAL')]).toEqual([99, 130, 1, 1]);
  });
});
