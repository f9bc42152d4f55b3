import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Command } from 'commander';
import { loadTopology, renderCompose } from '@wearnet/launcher';
import { resolveDefault } from '../options/defaults';
import { positiveInt } from '../options/parse';
import { placement } from './compose';

interface K8sFlags {
  out: string;
  image?: string;
  mediumPort: number;
  metricsPort: number;
  repo: string;
  place?: Record<string, string>;
}

/** `wearnet k8s`: a topology as Kubernetes manifests running the same entry points. */
export function register(program: Command): void {
  program
    .command('k8s')
    .description('Render a topology as Kubernetes manifests (ConfigMap, Services, Deployments, a Job for the aggregator; same entry points as `wearnet run`)')
    .argument('[topology]', 'topology YAML file (default topologies/body-8.yaml)')
    .requiredOption('--image <name>', 'image from a registry (every node pulls it)')
    .option('--out <dir>', 'directory for wearnet.k8s.yaml', '.')
    .option('--medium-port <n>', 'port of the medium Service', positiveInt('--medium-port'), 7400)
    .option('--metrics-port <n>', 'port of the aggregator Service (Prometheus)', positiveInt('--metrics-port'), 9464)
    .option('--repo <dir>', 'repository root (paths inside it map to /app in the image)', '.')
    .option('--place <service=node,...>', 'run a service on a node (nodeSelector kubernetes.io/hostname); repeatable', placement)
    .action(async (file: string | undefined, flags: K8sFlags) => {
      const { topology } = await loadTopology(file ?? resolveDefault(path.join('topologies', 'body-8.yaml')));
      const out = path.resolve(flags.out);
      const rendered = renderCompose(topology, {
        repoRoot: path.resolve(flags.repo),
        image: flags.image,
        kubernetes: true,
        placement: flags.place,
        mediumPort: flags.mediumPort,
        metricsPort: flags.metricsPort,
      });
      await mkdir(out, { recursive: true });
      const target = path.join(out, 'wearnet.k8s.yaml');
      await writeFile(target, rendered.compose);
      const token = existsSync(path.join(out, 'secrets', 'wearnet_token')) ? path.join(out, 'secrets', 'wearnet_token') : 'TOKEN_FILE';
      process.stdout.write(
        `wrote ${target}; run: kubectl create secret generic wearnet-token --from-file=wearnet_token=${token} && kubectl apply -f ${target}\n`,
      );
    });
}
