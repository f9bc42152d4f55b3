import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { RoleError } from './errors';

/** Fewest bytes a cluster secret may have (the protocol's `MIN_SECRET_BYTES`). */
const MIN_SECRET_BYTES = 16;

/** Where a role process takes the cluster secret from (the keys of its config). */
export interface SecretSource {
  /** A file holding the secret (mode 0600 or stricter: group or others may not read it). */
  secretFile?: string;
  /** An inherited file descriptor to read the secret from (to its end); closed after. */
  secretFd?: number;
}

/** The secret and where it came from (for the log: the secret itself is never logged). */
export interface LoadedSecret {
  secret: Uint8Array;
  from: 'file' | 'fd' | 'container-file' | 'env';
}

/**
 * Reads the cluster secret: from `secretFile` (refused when group- or world-readable), from the
 * inherited descriptor `secretFd`, from the file named by `WEARNET_TOKEN_FILE` (a container secret
 * mount, whose mode the orchestrator sets), or, deprecated, from the environment variable `WEARNET_TOKEN`
 * (only when neither is given; the variable is removed from this process's environment once read).
 * Surrounding whitespace is trimmed.
 * @throws RoleError `E_SECRET_INSECURE` (file mode), `E_SECRET_UNREADABLE`, or `E_CONFIG_INVALID` (none given, too short).
 */
export function readSecret(source: SecretSource, env: NodeJS.ProcessEnv = process.env): LoadedSecret {
  let text: string;
  let from: LoadedSecret['from'];
  if (source.secretFile !== undefined) {
    text = readSecretFile(source.secretFile);
    from = 'file';
  } else if (source.secretFd !== undefined) {
    if (!Number.isSafeInteger(source.secretFd) || source.secretFd < 0) throw new RoleError('E_CONFIG_INVALID', 'secretFd must be a non-negative integer');
    text = readSecretFd(source.secretFd);
    from = 'fd';
  } else if (env.WEARNET_TOKEN_FILE) {
    // A compose or Swarm secret mount (/run/secrets/...): its mode is the orchestrator's.
    text = readContainerSecret(env.WEARNET_TOKEN_FILE);
    from = 'container-file';
  } else if (env.WEARNET_TOKEN !== undefined) {
    text = env.WEARNET_TOKEN;
    delete env.WEARNET_TOKEN;
    from = 'env';
  } else {
    throw new RoleError('E_CONFIG_INVALID', 'no cluster secret: set "secretFile" or "secretFd" in the role config');
  }
  const secret = new Uint8Array(Buffer.from(text.trim(), 'utf8'));
  if (secret.length < MIN_SECRET_BYTES) throw new RoleError('E_CONFIG_INVALID', `the cluster secret (from ${from}) is shorter than ${MIN_SECRET_BYTES} bytes`);
  return { secret, from };
}

function readSecretFile(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw new RoleError('E_SECRET_UNREADABLE', `cannot open the secret file ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { cause: err });
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new RoleError('E_SECRET_UNREADABLE', `the secret file ${file} is not a regular file`);
    if ((stat.mode & 0o077) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      throw new RoleError('E_SECRET_INSECURE', `the secret file ${file} has mode ${mode}: group or others may read it (chmod 600 ${file})`);
    }
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

function readContainerSecret(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new RoleError('E_SECRET_UNREADABLE', `cannot read the secret from WEARNET_TOKEN_FILE=${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, {
      cause: err,
    });
  }
}

function readSecretFd(fd: number): string {
  try {
    const stat = fstatSync(fd);
    if (stat.isFile() && (stat.mode & 0o077) !== 0) {
      throw new RoleError('E_SECRET_INSECURE', `the file behind secretFd ${fd} has mode ${(stat.mode & 0o777).toString(8)}: group or others may read it`);
    }
    return readFileSync(fd, 'utf8');
  } catch (err) {
    if (err instanceof RoleError) throw err;
    throw new RoleError('E_SECRET_UNREADABLE', `cannot read the secret from fd ${fd}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { cause: err });
  } finally {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
  }
}
