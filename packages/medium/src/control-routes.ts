import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LinkError, type Stage, type StageSpec } from '@wearnet/link';

/** What the stage routes act on. */
export interface StageControl {
  /** Control credential a caller must present (`Authorization: Bearer <credential>`; see `controlCredential`). */
  credential: string;
  addStage(deviceId: string, spec: StageSpec): Stage;
  removeStage(deviceId: string, name: string): boolean;
  addMediumStage(spec: StageSpec): Stage;
  removeMediumStage(name: string): boolean;
}

const LINK_STAGES = /^\/links\/([A-Za-z0-9_.-]{1,64})\/stages$/;
const LINK_STAGE = /^\/links\/([A-Za-z0-9_.-]{1,64})\/stages\/([^/]{1,128})$/;
const MEDIUM_STAGES = /^\/stages$/;
const MEDIUM_STAGE = /^\/stages\/([^/]{1,128})$/;
/** Largest request body of a stage route, bytes. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * The medium's stage (fault) routes, Toxiproxy-style, for a supervisor that holds the control credential (derived from the cluster secret):
 * - `POST /links/<device>/stages` with a stage spec `{ name?, type, direction?, attributes?, toxicity?, group? }` -> 201 the stage
 *   (adding a stage under a name already there replaces it in place);
 * - `DELETE /links/<device>/stages/<name>` -> 204, or 404 `E_STAGE_NOT_FOUND`;
 * - `POST /stages` / `DELETE /stages/<name>`: the same for medium-wide stages (every link).
 * Errors are JSON `{ code, message }`: 401 `E_CONTROL_UNAUTHORIZED`, 400 `E_BAD_REQUEST`,
 * `E_UNKNOWN_STAGE` or `E_INVALID_STAGE`. Returns false when the request is not a stage route.
 */
export function handleStageRoute(req: IncomingMessage, res: ServerResponse, control: StageControl): boolean {
  const path = (req.url ?? '').split('?')[0];
  const method = req.method ?? 'GET';
  const linkAdd = method === 'POST' ? LINK_STAGES.exec(path) : null;
  const linkRemove = method === 'DELETE' ? LINK_STAGE.exec(path) : null;
  const mediumAdd = method === 'POST' && MEDIUM_STAGES.test(path);
  const mediumRemove = method === 'DELETE' ? MEDIUM_STAGE.exec(path) : null;
  if (!linkAdd && !linkRemove && !mediumAdd && !mediumRemove) return false;
  if (!credentialMatches(req.headers.authorization, control.credential)) {
    reply(res, 401, { code: 'E_CONTROL_UNAUTHORIZED', message: 'stage routes need the control credential' });
    return true;
  }
  if (linkRemove || mediumRemove) {
    const name = decodeURIComponent((linkRemove ?? mediumRemove)![linkRemove ? 2 : 1]);
    const removed = linkRemove ? control.removeStage(linkRemove[1], name) : control.removeMediumStage(name);
    if (removed) reply(res, 204);
    else reply(res, 404, { code: 'E_STAGE_NOT_FOUND', message: `no stage "${name}"` });
    return true;
  }
  void readJson(req).then(
    (body) => {
      try {
        const spec = stageSpec(body);
        reply(res, 201, linkAdd ? control.addStage(linkAdd[1], spec) : control.addMediumStage(spec));
      } catch (err) {
        if (err instanceof LinkError) reply(res, 400, { code: err.code, message: err.message });
        else reply(res, 400, { code: 'E_BAD_REQUEST', message: (err as Error).message });
      }
    },
    (err: Error) => reply(res, 400, { code: 'E_BAD_REQUEST', message: err.message }),
  );
  return true;
}

function stageSpec(body: unknown): StageSpec {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new TypeError('body must be a JSON object { name?, type, direction?, attributes?, toxicity?, group? }');
  const o = body as Record<string, unknown>;
  if (typeof o.type !== 'string') throw new TypeError('type must be a string');
  if (o.name !== undefined && (typeof o.name !== 'string' || o.name.length === 0 || o.name.length > 128 || o.name.includes('/')))
    throw new TypeError('name must be a non-empty string of at most 128 characters without "/"');
  if (o.attributes !== undefined && (typeof o.attributes !== 'object' || o.attributes === null || Array.isArray(o.attributes)))
    throw new TypeError('attributes must be an object');
  return {
    type: o.type,
    name: o.name as string | undefined,
    direction: o.direction as StageSpec['direction'],
    attributes: o.attributes as Record<string, unknown> | undefined,
    // Checked by createStage (E_INVALID_STAGE).
    toxicity: o.toxicity as number | undefined,
    group: o.group as string | undefined,
  };
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new RangeError(`body larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'));
      } catch (err) {
        reject(new SyntaxError(`body is not JSON: ${(err as Error).message}`));
      }
    });
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body?: unknown): void {
  res.statusCode = status;
  if (body === undefined) {
    res.end();
    return;
  }
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

function credentialMatches(header: string | undefined, credential: string): boolean {
  const given = Buffer.from(header ?? '');
  const expected = Buffer.from(`Bearer ${credential}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
