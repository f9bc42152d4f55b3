import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ROOT, writeRandomBundles } from './helpers/random-bundles';

const DEVICE_BIN = path.join(ROOT, 'packages', 'device', 'bin', 'device.js');

/** Module paths (require.cache) and the `loaded` event of one device process started by the lean entry point. */
async function runDevice(dir: string, port: number): Promise<{ modules: string[]; events: string }> {
  const secretFile = path.join(dir, 'secret');
  writeFileSync(secretFile, 'device-entry-test-secret-0123456', { mode: 0o600 });
  const config = path.join(dir, 'device.json');
  writeFileSync(
    config,
    JSON.stringify({
      role: 'device',
      deviceId: 'device-0',
      bundleDir: path.join(dir, 'bundles', 'device-0'),
      // Nothing listens there: the device loads its student, reports `loaded` and keeps retrying the medium.
      mediumUrl: `ws://127.0.0.1:${port}`,
      deviceClass: { name: 'cortex-m7-480', description: 'test', macsPerSecond: 480e6, overheadMs: 0.1, energyPjPerMac: 10 },
      epochMs: Date.now(),
      timeScale: 1,
      inputMode: 'broadcast',
      seed: 1,
      secretFile,
    }),
  );
  const modulesFile = path.join(dir, 'modules.json');
  const preload = path.join(dir, 'record-modules.js');
  writeFileSync(
    preload,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(modulesFile)}, JSON.stringify(Object.keys(require.cache))));\n`,
  );
  const child = spawn(process.execPath, ['--require', preload, DEVICE_BIN, '--config', config, '--exit-with-stdin'], { stdio: ['pipe', 'pipe', 'ignore'] });
  let events = '';
  // Hang guard only: a device that never reports `loaded` fails the test instead of hanging it.
  const guard = setTimeout(() => child.kill('SIGKILL'), 90000);
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      events += d.toString();
      if (events.includes('"event":"loaded"')) child.stdin.end();
    });
    child.on('close', () => resolve());
  });
  clearTimeout(guard);
  return { modules: JSON.parse(readFileSync(modulesFile, 'utf8')) as string[], events };
}

describe('the lean device entry point (packages/device/bin/device.js)', () => {
  let dir: string;
  beforeAll(() => {
    execFileSync('npx', ['tsc', '-b'], { cwd: ROOT, stdio: 'ignore' });
    dir = mkdtempSync(path.join(tmpdir(), 'wearnet-device-entry-'));
    writeRandomBundles(path.join(dir, 'bundles'), { devices: 1, parts: 1, fusedWidth: 8, studentWidths: '4,4,4', seed: 3 });
  }, 180000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads its student on the wasm backend without the CLI, the launcher, the hub or the tfjs union package', async () => {
    const { modules, events } = await runDevice(dir, 9);
    expect(events).toContain('"event":"loaded"');
    const has = (part: string): boolean => modules.some((m) => m.includes(part));
    // What a device needs...
    for (const needed of [
      '/packages/device/dist/device-role.js',
      '/packages/roles/dist/',
      '/@tensorflow/tfjs-core/',
      '/@tensorflow/tfjs-layers/',
      '/@tensorflow/tfjs-backend-wasm/',
    ]) {
      expect({ needed, loaded: has(needed) }).toEqual({ needed, loaded: true });
    }
    // ...and nothing of the CLI's graph.
    const forbidden = [
      '/packages/cli/',
      '/packages/launcher/',
      '/packages/aggregator/',
      '/packages/medium/',
      '/packages/modnn/',
      '/packages/models/',
      '/node_modules/commander/',
      '/node_modules/yaml/',
      '/node_modules/prom-client/',
      '/@tensorflow/tfjs/',
      '/@tensorflow/tfjs-backend-webgl/',
      '/@tensorflow/tfjs-converter/',
      '/@tensorflow/tfjs-data/',
    ];
    expect(forbidden.filter(has)).toEqual([]);
    expect(modules.length).toBeLessThan(250);
  }, 120000);
});
