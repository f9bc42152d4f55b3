import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { parseChannelTrace, traceReplay, type LinkConfig, type LossChannel } from '@wearnet/link';
import { startMedium } from '@wearnet/medium';
import { processUsage, runRoleProcess, type MediumRoleConfig, type RoleCommandOptions } from '@wearnet/roles';

/** `wearnet medium --config FILE`: the body medium process (started by `wearnet run`). */
export function register(program: Command): void {
  program
    .command('medium', { hidden: true })
    .description('run the body medium process (normally started by `wearnet run`)')
    .requiredOption('--config <file>', 'role config JSON (see MediumRoleConfig)')
    .option('--exit-with-stdin', 'exit when stdin closes (set by the launcher)')
    .action(async (options: RoleCommandOptions) => {
      await runRoleProcess<MediumRoleConfig>('medium', options, async (config, { logger, secret, emit }) => {
        const channelFor = await traceChannels(config.link);
        const medium = await startMedium({
          link: config.link,
          seed: config.seed,
          secret,
          runId: config.runId,
          epochMs: config.epochMs,
          timeScale: config.timeScale,
          host: config.host,
          port: config.port,
          tls: config.tls,
          reorderWindowMs: config.reorderWindowMs,
          channelFor,
          logger,
        });
        emit({ event: 'ready', role: 'medium', pid: process.pid, ...processUsage(), port: medium.port });
        return {
          shutdown: async () => {
            const report = medium.report();
            await medium.close();
            return report;
          },
        };
      });
    });
}

/** The replay channels of the link's trace (`link.trace`), read from its file; undefined without one. */
async function traceChannels(link: LinkConfig): Promise<((linkId: string) => LossChannel | undefined) | undefined> {
  if (!link.trace) return undefined;
  const { file, thresholdDb, widthDb, loop } = link.trace;
  const trace = parseChannelTrace(await readFile(file, 'utf8'), { file });
  return traceReplay(trace, { threshold: { thresholdDb, widthDb }, loop });
}
