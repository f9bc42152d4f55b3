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
  /** A device has loaded and warmed its model (before it connects; a standby spare stops here until told to connect). */
  | ({ event: 'loaded'; role: string; pid: number } & Partial<ProcessUsage>)
  | { event: 'started'; devices: number }
  /** The aggregator's set of authenticated devices changed. */
  | { event: 'devices'; authenticated: string[] }
  | ({ event: 'progress' } & Progress)
  | { event: 'done'; summary: RunSummary }
  | ({ event: 'stats'; role: string; report?: unknown } & ProcessUsage)
  | { event: 'error'; code: string; message: string };

/**
 * One line the launcher writes to a role's stdin (JSON): `connect` a standby device, `slow` a
 * device's modelled compute by `factor` (1 = full speed), `allow` the aggregator to issue requests
 * up to `upTo` in all.
 */
export type RoleCommand = { command: 'connect' } | { command: 'slow'; factor: number } | { command: 'allow'; upTo: number };

/** Serialises a command as one line. */
export function formatRoleCommand(command: RoleCommand): string {
  return `${JSON.stringify(command)}\n`;
}

/** Parses one stdin line; undefined when it is not a known command. */
export function parseRoleCommand(line: string): RoleCommand | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as Record<string, unknown>;
    if (value.command === 'connect') return { command: 'connect' };
    if (value.command === 'slow' && typeof value.factor === 'number' && value.factor >= 1) return { command: 'slow', factor: value.factor };
    if (value.command === 'allow' && Number.isSafeInteger(value.upTo) && (value.upTo as number) >= 0) return { command: 'allow', upTo: value.upTo as number };
    return undefined;
  } catch {
    return undefined;
  }
}

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
