import { processUsage, runRoleProcess, type DeviceRoleConfig, type RoleCommandOptions } from '@wearnet/roles';
import { initRuntime } from '@wearnet/runtime';
import { startDevice } from './device-client';

/**
 * The device role process (`wearnet-device --config FILE`, which `wearnet run` spawns, and
 * `wearnet device`, which delegates here): initialises the runtime without the training kernels,
 * starts the device of the config (a warm standby when `standby` is set), reports `loaded` once its
 * student is loaded and `ready` once the aggregator has welcomed it, and takes the `connect` and
 * `slow` commands on stdin. Imports only what a device needs (no CLI, no launcher, no tfjs union).
 */
export async function runDeviceRole(options: RoleCommandOptions): Promise<void> {
  await runRoleProcess<DeviceRoleConfig>('device', options, async (config, { logger, secret, emit, fatal }) => {
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
}
