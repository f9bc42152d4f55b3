import type { Progress, RunSummary } from '@wearnet/aggregator';

/** Resource use of one process, reported as it exits. */
export interface ProcessUsage {
  cpuUserMs: number;
  cpuSystemMs: number;
  /** Peak resident set size, KiB. */
  maxRssKb: number;
}

/**
 * One line a role process writes to stdout (JSON); stderr carries its pino logs. This is how the
 * launcher (or any supervisor, e.g. docker-compose healthchecks) learns readiness and results.
 */
export type RoleEvent =
  | ({ event: 'ready'; role: string; pid: number; port?: number; metricsPort?: number; backend?: string } & Partial<ProcessUsage>)
  | { event: 'started'; devices: number }
  | ({ event: 'progress' } & Progress)
  | { event: 'done'; summary: RunSummary }
  | ({ event: 'stats'; role: string; report?: unknown } & ProcessUsage)
  | { event: 'error'; code: string; message: string };

/** Serialises an event as one line. */
export function formatRoleEvent(event: RoleEvent): string {
  return `${JSON.stringify(event)}\n`;
}

/** Parses one stdout line; undefined when it is not an event. */
export function parseRoleEvent(line: string): RoleEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as { event?: unknown };
    return typeof value.event === 'string' ? (value as RoleEvent) : undefined;
  } catch {
    return undefined;
  }
}

/** This process's resource use so far. */
export function processUsage(): ProcessUsage {
  const cpu = process.cpuUsage();
  return { cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000, maxRssKb: process.resourceUsage().maxRSS };
}
