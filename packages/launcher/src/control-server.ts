import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { RequestRecord } from '@wearnet/aggregator';
import type { Stage, StageSpec } from '@wearnet/link';
import type { DeviceView, FaultView, LinksView, StatusView, VersionView } from '@wearnet/roles';
import { LauncherError } from './errors';
import { versionView } from './version';

/** What the control API acts on (a running cluster; see `startRun`). */
export interface ControlTarget {
  status(): StatusView;
  devices(): DeviceView[];
  links(): Promise<LinksView>;
  listFaults(): FaultView[];
  getFault(id: string): FaultView | undefined;
  addFault(input: unknown): Promise<FaultView>;
  /** Updates a fault in place (`PATCH /faults/<id>`, see `FaultRunner.update`). */
  updateFault(id: string, patch: unknown): Promise<FaultView>;
  removeFault(id: string): Promise<FaultView>;
  /** Adds a stage on the medium directly, on a device's link (`link` null: medium-wide); not a fault of the run. */
  addStage(link: string | null, spec: StageSpec): Promise<Stage>;
  /** Removes a medium stage by name; false when there was none. */
  removeStage(link: string | null, name: string): Promise<boolean>;
  reset(): Promise<number>;
  runRequests(requests: number): Promise<RequestRecord[]>;
  /** Ends the workload; the run then tears down and writes its summary. */
  stop(): void;
}

/** A listening control server. */
export interface ControlServer {
  port: number;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  close(): Promise<void>;
}

/** Largest request body, bytes. */
const MAX_BODY_BYTES = 64 * 1024;
const FAULT = /^\/faults\/([A-Za-z0-9_.-]{1,64})$/;
const LINK_STAGES = /^\/links\/([A-Za-z0-9_.-]{1,64})\/stages$/;
const LINK_STAGE = /^\/links\/([A-Za-z0-9_.-]{1,64})\/stages\/([^/]{1,128})$/;
const MEDIUM_STAGE = /^\/stages\/([^/]{1,128})$/;
const STATUS_OF: Record<string, number> = {
  E_FAULT_INVALID: 400,
  E_BAD_REQUEST: 400,
  E_UNKNOWN_DEVICE: 400,
  E_MEDIUM_REFUSED: 400,
  E_FAULT_NOT_FOUND: 404,
  E_STAGE_NOT_FOUND: 404,
  E_NOT_FOUND: 404,
  E_NOT_GATED: 409,
  E_RUN_FINISHED: 409,
  E_COMPOSE_UNSUPPORTED: 409,
  E_FAULT_CLEARED: 409,
  E_SETTLE_TIMEOUT: 504,
};

/**
 * The control API of a running cluster, HTTP + JSON in the spirit of Toxiproxy (no auth: it binds
 * a loopback address only):
 *
 * | route | answer |
 * |---|---|
 * | `GET /status` | {@link StatusView} |
 * | `GET /devices` | {@link DeviceView}[] |
 * | `GET /links` | the medium's links (state, stages, counters) and medium-wide stages |
 * | `GET /faults`, `GET /faults/<id>` | {@link FaultView}[] / one |
 * | `POST /faults` (a fault spec, see `@wearnet/faults`) | 201 the fault, applied when due now |
 * | `PATCH /faults/<id>` (some of its changeable fields) | the fault, updated in place |
 * | `DELETE /faults/<id>` | the fault, cleared |
 * | `GET /version` | {@link VersionView} |
 * | `POST /links/<device>/stages`, `POST /stages` (a stage spec) | 201 the stage, on the medium directly (not a fault) |
 * | `DELETE /links/<device>/stages/<name>`, `DELETE /stages/<name>` | 204 |
 * | `POST /reset` | `{ cleared }`: every fault cleared |
 * | `POST /workload/run` `{ requests }` | `{ records }` of those requests (gated workloads) |
 * | `POST /stop` | 202; the run ends, tears down and writes its summary |
 * | `GET /metrics` | Prometheus text of `options.metrics` (the launcher's: run info, active faults, process) |
 *
 * Errors are `{ code, message }` with 400 (`E_FAULT_INVALID`, `E_BAD_REQUEST`, `E_MEDIUM_REFUSED`), 404
 * (`E_FAULT_NOT_FOUND`, `E_STAGE_NOT_FOUND`, `E_NOT_FOUND`), 409 (`E_NOT_GATED`, `E_RUN_FINISHED`,
 * `E_FAULT_CLEARED`, `E_COMPOSE_UNSUPPORTED`: what a compose controller cannot do), 504 (`E_SETTLE_TIMEOUT`) or 500.
 */
