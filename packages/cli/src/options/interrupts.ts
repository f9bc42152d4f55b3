import { killAllChildren } from '@wearnet/launcher';

/** Ctrl-C handling of commands that run a cluster: first signal stops cleanly, second kills. */
export interface Interrupts {
  /** Aborted on the first SIGINT/SIGTERM. */
  signal: AbortSignal;
  /** Removes the signal handlers. */
  dispose(): void;
}

/**
 * Installs SIGINT/SIGTERM handlers: the first aborts `signal` (the run stops and writes what it
 * has), the second kills every child process and exits 130.
 */
export function handleInterrupts(what: string): Interrupts {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts += 1;
    if (interrupts === 1) {
      process.stderr.write(`\nwearnet: stopping ${what} (Ctrl-C again to kill)...\n`);
      controller.abort();
    } else {
      killAllChildren();
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
