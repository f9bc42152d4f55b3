import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import {
  formatChannelTrace,
  parseChannelTrace,
  resolveLinkConfig,
  runSelftest,
  selftestChecks,
  synthesizeGainTrace,
  traceAtoms,
  traceChannel,
  type ChannelTrace,
  type LinkConfig,
  type SelftestOptions,
} from '@wearnet/link';
import { loadTopology } from '@wearnet/launcher';
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
  trace?: string;
  thresholdDb: number;
  widthDb: number;
  keepChannels?: boolean;
}

interface TraceFlags {
  preset: string;
  seed: number;
  links: number;
  durationMs: number;
  sampleMs: number;
  out: string;
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
    .description(
      'Run the body medium alone with synthetic traffic and print configured against measured: loss, burst and gap lengths, outages, goodput, latency; exit 1 past the tolerances',
    )
    .argument('[target]', 'a link preset name or a topology YAML file', 'hbc-1m3')
    .option('--seed <n>', 'seed (a topology gives its own by default)', nonNegativeInt('--seed'))
    .option('--frames <n>', 'frame attempts of the saturated phase, over all links', positiveInt('--frames'), 100000)
    .option('--links <n>', 'number of links (a topology gives its devices; default 8)', positiveInt('--links'))
    .option('--probes <n>', 'idle latency probes per link', positiveInt('--probes'), 200)
    .option('--loss-tolerance <r>', 'largest relative error of the mean frame loss', nonNegativeNumber('--loss-tolerance'), 0.02)
    .option('--ks-tolerance <d>', 'largest KS distance of burst and gap lengths', nonNegativeNumber('--ks-tolerance'), 0.05)
    .option('--goodput-tolerance <r>', 'largest relative error of goodput', nonNegativeNumber('--goodput-tolerance'), 0.02)
    .option('--latency-tolerance-ms <ms>', 'slack around the analytic latency band, ms', nonNegativeNumber('--latency-tolerance-ms'), 0.1)
    .option('--trace <file>', "replay a channel trace CSV (a column per link id); replaces the preset's own channels unless --keep-channels")
    .option('--threshold-db <db>', 'gain below which frames are lost (gain-db traces)', Number, -85)
    .option('--width-db <db>', 'width of the gain-to-loss transition, dB (0: a hard threshold)', nonNegativeNumber('--width-db'), 1)
    .option('--keep-channels', "keep the preset's bursts and fades on top of the trace")
    .option('--json', 'print the report as JSON')
    .action(async (target: string, flags: SelftestFlags) => {
      const { config, ids, seed } = await resolveTarget(target, flags);
      const fromConfig = config.trace && { file: config.trace.file, thresholdDb: config.trace.thresholdDb, widthDb: config.trace.widthDb };
      const replay =
        flags.trace !== undefined
          ? await traceOptions({ file: flags.trace, thresholdDb: flags.thresholdDb, widthDb: flags.widthDb })
          : fromConfig
            ? await traceOptions(fromConfig)
            : {};
      const link = flags.trace !== undefined && !flags.keepChannels ? { ...config, burst: null, fade: null, bodyFade: null } : config;
      const report = runSelftest({ link, seed, links: ids, frames: flags.frames, probesPerLink: flags.probes, ...replay });
      const checks = selftestChecks(report, {
        lossRelative: flags.lossTolerance,
        ks: flags.ksTolerance,
        goodputRelative: flags.goodputTolerance,
        latencyMs: flags.latencyToleranceMs,
      });
      process.stdout.write(flags.json ? `${JSON.stringify({ report, checks }, null, 2)}\n` : formatSelftest(report, checks));
      if (checks.some((c) => !c.pass)) process.exitCode = 1;
    });
  link
    .command('trace')
    .description("Write a synthetic per-link gain trace (CSV, 200 samples/s) from a preset's fade processes, for `selftest --trace` and replay")
    .option('--preset <name>', 'link preset whose fades decide when each link is faded', 'hbc-walking')
    .option('--seed <n>', 'seed', nonNegativeInt('--seed'), 1)
    .option('--links <n>', 'number of links (columns device-0 ..)', positiveInt('--links'), 4)
    .option('--duration-ms <ms>', 'length of the trace, ms', positiveInt('--duration-ms'), 10000)
    .option('--sample-ms <ms>', 'sample spacing, ms', positiveInt('--sample-ms'), 5)
    .requiredOption('--out <file>', 'CSV file to write')
    .action(async (flags: TraceFlags) => {
      const config = resolveLinkConfig({ preset: flags.preset });
      const links = Array.from({ length: flags.links }, (_, i) => `device-${i}`);
      const trace = synthesizeGainTrace({ link: config, seed: flags.seed, links, durationMs: flags.durationMs, sampleMs: flags.sampleMs });
      const command = `wearnet link trace --preset ${flags.preset} --seed ${flags.seed} --links ${flags.links} --duration-ms ${flags.durationMs} --sample-ms ${flags.sampleMs}`;
      await writeFile(
        flags.out,
        formatChannelTrace(trace, [`synthetic gain trace: ${command}`, 'clear -60 dB, fade -95 dB, jitter 2 dB (see packages/link/README.md)']),
      );
      process.stdout.write(`wrote ${flags.out}: ${links.length} links, ${trace.timesMs.length} samples\n`);
    });
}

async function traceOptions({
  file,
  thresholdDb,
  widthDb,
}: {
  file: string;
  thresholdDb: number;
  widthDb: number;
}): Promise<Pick<SelftestOptions, 'channelFor' | 'extraAtomsFor'>> {
  const trace: ChannelTrace = parseChannelTrace(await readFile(file, 'utf8'), { file });
  const replay = { threshold: { thresholdDb, widthDb } };
  return {
    channelFor: (id) => (trace.columns.has(id) ? traceChannel(trace, id, replay) : undefined),
    extraAtomsFor: (id) => (trace.columns.has(id) ? traceAtoms(trace, id, replay) : undefined),
  };
}

async function resolveTarget(target: string, flags: SelftestFlags): Promise<{ config: LinkConfig; ids: string[]; seed: number }> {
  const count = flags.links ?? 8;
  const defaultIds = Array.from({ length: count }, (_, i) => `device-${i}`);
  if (/\.ya?ml$/i.test(target) || existsSync(target)) {
    const { topology } = await loadTopology(target);
    const ids = flags.links === undefined ? topology.devices.map((d) => d.id) : defaultIds;
    return { config: topology.link, ids, seed: flags.seed ?? topology.seed };
  }
  return { config: resolveLinkConfig({ preset: target }), ids: defaultIds, seed: flags.seed ?? 1 };
}
