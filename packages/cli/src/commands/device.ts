import type { Command } from 'commander';
import type { RoleCommandOptions } from '@wearnet/roles';

/**
 * `wearnet device --config FILE`: one wearable device process. `wearnet run` spawns the lean entry
 * point of `@wearnet/device` (`wearnet-device`) instead; this command runs the same role for users.
 */
export function register(program: Command): void {
  program
    .command('device', { hidden: true })
    .description('run one device process (normally started by `wearnet run`, through `wearnet-device`)')
    .requiredOption('--config <file>', 'role config JSON (see DeviceRoleConfig)')
    .option('--exit-with-stdin', 'exit when stdin closes (set by the launcher)')
    .action(async (options: RoleCommandOptions) => {
      // Loaded here so that other commands never pay for TensorFlow.js.
      const { runDeviceRole } = require('@wearnet/device') as typeof import('@wearnet/device');
      await runDeviceRole(options);
    });
}
