import type { Command } from 'commander';
import { startAggregator, type Progress, type RunSummary } from '@wearnet/aggregator';
import { processUsage, runRoleProcess, type AggregatorRoleConfig, type RoleCommandOptions } from '@wearnet/roles';

/** `wearnet aggregator --config FILE`: the aggregator (hub) process (started by `wearnet run`). */
export function register(program: Command): void {
  program
    .command('aggregator', { hidden: true })
    .description('run the aggregator process (normally started by `wearnet run`)')
    .requiredOption('--config <file>', 'role config JSON (see AggregatorRoleConfig)')
    .option('--exit-with-stdin', 'exit when stdin closes (set by the launcher)')
    .action(async (options: RoleCommandOptions) => {
      await runRoleProcess<AggregatorRoleConfig>('aggregator', options, async (config, { logger, secret, emit, fatal }) => {
        let lastEmit = 0;
        let pending: Progress | undefined;
        const onProgress = (progress: Progress): void => {
          pending = progress;
          const now = Date.now();
          // Throttled, except when the aggregator goes idle (done with what it may issue): the launcher waits for that.
          if (now - lastEmit >= 200 || progress.done === progress.total || progress.done === progress.allowed) {
            lastEmit = now;
            emit({ event: 'progress', ...progress });
            pending = undefined;
          }
        };
        const onDevices = (authenticated: string[]): void => emit({ event: 'devices', authenticated });
        const aggregator = await startAggregator({ ...config, secret, logger, onProgress, onDevices });
        emit({ event: 'ready', role: 'aggregator', pid: process.pid, ...processUsage(), metricsPort: aggregator.metricsPort });
        void aggregator.started.then((devices) => emit({ event: 'started', devices }));
        let reported = false;
        const report = (summary: RunSummary): void => {
          if (reported) return;
          reported = true;
          if (pending) emit({ event: 'progress', ...pending });
          emit({ event: 'done', summary });
        };
        aggregator.done.then((summary) => {
          report(summary);
          // Cut short by the medium's loss: the records and summary are written; the process still fails, with that code.
          if (summary.cause?.code === 'E_HUB_LOST') fatal(Object.assign(new Error(summary.cause.message), { code: summary.cause.code }));
          // A compose service: the summary is written, the process ends (the usual stop path, code 0).
          else if (config.exitWhenDone) process.kill(process.pid, 'SIGTERM');
        }, fatal);
        return {
          shutdown: async (reason) => {
            report(await aggregator.stop(reason ?? 'signal'));
            await aggregator.close();
            return undefined;
          },
          command: (command) => {
            if (command.command === 'allow') aggregator.allowRequests(command.upTo);
          },
        };
      });
    });
}
