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
  swarm?: boolean;
  place?: Record<string, string>;
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
}

/** `--place medium=host-a,device-0=host-b` (repeatable): service -> node hostname. */
export function placement(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const out = { ...previous };
  for (const pair of value.split(',')) {
    const [service, node, ...rest] = pair.split('=');
    if (!service || !node || rest.length > 0) throw new RangeError(`--place: expected SERVICE=NODE[,SERVICE=NODE...], got "${pair}"`);
    out[service.trim()] = node.trim();
  }
  return out;
}

/** A file the compose file names: relative to its directory (`./...`) when inside it, else absolute. @throws RangeError when missing. */
function composePath(out: string, flag: string, file: string): string {
  const abs = path.resolve(file);
  if (!existsSync(abs)) throw new RangeError(`${flag}: ${file} does not exist`);
  const rel = path.relative(out, abs);
  return rel.startsWith('..') || path.isAbsolute(rel) ? abs : `./${rel.split(path.sep).join('/')}`;
}

/** `--tls-cert/--tls-key/--tls-ca`: all three or none. */
function tlsFiles(out: string, flags: ComposeFlags): { certFile: string; keyFile: string; caFile: string } | undefined {
  const given = [flags.tlsCert, flags.tlsKey, flags.tlsCa].filter((f) => f !== undefined).length;
  if (given === 0) return undefined;
  if (given !== 3 || !flags.swarm) throw new RangeError('--tls-cert, --tls-key and --tls-ca go together, with --swarm');
  return {
    certFile: composePath(out, '--tls-cert', flags.tlsCert as string),
    keyFile: composePath(out, '--tls-key', flags.tlsKey as string),
    caFile: composePath(out, '--tls-ca', flags.tlsCa as string),
  };
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
    .option('--image <name>', 'image built from the Dockerfile (with --swarm: from a registry, required)')
    .option('--medium-port <n>', 'port of the medium inside the compose network', positiveInt('--medium-port'), 7400)
    .option('--metrics-port <n>', 'Prometheus port of the aggregator, published on the host', positiveInt('--metrics-port'), 9464)
    .option('--repo <dir>', 'repository root (paths inside it map to /app in the image)', '.')
    .option(
      '--secret-file <file>',
      'file holding the run token, mounted as the compose secret (default: DIR/secrets/wearnet_token, created with a random token)',
    )
    .option('--swarm', 'render docker-stack.yml for `docker stack deploy` (overlay network, configs and secrets, placement; no build, no start order)')
    .option('--place <service=node,...>', 'with --swarm: run a service on a node (node.hostname); repeatable', placement)
    .option('--tls-cert <file>', "with --swarm: the medium's PEM certificate (naming the host `medium`): links over wss")
    .option('--tls-key <file>', "with --swarm: the medium's PEM key (a Swarm secret)")
    .option('--tls-ca <file>', 'with --swarm: PEM CA the devices, aggregator and controller trust')
    .action(async (file: string | undefined, flags: ComposeFlags) => {
      const { topology } = await loadTopology(file ?? resolveDefault(path.join('topologies', 'body-8.yaml')));
      const out = path.resolve(flags.out);
      const secret = secretRef(out, flags.secretFile);
      const image = flags.image ?? (flags.swarm ? undefined : 'wearnet:latest');
      const rendered = renderCompose(topology, {
        repoRoot: path.resolve(flags.repo),
        image,
        swarm: flags.swarm === true,
        placement: flags.place,
        tls: tlsFiles(out, flags),
        mediumPort: flags.mediumPort,
        metricsPort: flags.metricsPort,
        secretFile: secret.file,
      });
      await mkdir(path.join(out, 'config'), { recursive: true });
      const note = await createSecret(secret);
      const target = path.join(out, flags.swarm ? 'docker-stack.yml' : 'docker-compose.yml');
      await writeFile(target, rendered.compose);
      for (const c of rendered.configs) await writeFile(path.join(out, c.file), `${JSON.stringify(c.config, null, 2)}\n`);
      const run = flags.swarm
        ? `push ${image} to its registry, then from ${out} on a Swarm manager: docker stack deploy -c docker-stack.yml wearnet`
        : `docker build -t ${image} . && docker compose -f ${target} up --abort-on-container-exit --exit-code-from aggregator`;
      process.stdout.write(`wrote ${target} and ${rendered.configs.length} configs (${note}); run: ${run}\n`);
    });
}
