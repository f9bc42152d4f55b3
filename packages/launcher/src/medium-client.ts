import type { Stage, StageSpec } from '@wearnet/link';
import type { LinksView } from '@wearnet/roles';
import { LauncherError } from './errors';

/** Options of {@link MediumClient}. */
export interface MediumClientOptions {
  /** Control credential the stage routes require (`controlCredential` of the secret and run id). */
  credential: string;
  /** The medium's HTTP base URL, e.g. `http://127.0.0.1:7400` (known once it listens). */
  baseUrl: () => string;
}

/** The launcher's client of the medium's HTTP API: stage routes (faults) and `GET /links`. */
export class MediumClient {
  constructor(private readonly options: MediumClientOptions) {}

  /** Adds a stage to a device's link (`link` null: medium-wide). @throws LauncherError `E_MEDIUM_REFUSED`. */
  async addStage(link: string | null, spec: StageSpec): Promise<Stage> {
    const route = link === null ? '/stages' : `/links/${encodeURIComponent(link)}/stages`;
    const response = await this.request('POST', route, spec);
    if (response.status !== 201) throw await mediumError(response, `adding stage ${JSON.stringify(spec.name ?? spec.type)}`);
    return (await response.json()) as Stage;
  }

  /** Removes a stage by name; false when it was not there. @throws LauncherError `E_MEDIUM_REFUSED`. */
  async removeStage(link: string | null, name: string): Promise<boolean> {
    const route = link === null ? `/stages/${encodeURIComponent(name)}` : `/links/${encodeURIComponent(link)}/stages/${encodeURIComponent(name)}`;
    const response = await this.request('DELETE', route);
    if (response.status === 204) return true;
    if (response.status === 404) return false;
    throw await mediumError(response, `removing stage "${name}"`);
  }

  /** Link states, stages, counters and medium-wide stages. */
  async links(): Promise<LinksView> {
    const response = await this.request('GET', '/links');
    return (await response.json()) as LinksView;
  }

  private request(method: string, route: string, body?: unknown): Promise<Response> {
    return fetch(`${this.options.baseUrl()}${route}`, {
      method,
      headers: { authorization: `Bearer ${this.options.credential}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
}

async function mediumError(response: Response, what: string): Promise<LauncherError> {
  let detail: { code?: string; message?: string } = {};
  try {
    detail = (await response.json()) as typeof detail;
  } catch {
    // not JSON
  }
  return new LauncherError('E_MEDIUM_REFUSED', `medium refused ${what}: HTTP ${response.status} ${detail.code ?? ''} ${detail.message ?? ''}`.trim(), {
    cause: detail,
  });
}