export async function startControlServer(target: ControlTarget, options: { host?: string; port?: number; metrics?: Registry } = {}): Promise<ControlServer> {
  const server: Server = createServer((req, res) => {
    const metrics = options.metrics;
    if (metrics && req.method === 'GET' && (req.url ?? '').split('?')[0] === '/metrics') return void serveMetrics(metrics, res);
    route(target, req, res).catch((err: Error & { code?: string }) =>
      reply(res, STATUS_OF[err.code ?? ''] ?? 500, { code: err.code ?? 'E_INTERNAL', message: err.message }),
    );
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}

async function route(target: ControlTarget, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '').split('?')[0].replace(/\/$/, '') || '/';
  const method = req.method ?? 'GET';
  if (method === 'GET' && path === '/status') return reply(res, 200, target.status());
  if (method === 'GET' && path === '/version') return reply(res, 200, versionView() satisfies VersionView);
  if (method === 'GET' && path === '/devices') return reply(res, 200, target.devices());
  if (method === 'GET' && path === '/links') return reply(res, 200, await target.links());
  if (method === 'GET' && path === '/faults') return reply(res, 200, target.listFaults());
  if (method === 'POST' && path === '/faults') return reply(res, 201, await target.addFault(await readJson(req)));
  if (method === 'POST' && path === '/reset') return reply(res, 200, { cleared: await target.reset() });
  if (method === 'POST' && path === '/stop') {
    target.stop();
    return reply(res, 202, { stopping: true });
  }
  if (method === 'POST' && path === '/workload/run') {
    const body = await readJson(req);
    const requests = typeof body === 'object' && body !== null ? (body as { requests?: unknown }).requests : undefined;
    if (!Number.isSafeInteger(requests) || (requests as number) < 1) throw coded('E_BAD_REQUEST', 'requests must be a positive integer');
    return reply(res, 200, { records: await target.runRequests(requests as number) });
  }
  const fault = FAULT.exec(path);
  if (fault && method === 'GET') {
    const view = target.getFault(fault[1]);
    if (!view) throw coded('E_FAULT_NOT_FOUND', `no fault "${fault[1]}"`);
    return reply(res, 200, view);
  }
  if (fault && method === 'DELETE') return reply(res, 200, await target.removeFault(fault[1]));
  if (fault && method === 'PATCH') return reply(res, 200, await target.updateFault(fault[1], await readJson(req)));
  if (await stageRoute(target, req, res)) return;
  throw coded('E_NOT_FOUND', `no route ${method} ${path}`);
}

/** The medium's stage routes, passed through with the launcher's credential; false when `req` is none of them. */
async function stageRoute(target: ControlTarget, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const path = (req.url ?? '').split('?')[0];
  const method = req.method ?? 'GET';
  const linkAdd = LINK_STAGES.exec(path);
  if (method === 'POST' && (linkAdd || path === '/stages')) {
    const body = await readJson(req);
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw coded('E_BAD_REQUEST', 'a stage is a JSON object { name?, type, direction?, attributes?, toxicity?, group? }');
    reply(res, 201, await target.addStage(linkAdd ? linkAdd[1] : null, body as StageSpec));
    return true;
  }
  const linkRemove = LINK_STAGE.exec(path);
  const mediumRemove = MEDIUM_STAGE.exec(path);
  if (method !== 'DELETE' || (!linkRemove && !mediumRemove)) return false;
  const name = decodeURIComponent(linkRemove ? linkRemove[2] : mediumRemove![1]);
  if (!(await target.removeStage(linkRemove ? linkRemove[1] : null, name))) throw coded('E_STAGE_NOT_FOUND', `no stage "${name}"`);
  res.statusCode = 204;
  res.end();
  return true;
}

function coded(code: 'E_BAD_REQUEST' | 'E_NOT_FOUND' | 'E_FAULT_NOT_FOUND' | 'E_STAGE_NOT_FOUND', message: string): LauncherError {
  return new LauncherError(code, message);
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(coded('E_BAD_REQUEST', `body larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'));
      } catch (err) {
        reject(coded('E_BAD_REQUEST', `body is not JSON: ${(err as Error).message}`));
      }
    });
    req.on('error', reject);
  });
}

async function serveMetrics(registry: Registry, res: ServerResponse): Promise<void> {
  try {
    const text = await registry.metrics();
    res.setHeader('content-type', registry.contentType);
    res.end(text);
  } catch (err) {
    reply(res, 500, { code: 'E_INTERNAL', message: (err as Error).message });
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}
