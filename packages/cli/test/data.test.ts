import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildProgram } from '../src/main';

async function run(args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number | undefined; error?: { code?: string; message: string } }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await buildProgram().parseAsync(['node', 'wearnet', ...args]);
    return { stdout, stderr, exitCode: process.exitCode as number | undefined };
  } catch (e) {
    return { stdout, stderr, exitCode: process.exitCode as number | undefined, error: e as { code?: string; message: string } };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = before;
  }
}

describe('wearnet data', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wearnet-cli-data-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('info --shipped reports the 1000-image subset as valid', async () => {
    const r = await run(['data', 'info', '--shipped', '--json']);
    const report = JSON.parse(r.stdout);
    expect(report.valid).toBe(true);
    expect(report.files[0].scan.records).toBe(1000);
    expect(report.files[0].scan.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.exitCode).toBeUndefined();
  });

  it('info flags a truncated train.bin with E_DATA_TRUNCATED and exit code 1', async () => {
    const assets = path.resolve(__dirname, '../../data/assets');
    fs.copyFileSync(path.join(assets, 'cifar100-test-1000.bin'), path.join(dir, 'test.bin'));
    fs.writeFileSync(path.join(dir, 'train.bin'), Buffer.alloc(3074 + 5));
    for (const f of ['fine_label_names.txt', 'coarse_label_names.txt']) fs.copyFileSync(path.join(assets, f), path.join(dir, f));
    const r = await run(['data', 'info', '--data', dir]);
    expect(r.stdout).toMatch(/train\.bin: INVALID E_DATA_TRUNCATED: .*byte offset 3074/);
    expect(r.stdout).toMatch(/test\.bin: ok, 1000 records/);
    expect(r.exitCode).toBe(1);
  });

  it('fetch fails with E_FETCH_FAILED on an unreachable host and creates nothing', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const out = path.join(dir, 'cifar');
    const r = await run(['data', 'fetch', '--out', out, '--url', `http://127.0.0.1:${port}/cifar-100-binary.tar.gz`, '--timeout-ms', '1000']);
    expect(r.error?.code).toBe('E_FETCH_FAILED');
    expect(r.error?.message).not.toMatch(/\n/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('subset writes the first N records and a manifest', async () => {
    const assets = path.resolve(__dirname, '../../data/assets');
    const src = path.join(dir, 'src');
    fs.mkdirSync(src);
    fs.copyFileSync(path.join(assets, 'cifar100-test-1000.bin'), path.join(src, 'test.bin'));
    for (const f of ['fine_label_names.txt', 'coarse_label_names.txt']) fs.copyFileSync(path.join(assets, f), path.join(src, f));
    const out = path.join(dir, 'out');
    const r = await run(['data', 'subset', '--data', src, '--count', '10', '--out', out]);
    expect(r.stdout).toMatch(/wrote 10 records/);
    expect(fs.statSync(path.join(out, 'cifar100-test-10.bin')).size).toBe(30740);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'MANIFEST.json'), 'utf8')).records).toBe(10);
  });
});
