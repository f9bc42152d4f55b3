import { runDeviceRole } from './device-role';
import { DeviceError } from './errors';
import type { RoleCommandOptions } from '@wearnet/roles';

/** Usage of `wearnet-device` (`bin/device.js`). */
export const DEVICE_USAGE = 'usage: wearnet-device --config FILE [--exit-with-stdin]\n  runs one device process (normally started by `wearnet run`)\n';

/**
 * Parses the arguments of `wearnet-device` (without `node` and the script): `--config FILE`
 * (required; also `--config=FILE`), `--exit-with-stdin`; `help` for `--help` / `-h`.
 * @throws DeviceError `E_USAGE` naming the unknown flag or the missing value.
 */
export function parseDeviceArgv(argv: readonly string[]): RoleCommandOptions | 'help' {
  let config: string | undefined;
  let exitWithStdin = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--exit-with-stdin') exitWithStdin = true;
    else if (arg === '--config') {
      config = argv[i + 1];
      i += 1;
      if (config === undefined || config === '' || config.startsWith('--')) throw new DeviceError('E_USAGE', '--config needs a file');
    } else if (arg.startsWith('--config=') && arg.length > '--config='.length) config = arg.slice('--config='.length);
    else throw new DeviceError('E_USAGE', `unknown argument ${JSON.stringify(arg)}`);
  }
  if (config === undefined) throw new DeviceError('E_USAGE', '--config FILE is required');
  return { config, exitWithStdin };
}

/**
 * The lean device entry point (`bin/device.js`): parses `argv`, then runs the device role. Resolves
 * with the exit code: 0 while the device runs (its process ends by itself on SIGTERM or when stdin
 * closes), 2 for a usage error, 1 for an error before the role started (printed as `CODE: message`).
 */
export async function deviceMain(argv: readonly string[], stderr: NodeJS.WritableStream = process.stderr): Promise<number> {
  let options: RoleCommandOptions | 'help';
  try {
    options = parseDeviceArgv(argv);
  } catch (err) {
    stderr.write(`wearnet-device: ${(err as DeviceError).code}: ${(err as Error).message}\n${DEVICE_USAGE}`);
    return 2;
  }
  if (options === 'help') {
    stderr.write(DEVICE_USAGE);
    return 0;
  }
  try {
    await runDeviceRole(options);
    return 0;
  } catch (err) {
    const e = err as { code?: string; message?: string };
    stderr.write(`wearnet-device: ${e.code ?? 'E_INTERNAL'}: ${e.message ?? String(err)}\n`);
    return 1;
  }
}
