import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { resolveDeviceClass } from '@wearnet/hardware';
import { resolveLinkConfig } from '@wearnet/link';
import { RoleChild } from '../src/child';

const CLI = path.resolve(__dirname, '..', '..', 'cli', 'bin', 'wearnet.js');

describe('RoleChild', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'wearnet-child-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("passes a child's own error code and message up when it exits before ready", async () => {
    const secretFile = path.join(dir, 'secret');
    writeFileSync(secretFile, 'a-secret-for-the-child-test-0123', { mode: 0o600 });
    const configFile = path.join(dir, 'aggregator.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        role: 'aggregator',
        mediumUrl: 'ws://127.0.0.1:1',
        bundleDir: path.join(dir, 'no-such-bundle'),
        devices: [{ deviceId: 'device-0', deviceIndex: 0, deviceClass: resolveDeviceClass({ name: 'cortex-m7-480' }) }],
        workload: { dataset: { source: 'shipped', count: 1 } },
        link: resolveLinkConfig({ preset: 'hbc-1m3' }),
        epochMs: Date.now(),
        timeScale: 1,
        seed: 1,
        heartbeatMs: 2000,
        startTimeoutMs: 1000,
        outDir: path.join(dir, 'out'),
        host: '127.0.0.1',
        metricsPort: 0,
        secretFile,
      }),
    );
    const child = new RoleChild({
      name: 'aggregator',
      command: [CLI, 'aggregator'],
      configFile,
      logFile: path.join(dir, 'aggregator.log'),
      env: process.env,
    });
    const ready = child.waitFor((e): e is Extract<typeof e, { event: 'ready' }> => e.event === 'ready', 30000, 'ready');
    await expect(ready).rejects.toMatchObject({ code: 'E_CHILD_FAILED', message: expect.stringContaining(': E_BUNDLE_MISSING: cannot read') });
    const exit = await child.exited;
    expect(child.startFailure(exit)).toContain('E_BUNDLE_MISSING');
  }, 40000);
});
