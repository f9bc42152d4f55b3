import { randomBytes } from 'node:crypto';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** The cluster secret of one run and the file its processes read it from. */
export interface RunSecret {
  /** Hex of 32 random bytes. */
  secret: string;
  /** `<outDir>/config/secret`, mode 0600. */
  file: string;
  /** Deletes the file (every process that could read it is gone). */
  remove(): void;
}

/**
 * Makes a fresh random secret for a run and writes it to `config/secret` (mode 0600, set again
 * after the write whatever the umask): the role configs name the file, so the secret is in no
 * config, environment or command line.
 */
export function writeRunSecret(outDir: string): RunSecret {
  const secret = randomBytes(32).toString('hex');
  const file = path.join(outDir, 'config', 'secret');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { secret, file, remove: () => rmSync(file, { force: true }) };
}
