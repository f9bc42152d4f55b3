import type { Command } from 'commander';
import { processUsage, runRoleProcess, type DeviceRoleConfig, type RoleCommandOptions } from '@wearnet/roles';

/** `wearnet device --config FILE`: one wearable device process (started by `wearnet run`). */
export function register(program: Command): void {
  program
    .command('device', { hidden: true })
    .description('run one device process (normally started by `wearnet run`)')
    .requiredOption('--config <file>', 'role config JSON (see DeviceRoleConfig)')
    .option('--exit-with-stdin', 'exit when stdin closes (set by the launcher)')
    .action(async (options: RoleCommandOptions) => {
      await runRoleProcess<DeviceRoleConfig>('device', options, async (config, { logger, secret, emit, fatal }) => {
        // Loaded here so that other commands never pay for TensorFlow.js.
        const { initRuntime } = require('@wearnet/runtime') as typeof import('@wearnet/runtime');
        const { startDevice } = require('@wearnet/device') as typeof import('@wearnet/device');
        const log = logger.child({ deviceId: config.deviceId });
        const runtime = await initRuntime({ logger: log, trainingKernels: false });
        log.info({ backend: runtime.backend }, 'runtime ready');
        const { standby, computeFactor, ...deviceConfig } = config;
        const device = await startDevice({ ...deviceConfig, secret, logger: log, dataset: config.dataset, autoConnect: !standby });
        if (computeFactor !== undefined && computeFactor !== 1) device.setComputeFactor(computeFactor);
        device.stopped.catch(fatal);
        emit({ event: 'loaded', role: 'device', pid: process.pid, ...processUsage() });
        void device.ready.then(() => emit({ event: 'ready', role: 'device', pid: process.pid, backend: runtime.backend, ...processUsage() }));
        return {
          shutdown: async () => {
            await device.close();
            return device.stats();
          },
          command: (command) => {
            if (command.command === 'connect') device.connect();
            else if (command.command === 'slow') device.setComputeFactor(command.factor);
          },
        };
      });
    });
}
