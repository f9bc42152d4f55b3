import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Command } from 'commander';
import { loadTopology, renderCompose } from '@wearnet/launcher';
import { resolveDefault } from '../options/defaults';
import { positiveInt } from '../options/parse';

interface ComposeFlags {
  out: string;
  image: string;
  mediumPort: number;
  metricsPort: number;
  repo: string;
  secretFile?: string;
}

/** The run token's file: what the compose file names, and the file to create with a random token if any. */
interface SecretRef {
  file: string;
  create?: string;
}

/** `--secret-file` (named relative to the compose directory), else `secrets/wearnet_token` in it. */
function secretRef(out: string, flag: string | undefined): SecretRef {
  if (flag !== undefined) {
    const abs = path.resolve(flag);
    if (!existsSync(abs)) throw new RangeError(`--secret-file: ${flag} does not exist (it holds the run token)`);
    const rel = path.relative(out, abs);
    return { file: rel.startsWith('..') || path.isAbsolute(rel) ? abs : `./${rel.split(path.sep).join('/')}` };
  }
  const file = path.join(out, 'secrets', 'wearnet_token');
  return { file: './secrets/wearnet_token', ...(existsSync(file) ? {} : { create: file }) };
}

/**
 * Writes a random run token where the default secret file is missing: in a directory only its
 * owner enters (0700), the file itself readable (0644) because Compose bind-mounts file secrets
 * and the image's `node` user must read it.
 */
async function createSecret(ref: SecretRef): Promise<string> {
  if (ref.create === undefined) return `run token from ${ref.file}`;
  await mkdir(path.dirname(ref.create), { recursive: true, mode: 0o700 });
  await writeFile(ref.create, `${randomBytes(32).toString('hex')}\n`, { mode: 0o644 });
  return `new random run token in ${ref.create}`;
}

/** `wearnet compose`: a topology as a docker-compose project running the same entry points. */
export function register(program: Command): void {
  program
    .command('compose')
    .description('Render a topology as a docker-compose project (one service per process, same entry points as `wearnet run`)')
    .argument('[topology]', 'topology YAML file (default topologies/body-8.yaml)')
    .option('--out <dir>', 'directory for docker-compose.yml and config/', '.')
    .option('--image <name>', 'image built from the Dockerfile', 'wearnet:latest')
    .option('--medium-port <n>', 'port of the medium inside the compose network', positiveInt('--medium-port'), 7400)
    .option('--metrics-port <n>', 'Prometheus port of the aggregator, published on the host', positiveInt('--metrics-port'), 9464)
    .option('--repo <dir>', 'repository root (paths inside it map to /app in the image)', '.')
    .option(
      '--secret-file <file>',
      'file holding the run token, mounted as the compose secret (default: DIR/secrets/wearnet_token, created with a random token)',
    )
    .action(async (file: string | undefined, flags: ComposeFlags) => {
      const { topology } = await loadTopology(file ?? resolveDefault(path.join('topologies', 'body-8.yaml')));
      const out = path.resolve(flags.out);
      const secret = secretRef(out, flags.secretFile);
      const rendered = renderCompose(topology, {
        repoRoot: path.resolve(flags.repo),
        image: flags.image,
        mediumPort: flags.mediumPort,
        metricsPort: flags.metricsPort,
        secretFile: secret.file,
      });
      await mkdir(path.join(out, 'config'), { recursive: true });
      const note = await createSecret(secret);
      await writeFile(path.join(out, 'docker-compose.yml'), rendered.compose);
      for (const c of rendered.configs) await writeFile(path.join(out, c.file), `${JSON.stringify(c.config, null, 2)}\n`);
      process.stdout.write(
        `wrote ${path.join(out, 'docker-compose.yml')} and ${rendered.configs.length} configs (${note}); run: docker build -t ${flags.image} . && docker compose -f ${path.join(out, 'docker-compose.yml')} up --abort-on-container-exit --exit-code-from aggregator\n`,
      );
    });
}
