import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseFaults, type FaultSpec } from '@wearnet/faults';
import { controlCredential } from '@wearnet/protocol';
import type { DeviceView, StatusView } from '@wearnet/roles';
import { composeFaultProblem } from './compose-faults';
import { startControlServer, type ControlServer, type ControlTarget } from './control-server';
import { LauncherError, knownLink } from './errors';
import { FaultRunner } from './fault-runner';
import { RemoteCluster } from './remote-cluster';

/** Config file of `wearnet controller --config FILE` (written by `wearnet compose`). */
export interface ControllerConfig {
  role: 'controller';
  /** The medium's HTTP base URL, e.g. `http://medium:7400`. */
  mediumUrl: string;
  /** The aggregator's HTTP base URL (metrics port), e.g. `http://aggregator:9464`. */
  aggregatorUrl: string;
  /** The devices, in topology order. */
  devices: Array<{ id: string; index: number }>;
  /** The topology's fault schedule, in the flat shape of a topology's `faults:` entries. */
  faults: unknown[];
  seed: number;
  /** Host wall-clock ms at modelled time 0 (the same for every service). */
  epochMs: number;
  timeScale: number;
  /** Run id of the medium's control credential; default `wearnet` (the medium's default). */
  runId?: string;
  /** Address and port of the control API; defaults `127.0.0.1` and 7401. */
  host?: string;
  port?: number;
  /** Where `faults.json` goes when the workload has finished; default: not written. */
  outDir?: string;
  /** Real ms between polls of the aggregator; default 100. */
  pollMs?: number;
  /** Real ms to wait for a fault's effect; default 30 000. */
  settleTimeoutMs?: number;
}

/** A running compose controller. */
export interface Controller {
  control: ControlServer;
  /** Resolves once the workload has finished (and `faults.json` is written). */
  finished: Promise<void>;
  close(): Promise<void>;
}

/** A fault as a topology's `faults:` entry writes it (the input of `parseFault`). */
export function faultInput(spec: FaultSpec): Record<string, unknown> {
  const { targets, start, end, ...rest } = spec;
  return { ...rest, ...(spec.kind === 'noise' ? {} : { target: targets }), ...start, ...(end ?? {}) };
}

function invalid(message: string): LauncherError {
  return new LauncherError('E_BAD_REQUEST', `controller config: ${message}`);
}

