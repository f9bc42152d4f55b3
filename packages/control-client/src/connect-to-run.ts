import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { ControlClient, type ControlClientOptions } from './control-client';
import { ControlError } from './errors';

/** Options of {@link connectToRun}. */
export interface ConnectToRunOptions extends Omit<ControlClientOptions, 'url'> {
  /** The run's output directory (`wearnet run ... --out DIR`). */
  outDir: string;
  /** Real ms to wait for the run to write `control.json`; default 60 000. */
  waitMs?: number;
}

/**
 * Waits until a run started with `wearnet run ... --out DIR` has written `DIR/control.json`
 * (its control API is up) and returns a client of it.
 * @throws ControlError `E_CONTROL_TIMEOUT` when it does not appear within `waitMs`.
 */
export async function connectToRun(options: ConnectToRunOptions): Promise<ControlClient> {
  const file = path.join(options.outDir, 'control.json');
  const end = Date.now() + (options.waitMs ?? 60000);
  for (;;) {
    try {
      const { url } = JSON.parse(await readFile(file, 'utf8')) as { url?: unknown };
      if (typeof url === 'string') return new ControlClient({ ...options, url });
    } catch {
      // not written yet (or half written)
    }
    if (Date.now() > end) throw new ControlError('E_CONTROL_TIMEOUT', `${file} did not appear within ${options.waitMs ?? 60000} ms: is the run up?`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
