import type { Command } from 'commander';
import { startController } from '@wearnet/launcher';
import { processUsage, runRoleProcess, type RoleCommandOptions } from '@wearnet/roles';

/** `wearnet controller --config FILE`: the fault controller and control API of a compose project (a service of `wearnet compose`). */
export function register(program: Command): void {
  program
    .command('controller', { hidden: true })
    .description('run the fault controller and control API of a compose project (a service rendered by `wearnet compose`)')
    .requiredOption('--config <file>', 'controller config JSON (see ControllerConfig in @wearnet/launcher)')
    .option('--exit-with-stdin', 'exit when stdin closes')
    .action(async (options: RoleCommandOptions) => {
      await runRoleProcess<unknown>('controller', options, async (config, { logger, secret, emit }) => {
        const controller = await startController(config, { secret });
        logger.info({ control: controller.control.url }, 'control API listening');
        emit({ event: 'ready', role: 'controller', pid: process.pid, port: controller.control.port, ...processUsage() });
        void controller.finished.then(() => logger.info('workload finished; faults.json written where configured'));
        return {
          shutdown: async () => {
            await controller.close();
            return undefined;
          },
        };
      });
    });
}
