import { chmodSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readSecret } from '../src/index';

describe('readSecret', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'wearnet-secret-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (mode: number, text = 'a-cluster-secret-of-enough-bytes\n'): string => {
    const file = path.join(dir, 'secret');
    writeFileSync(file, text, { mode });
    chmodSync(file, mode);
    return file;
  };

  it('reads a mode 0600 secret file, trimmed', () => {
    const { secret, from } = readSecret({ secretFile: write(0o600) }, {});
    expect(Buffer.from(secret).toString()).toBe('a-cluster-secret-of-enough-bytes');
    expect(from).toBe('file');
  });

  it('refuses a group- or world-readable secret file with E_SECRET_INSECURE, naming the file and never the secret', () => {
    for (const mode of [0o640, 0o604, 0o644]) {
      const file = write(mode);
      let thrown: { code?: string; message?: string } = {};
      try {
        readSecret({ secretFile: file }, {});
      } catch (err) {
        thrown = err as typeof thrown;
      }
      expect(thrown.code).toBe('E_SECRET_INSECURE');
      expect(thrown.message).toContain(file);
      expect(thrown.message).not.toContain('a-cluster-secret');
    }
  });

  it('refuses a missing file with E_SECRET_UNREADABLE', () => {
    expect(() => readSecret({ secretFile: path.join(dir, 'nope') }, {})).toThrow(expect.objectContaining({ code: 'E_SECRET_UNREADABLE' }));
  });

  it('reads an inherited file descriptor', () => {
    const fd = openSync(write(0o600), 'r');
    expect(readSecret({ secretFd: fd }, {}).from).toBe('fd');
  });

  it('falls back to WEARNET_TOKEN only when no file or fd is given, and removes it from the environment', () => {
    const env: NodeJS.ProcessEnv = { WEARNET_TOKEN: 'an-old-style-token-0123' };
    expect(readSecret({}, env).from).toBe('env');
    expect(env.WEARNET_TOKEN).toBeUndefined();
    expect(readSecret({ secretFile: write(0o600) }, { WEARNET_TOKEN: 'x' }).from).toBe('file');
  });

  it('refuses no secret and a too short secret with E_CONFIG_INVALID', () => {
    expect(() => readSecret({}, {})).toThrow(expect.objectContaining({ code: 'E_CONFIG_INVALID' }));
    expect(() => readSecret({ secretFile: write(0o600, 'short') }, {})).toThrow(expect.objectContaining({ code: 'E_CONFIG_INVALID' }));
  });
});
