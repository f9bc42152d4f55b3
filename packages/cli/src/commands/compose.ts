import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Command } from 'commander';
import { loadTopology, renderCompose } from '@wearnet/launcher';
import { positiveInt } from '../options/parse';

interface ComposeFlags {
  out: string;
  image: string;
  mediumPort: number;
  metricsPort: number;
  repo: string;
}

/** `wearnet compose`: a topology as a docker-compose project running the same entry points. */
export function register(program: Command): void {
  program
    .command('compose')
    .description('Render a topology as a docker-compose project (one service per process, same entry points as `wearnet run`)')
    .argument('[topology]', 'topology YAML file', 'topologies/body-8.yaml')
    .option('--out <dir>', 'directory for docker-compose.yml and config/', '.')
    .option('--image <name>', 'image built from the Dockerfile', 'wearnet:latest')
    .option('--medium-port <n>', 'port of the medium inside the compose network', positiveInt('--medium-port'), 7400)
    .option('--metrics-port <n>', 'Prometheus port of the aggregator, published on the host', positiveInt('--metrics-port'), 9464)
    .option('--repo <dir>', 'repository root (paths inside it map to /app in the image)', '.')
    .action(async (file: string, flags: ComposeFlags) => {
      const { topology } = await loadTopology(file);
      const rendered = renderCompose(topology, {
        repoRoot: path.resolve(flags.repo),
        image: flags.image,
        mediumPort: flags.mediumPort,
        metricsPort: flags.metricsPort,
      });
      const out = path.resolve(flags.out);
      await mkdir(path.join(out, 'config'), { recursive: true });
      await writeFile(path.join(out, 'docker-compose.yml'), rendered.compose);
      for (const c of rendered.configs) await writeFile(path.join(out, c.file), `${JSON.stringify(c.config, null, 2)}\n`);
      process.stdout.write(
        `wrote ${path.join(out, 'docker-compose.yml')} and ${rendered.configs.length} configs; run: docker build -t ${flags.image} . && docker compose -f ${path.join(out, 'docker-compose.yml')} up --abort-on-container-exit --exit-code-from aggregator\n`,
      );
    });
}
