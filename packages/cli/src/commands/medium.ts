import type { Command } from 'commander';
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
        const medium = await startMedium({
          link: config.link,
          seed: config.seed,
          secret,
          runId: config.runId,
          epochMs: config.epochMs,
          timeScale: config.timeScale,
          host: config.host,
          port: config.port,
          reorderWindowMs: config.reorderWindowMs,
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