/** Validates a controller config read from JSON. @throws LauncherError `E_BAD_REQUEST` naming the field, `E_COMPOSE_UNSUPPORTED` for a fault it cannot run. */
export function parseControllerConfig(value: unknown): ControllerConfig & { specs: FaultSpec[] } {
  if (typeof value !== 'object' || value === null) throw invalid('not an object');
  const c = value as Record<string, unknown>;
  for (const key of ['mediumUrl', 'aggregatorUrl'])
    if (typeof c[key] !== 'string' || !/^https?:\/\//.test(c[key] as string)) throw invalid(`${key} must be an http(s) URL`);
  for (const key of ['seed', 'epochMs', 'timeScale']) if (typeof c[key] !== 'number' || !Number.isFinite(c[key])) throw invalid(`${key} must be a number`);
  if (!((c.timeScale as number) > 0)) throw invalid('timeScale must be positive');
  if (c.port !== undefined && !(Number.isInteger(c.port) && (c.port as number) >= 0 && (c.port as number) < 65536)) throw invalid('port must be 0..65535');
  const devices = Array.isArray(c.devices) ? (c.devices as Array<{ id?: unknown; index?: unknown }>) : undefined;
  if (!devices || !devices.every((d) => d && typeof d.id === 'string' && Number.isInteger(d.index))) throw invalid('devices must be a list of { id, index }');
  if (!Array.isArray(c.faults)) throw invalid('faults must be a list');
  const specs = parseFaults(c.faults, { devices: devices.map((d) => d.id as string) });
  for (const spec of specs) refuseForCompose(spec);
  return { ...(c as unknown as ControllerConfig), specs };
}

function refuseForCompose(spec: FaultSpec): void {
  const problem = composeFaultProblem(spec);
  if (problem) throw new LauncherError('E_COMPOSE_UNSUPPORTED', problem);
}

/**
 * The compose controller: the launcher's fault runner and control API in a process of their own,
 * reaching the medium and the aggregator over the network (see `RemoteCluster`). It schedules the
 * topology's faults from the start of the workload (read from the aggregator's `/status`), serves
 * the control API (`GET /status`, `/devices`, `/links`, `/faults`, `POST /faults`,
 * `DELETE /faults/<id>`, `POST /reset`; link and medium faults only) and, once the workload has
 * finished, writes `faults.json` (the faults and their periods on the records' clock) to `outDir`.
 * It keeps serving until closed.
 * @throws LauncherError `E_BAD_REQUEST` (config), `E_COMPOSE_UNSUPPORTED` (a fault it cannot run).
 */
export async function startController(config: unknown, context: { secret: Uint8Array }): Promise<Controller> {
  const c = parseControllerConfig(config);
  const remote = new RemoteCluster({
    aggregatorUrl: c.aggregatorUrl.replace(/\/$/, ''),
    mediumUrl: c.mediumUrl.replace(/\/$/, ''),
    credential: controlCredential(context.secret, c.runId ?? 'wearnet'),
    epochMs: c.epochMs,
    timeScale: c.timeScale,
    deviceIds: c.devices.map((d) => d.id),
    pollMs: c.pollMs,
  });
  const errors: string[] = [];
  const runner = new FaultRunner(
    remote,
    { seed: c.seed, settleTimeoutMs: c.settleTimeoutMs, accept: refuseForCompose, onError: (err, fault) => errors.push(`${fault.id}: ${err.message}`) },
    false,
  );
  for (const spec of c.specs) await runner.schedule(spec);
  remote.once('started', () => runner.workloadStarted());
  const devices = (): DeviceView[] =>
    c.devices.map((d) => {
      const authenticated = remote.authenticated.has(d.id);
      return {
        id: d.id,
        index: d.index,
        authenticated,
        state: authenticated ? 'running' : 'starting',
        pid: null,
        computeFactor: 1,
        spare: 'none',
        incarnations: 0,
      };
    });
  const status = (): StatusView => {
    const p = remote.progress;
    return {
      runId: c.runId ?? 'wearnet',
      outDir: c.outDir ?? '',
      nowMs: remote.nowMs(),
      workloadStartMs: remote.workloadStartMs ?? null,
      gated: false,
      finished: remote.finished,
      workload: {
        total: p?.total ?? 0,
        issued: p?.issued ?? 0,
        allowed: p?.allowed ?? 0,
        done: p?.done ?? 0,
        correct: p?.correct ?? 0,
        accuracy: p && p.done > 0 ? p.correct / p.done : 0,
        deadlineMisses: p?.deadlineMisses ?? 0,
        p50LatencyMs: p && Number.isFinite(p.p50LatencyMs) ? p.p50LatencyMs : null,
      },
      devices: devices(),
      faults: runner.views(),
    };
  };
  const target: ControlTarget = {
    status,
    devices,
    links: () => remote.links(),
    listFaults: () => runner.views(),
    getFault: (id) => runner.find(id),
    addFault: async (input) => {
      if (remote.finished) throw new LauncherError('E_RUN_FINISHED', 'the workload has ended');
      return runner.add(input);
    },
    updateFault: async (id, patch) => {
      if (remote.finished) throw new LauncherError('E_RUN_FINISHED', 'the workload has ended');
      return runner.update(id, patch);
    },
    removeFault: (id) => runner.remove(id),
    addStage: (link, spec) => remote.addStage(knownLink(c.devices, link), spec),
    removeStage: (link, name) => remote.removeStage(knownLink(c.devices, link), name),
    reset: () => runner.reset(),
    runRequests: () => Promise.reject(new LauncherError('E_NOT_GATED', 'a compose run is not gated: its workload runs by itself')),
    stop: () => {
      throw new LauncherError('E_COMPOSE_UNSUPPORTED', 'the controller cannot stop a compose project: run `docker compose down`');
    },
  };
  const control = await startControlServer(target, { host: c.host ?? '127.0.0.1', port: c.port ?? 7401 });
  let written = false;
  const writeReport = (): void => {
    if (written || c.outDir === undefined) return;
    written = true;
    const report = { faults: runner.views(), periods: runner.periods(remote.nowMs()), errors };
    writeFileSync(path.join(c.outDir, 'faults.json'), `${JSON.stringify(report, null, 2)}\n`);
  };
  const finished = new Promise<void>((resolve) => {
    const done = (): void => {
      runner.close();
      writeReport();
      resolve();
    };
    if (remote.finished) done();
    else remote.once('finished', done);
  });
  return {
    control,
    finished,
    // Stopped before the workload ended (compose stops every service once the aggregator exits): the report is written all the same.
    close: async () => {
      remote.close();
      runner.close();
      if (remote.workloadStartMs !== undefined) writeReport();
      await control.close();
    },
  };
}
