import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { RequestRecord } from '@wearnet/aggregator';
import { bundleMethodLabel, readBundleSet } from '@wearnet/bundle';
import { failureSetOrder, type FailureSetOrder } from '@wearnet/faults';
import { hostNowMs } from '@wearnet/link';
import { loadTopology, startRun, type ClusterSummary } from '@wearnet/launcher';
import { SweepError } from './errors';

/** How a sweep takes devices out: `crash` (SIGKILL, a warm spare brings them back) or `disconnect` (their link goes down both ways). */
export type SweepFault = 'crash' | 'disconnect';

/** Options of {@link runSweep}. */
export interface SweepOptions {
  /** Topology YAML: link, devices, workload (its dataset slice), deadline, time scale. */
  topologyFile: string;
  /** Path of `packages/cli/bin/wearnet.js`. */
  cliBin: string;
  /** One bundle set per method, swept one after another on the same topology. */
  bundles: string[];
  /** Default `crash`. */
  fault?: SweepFault;
  /** Largest number of failed devices; default K. */
  maxFailed?: number;
  /** Sets per number of failed devices; levels with more are sampled (seeded); default all. */
  samplePerLevel?: number;
  /** Requests run with each failure set; default 16. */
  requestsPerSet?: number;
  /** Seed of the run and of the sample; default the topology's. */
  seed?: number;
  /** Overrides the topology's time scale. */
  timeScale?: number;
  /** Directory of the sweep; each method's run goes to a subdirectory. */
  outDir: string;
  /** Called after each failure set. */
  onProgress?: (progress: SweepProgress) => void;
  /** Aborting ends the current method's run (partial results are written) and skips the rest. */
  signal?: AbortSignal;
  /** Real ms to wait for a crashed device to leave or come back; default 60 000. */
  settleTimeoutMs?: number;
}

/** Progress of a sweep. */
export interface SweepProgress {
  method: string;
  /** Index of the bundle set being swept, and how many there are. */
  methodIndex: number;
  methods: number;
  /** Failure sets done for this method, of `sets`. */
  done: number;
  sets: number;
  /** The set just run (device ids). */
  failed: string[];
}

/** The requests run with one failure set. */
export interface SweepSegment {
  /** Failed device indices (bundle indices), ascending. */
  failedIndices: number[];
  /** Failed device ids. */
  failed: string[];
  /** Ids of the requests of this segment. */
  requestIds: number[];
}

/** One method's part of a sweep. */
export interface MethodSweep {
  /** The run's method (`summary.run.method`). */
  method: string;
  bundles: string;
  runDir: string;
  segments: SweepSegment[];
  records: RequestRecord[];
  summary: ClusterSummary;
  /** Real time of this method's run, from start to teardown, ms. */
  wallMs: number;
}

/** What {@link runSweep} measured. */
export interface SweepResult {
  order: FailureSetOrder;
  fault: SweepFault;
  requestsPerSet: number;
  methods: MethodSweep[];
  /** Real time of the whole sweep, ms. */
  wallMs: number;
  interrupted: boolean;
}

/**
 * Drives a running cluster through failure sets, one cluster per bundle set (a closed loop: an
 * open-loop topology runs one request at a time): the sets come in
 * Gray-code order (one device changes between consecutive sets), and between segments the devices
 * of the next set are really crashed (SIGKILL; warm spares bring them back) or disconnected (a
 * `down` stage both ways), waiting until the aggregator sees exactly the survivors before it is
 * allowed the segment's requests. Each method's run directory holds the usual `requests.jsonl`
 * and `summary.json` (with every crash period in `faults`).
 * @throws LauncherError from the runs; SweepError `E_NO_RECORDS`; RangeError for bad options.
 */
