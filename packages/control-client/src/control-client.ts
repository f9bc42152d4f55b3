import { ControlError } from './errors';
import type {
  DeviceView,
  FaultInput,
  FaultPatch,
  FaultView,
  LinksView,
  RequestRecord,
  RunRequestsView,
  StageInput,
  StageView,
  StatusView,
  VersionView,
} from '@wearnet/roles';

/** Options of {@link ControlClient}. */
export interface ControlClientOptions {
  /** Base URL of the control API, `http://127.0.0.1:<port>` (printed by `wearnet run`, in `control.json` and `summary.run.control`). */
  url: string;
  /** Real ms to wait for an answer; default 120 000 (`runRequests` and fault changes wait for the cluster). */
  timeoutMs?: number;
  /** The fetch to use; default the global one (Node >= 18). */
  fetch?: typeof fetch;
}

/**
 * A typed client of a running cluster's control API: list devices and links, add, update or remove
 * a fault, add or remove a stage on the medium directly, reset every fault, run requests of a gated
 * workload, stop the run, read the versions. Every method throws {@link ControlError} with the
 * server's `code` on failure.
 */
export class ControlClient {
  readonly url: string;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;

  constructor(options: ControlClientOptions) {
    if (typeof options.url !== 'string' || !/^https?:\/\//.test(options.url)) throw new TypeError(`url must be an http(s) URL, got ${String(options.url)}`);
    const timeoutMs = options.timeoutMs ?? 120000;
    if (!(timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${timeoutMs}`);
    this.url = options.url.replace(/\/$/, '');
    this.timeoutMs = timeoutMs;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** The run: workload progress, devices and faults. */
  status(): Promise<StatusView> {
    return this.request('GET', '/status');
  }

  /** Every device and the state of its process. */
  listDevices(): Promise<DeviceView[]> {
    return this.request('GET', '/devices');
  }

  /** Every link (state, stages, counters) and the medium-wide stages. */
  listLinks(): Promise<LinksView> {
    return this.request('GET', '/links');
  }

  /** Every fault of the run (scheduled, active and cleared). */
  listFaults(): Promise<FaultView[]> {
    return this.request('GET', '/faults');
  }

  /** One fault. @throws ControlError `E_FAULT_NOT_FOUND`. */
  getFault(id: string): Promise<FaultView> {
    return this.request('GET', `/faults/${encodeURIComponent(id)}`);
  }

  /**
   * Adds a fault. One due now is applied before this resolves (a crashed device has left the
   * aggregator, a restored one is back). @throws ControlError `E_FAULT_INVALID` naming the field.
   */
  addFault(fault: FaultInput): Promise<FaultView> {
    return this.request('POST', '/faults', fault);
  }

  /**
   * Updates a fault in place: `patch` holds some of its kind's changeable fields (`null` puts one
   * back to its default); an active fault takes the new values at once.
   * @throws ControlError `E_FAULT_INVALID` naming the field, `E_FAULT_NOT_FOUND`, `E_FAULT_CLEARED`.
   */
  updateFault(id: string, patch: FaultPatch): Promise<FaultView> {
    return this.request('PATCH', `/faults/${encodeURIComponent(id)}`, patch);
  }

  /**
   * Adds (or replaces, by name) a stage on the medium directly: on a device's link, or on every
   * link when `link` is null. It is not a fault of the run (no period in the summary, not cleared
   * by {@link reset}). @throws ControlError `E_UNKNOWN_DEVICE`, `E_MEDIUM_REFUSED` (an unknown type or a bad attribute).
   */
  addStage(link: string | null, stage: StageInput): Promise<StageView> {
    return this.request('POST', link === null ? '/stages' : `/links/${encodeURIComponent(link)}/stages`, stage);
  }

  /** Removes a stage added with {@link addStage} (or any medium stage) by name. @throws ControlError `E_STAGE_NOT_FOUND`. */
  async removeStage(link: string | null, name: string): Promise<void> {
    const route = link === null ? `/stages/${encodeURIComponent(name)}` : `/links/${encodeURIComponent(link)}/stages/${encodeURIComponent(name)}`;
    await this.request('DELETE', route);
  }

  /** wearnet's version, the wire protocol's and the control API's. */
  version(): Promise<VersionView> {
    return this.request('GET', '/version');
  }

  /** Clears a fault (undoing it) or cancels a scheduled one. @throws ControlError `E_FAULT_NOT_FOUND`. */
  removeFault(id: string): Promise<FaultView> {
    return this.request('DELETE', `/faults/${encodeURIComponent(id)}`);
  }

  /** Clears every fault; resolves with how many were live. */
  async reset(): Promise<number> {
    const { cleared } = await this.request<{ cleared: number }>('POST', '/reset');
    return cleared;
  }

  /** Runs `requests` more requests of a gated workload and resolves with their records. @throws ControlError `E_NOT_GATED`. */
  async runRequests(requests: number): Promise<RequestRecord[]> {
    if (!Number.isSafeInteger(requests) || requests < 1) throw new RangeError(`requests must be a positive integer, got ${requests}`);
    const { records } = await this.request<RunRequestsView>('POST', '/workload/run', { requests });
    return records;
  }

  /** Ends the run: the launcher tears the cluster down and writes `summary.json`. */
  async stop(): Promise<void> {
    await this.request('POST', '/stop');
  }

  private async request<T>(method: string, route: string, body?: unknown): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    let response: Response;
    try {
      response = await this.fetch(`${this.url}${route}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
      });
    } catch (cause) {
      if (controller.signal.aborted) throw new ControlError('E_CONTROL_TIMEOUT', `${method} ${route}: no answer within ${this.timeoutMs} ms`, { cause });
      throw new ControlError('E_CONTROL_UNREACHABLE', `${method} ${route}: cannot reach ${this.url} (${(cause as Error).message})`, { cause });
    } finally {
      clearTimeout(timer);
    }
    if (response.status === 204) return undefined as T;
    let payload: unknown;
    try {
      payload = await response.json();
    } catch (cause) {
      throw new ControlError('E_CONTROL_PROTOCOL', `${method} ${route}: HTTP ${response.status} without a JSON body`, { status: response.status, cause });
    }
    if (!response.ok) {
      const error = payload as { code?: unknown; message?: unknown };
      const code = typeof error.code === 'string' ? error.code : 'E_CONTROL_PROTOCOL';
      throw new ControlError(code, `${method} ${route}: ${typeof error.message === 'string' ? error.message : `HTTP ${response.status}`}`, {
        status: response.status,
      });
    }
    return payload as T;
  }
}
