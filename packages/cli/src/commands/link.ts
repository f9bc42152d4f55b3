import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { resolveLinkConfig, runSelftest, selftestChecks, type LinkConfig } from '@wearnet/link';
import { parseTopology } from '@wearnet/launcher';
import { formatSelftest } from '../link/selftest-table';
import { nonNegativeInt, positiveInt } from '../options/parse';

interface SelftestFlags {
  seed: number;
  frames: number;
  links?: number;
  probes: number;
  lossTolerance: number;
  ksTolerance: number;
  goodputTolerance: number;
  latencyToleranceMs: number;
  json?: boolean;
}

function nonNegativeNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!(n >= 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a non-negative number`);
    return n;
  };
}

/** `wearnet link selftest [PRESET|TOPOLOGY]`: the medium alone with synthetic traffic, configured against measured. */
export function register(program: Command): void {
  const link = program.command('link').description('Body link tools');
  link
    .command('selftest')
    .description('Run the body medium alone with synthetic traffic and print configured against measured: loss, burst and gap lengths, outages, goodput, latency; exit 1 past the tolerances')
    .argument('[target]', 'a link preset name or a topology YAML file', 'hbc-1m3')
    .option('--seed <n>', 'seed (a topology gives its own by default)', nonNegativeInt('--seed'))
    .option('--frames <n>', 'frame attempts of the saturated phase, over all links', positiveInt('--frames'), 100000)
    .option('--links <n>', 'number of links (a topology gives its devices; default 8)', positiveInt('--links'))
    .option('--probes <n>', 'idle latency probes per link', positiveInt('--probes'), 200)
    .option('--loss-tolerance <r>', 'largest relative error of the mean frame loss', nonNegativeNumber('--loss-tolerance'), 0.02)
    .option('--ks-tolerance <d>', 'largest KS distance of burst and gap lengths', nonNegativeNumber('--ks-tolerance'), 0.05)
    .option('--goodput-tolerance <r>', 'largest relative error of goodput', nonNegativeNumber('--goodput-tolerance'), 0.02)
    .option('--latency-tolerance-ms <ms>', 'slack around the analytic latency band, ms', nonNegativeNumber('--latency-tolerance-ms'), 0.1)
    .option('--json', 'print the report as JSON')
    .action(async (target: string, flags: SelftestFlags) => {
      const { config, ids, seed } = await resolveTarget(target, flags);
      const report = runSelftest({ link: config, seed, links: ids, frames: flags.frames, probesPerLink: flags.probes });
      const checks = selftestChecks(report, { lossRelative: flags.lossTolerance, ks: flags.ksTolerance, goodputRelative: flags.goodputTolerance, latencyMs: flags.latencyToleranceMs });
      process.stdout.write(flags.json ? `${JSON.stringify({ report, checks }, null, 2)}\n` : formatSelftest(report, checks));
      if (checks.some((c) => !c.pass)) process.exitCode = 1;
    });
}

async function resolveTarget(target: string, flags: SelftestFlags): Promise<{ config: LinkConfig; ids: string[]; seed: number }> {
  const count = flags.links ?? 8;
  const defaultIds = Array.from({ length: count }, (_, i) => `device-${i}`);
  if (/\.ya?ml$/i.test(target) || existsSync(target)) {
    const topology = parseTopology(await readFile(target, 'utf8'), target);
    const ids = flags.links === undefined ? topology.devices.map((d) => d.id) : defaultIds;
    return { config: topology.link, ids, seed: flags.seed ?? topology.seed };
  }
  return { config: resolveLinkConfig({ preset: target }), ids: defaultIds, seed: flags.seed ?? 1 };
}