export async function runSweep(options: SweepOptions): Promise<SweepResult> {
  const started = hostNowMs();
  const fault = options.fault ?? 'crash';
  if (fault !== 'crash' && fault !== 'disconnect') throw new RangeError(`fault must be crash or disconnect, got ${String(fault)}`);
  const requestsPerSet = options.requestsPerSet ?? 16;
  if (!Number.isSafeInteger(requestsPerSet) || requestsPerSet < 1) throw new RangeError(`requestsPerSet must be a positive integer, got ${requestsPerSet}`);
  if (options.bundles.length === 0) throw new RangeError('bundles must name at least one bundle set');
  const { topology } = await loadTopology(options.topologyFile);
  const devices = [...topology.devices].sort((a, b) => a.index - b.index);
  const order = failureSetOrder({
    devices: devices.length,
    maxFailed: options.maxFailed,
    samplePerLevel: options.samplePerLevel,
    seed: options.seed ?? topology.seed,
  });
  const idOf = (index: number): string => devices[index].id;
  const closedLoop = topology.workload.arrival.mode === 'closed' ? topology.workload.arrival : { mode: 'closed' as const, concurrency: 1 };
  const settleMs = options.settleTimeoutMs ?? 60000;
  const methods: MethodSweep[] = [];
  let interrupted = false;
  for (const [methodIndex, bundles] of options.bundles.entries()) {
    if (options.signal?.aborted) {
      interrupted = true;
      break;
    }
    const methodStarted = hostNowMs();
    const method = bundleMethodLabel(await readBundleSet(path.resolve(bundles)));
    const runDir = path.join(options.outDir, `${String(methodIndex + 1).padStart(2, '0')}-${path.basename(path.resolve(bundles))}`);
    const run = await startRun({
      topologyFile: options.topologyFile,
      cliBin: options.cliBin,
      // A segment is exactly its requests: an open loop would pile arrivals up while the sweep changes sets.
      overrides: {
        bundles,
        gated: true,
        faults: [],
        requests: order.sets.length * requestsPerSet,
        output: runDir,
        seed: options.seed,
        timeScale: options.timeScale,
        arrival: closedLoop,
      },
      settleTimeoutMs: settleMs,
    });
    const onAbort = (): void => {
      interrupted = true;
      run.stop();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const segments: SweepSegment[] = [];
    try {
      await run.started;
      const active = new Map<number, string>();
      for (const [i, set] of order.sets.entries()) {
        if (interrupted) break;
        const next = new Set(set);
        for (const [index, faultId] of [...active]) {
          if (next.has(index)) continue;
          await run.removeFault(faultId);
          active.delete(index);
        }
        for (const index of set) {
          if (active.has(index)) continue;
          const faultId = `sweep-${fault}-${idOf(index)}-${i}`;
          await run.addFault(fault === 'crash' ? { id: faultId, kind: 'crash', target: idOf(index) } : { id: faultId, kind: 'link-down', target: idOf(index) });
          active.set(index, faultId);
        }
        // Crashed devices are out of the aggregator, the others in. A disconnected device may or may
        // not still count as authenticated (after missed heartbeats it reconnects and cannot say
        // hello through its dead link); a reconnected one may still be saying hello again.
        const survivors = devices.filter((d) => !next.has(d.index)).map((d) => d.id);
        await run.waitForDevices(survivors, settleMs, fault === 'crash');
        const records = await run.runRequests(requestsPerSet);
        segments.push({ failedIndices: [...set], failed: set.map(idOf), requestIds: records.map((r) => r.id) });
        options.onProgress?.({ method, methodIndex, methods: options.bundles.length, done: i + 1, sets: order.sets.length, failed: set.map(idOf) });
      }
    } catch (err) {
      run.stop();
      await run.finished.catch(() => undefined);
      throw err;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
    run.stop();
    const result = await run.finished;
    const records = readAll(result.outDir);
    methods.push({
      method: result.summary.run.method,
      bundles: path.resolve(bundles),
      runDir: result.outDir,
      segments,
      records,
      summary: result.summary,
      wallMs: hostNowMs() - methodStarted,
    });
  }
  return { order, fault, requestsPerSet, methods, wallMs: hostNowMs() - started, interrupted };
}

function readAll(outDir: string): RequestRecord[] {
  try {
    return readFileSync(path.join(outDir, 'requests.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as RequestRecord);
  } catch (cause) {
    throw new SweepError('E_NO_RECORDS', `no records in ${outDir}`, { cause });
  }
}
