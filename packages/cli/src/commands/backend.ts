import type { Command } from 'commander';
import { initRuntime } from '@wearnet/runtime';

/**
 * `wearnet backend`: initialises TensorFlow.js as a device process would and prints what it chose
 * (one JSON line). With `WEARNET_REQUIRE_BACKEND=node` a missing native backend is
 * `E_BACKEND_UNAVAILABLE`; the Dockerfile runs it at build time and each container reports it at start.
 */
export function register(program: Command): void {
  program
    .command('backend')
    .description('initialise TensorFlow.js and print the backend it chose (WEARNET_BACKEND forces one, WEARNET_REQUIRE_BACKEND requires one)')
    .action(async () => {
      const info = await initRuntime({ trainingKernels: false });
      process.stdout.write(`${JSON.stringify(info)}\n`);
    });
}
