import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { pipeline } from 'node:stream/promises';
import { DataError } from './errors';

/** Options of {@link downloadToFile}. */
export interface DownloadOptions {
  /** `http:` or `https:` URL; up to 5 redirects are followed. */
  url: string;
  /** File to write (created or truncated). */
  file: string;
  /** Longest wait for the connection, the response or the next chunk of data, ms. */
  timeoutMs: number;
  /** Largest accepted body, bytes; more gives `E_FETCH_FAILED`. */
  maxBytes: number;
  /** Called after each chunk with the bytes received so far and the announced total, if any. */
  onProgress?: (receivedBytes: number, totalBytes: number | undefined) => void;
}

/** What {@link downloadToFile} wrote. */
export interface DownloadResult {
  /** URL finally served (after redirects). */
  url: string;
  /** Bytes written. */
  bytes: number;
  /** md5 (hex) of the bytes written. */
  md5: string;
}

const MAX_REDIRECTS = 5;

function failed(url: string, why: string, cause?: unknown): DataError {
  return new DataError('E_FETCH_FAILED', `cannot download ${url}: ${why}`, {}, { cause });
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { hostname?: string };
  const host = e?.hostname ? ` ${e.hostname}` : '';
  if (e?.code === 'ENOTFOUND') return `host${host} not found (no internet or DNS?)`;
  if (e?.code === 'EAI_AGAIN') return `host${host} cannot be resolved now (no internet or DNS?)`;
  if (e?.code && e.message) return `${e.code} (${e.message})`;
  return e?.message ? e.message : String(err);
}

/**
 * Downloads `url` into `file`, hashing it with md5 on the way. Fails fast: every wait (DNS,
 * connection, response, next chunk) is bounded by `timeoutMs`.
 * @throws DataError `E_FETCH_FAILED` with a one-line reason (host not found, refused, timeout, HTTP status, too large).
 */
export async function downloadToFile(options: DownloadOptions): Promise<DownloadResult> {
  let url = options.url;
  for (let hop = 0; ; hop++) {
    const outcome = await downloadOnce(url, options);
    if (outcome.redirect === undefined) return { url, bytes: outcome.bytes, md5: outcome.md5 };
    if (hop >= MAX_REDIRECTS) throw failed(options.url, `more than ${MAX_REDIRECTS} redirects`);
    url = outcome.redirect;
  }
}

interface Outcome {
  redirect?: string;
  bytes: number;
  md5: string;
}

function downloadOnce(url: string, options: DownloadOptions): Promise<Outcome> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (err) {
    return Promise.reject(failed(url, 'not a valid URL', err));
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return Promise.reject(failed(url, `unsupported protocol ${parsed.protocol}`));
  const { timeoutMs, maxBytes, file, onProgress } = options;
  return new Promise<Outcome>((resolve, reject) => {
    let settled = false;
    const finish = (err: unknown, outcome?: Outcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err !== undefined) {
        req.destroy();
        reject(err instanceof DataError ? err : failed(url, describe(err), err));
      } else resolve(outcome as Outcome);
    };
    const onTimeout = (): void => finish(failed(url, `no data for ${timeoutMs} ms (timed out; is the internet reachable?)`));
    let timer = setTimeout(onTimeout, timeoutMs);
    const touch = (): void => {
      clearTimeout(timer);
      timer = setTimeout(onTimeout, timeoutMs);
    };
    const get = parsed.protocol === 'https:' ? https.get : http.get;
    const req = get(parsed, { headers: { 'user-agent': 'wearnet-data' } });
    req.on('error', (err) => finish(err));
    req.on('response', (res) => {
      touch();
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        finish(undefined, { redirect: new URL(res.headers.location, parsed).toString(), bytes: 0, md5: '' });
        return;
      }
      if (status !== 200) {
        res.resume();
        finish(failed(url, `HTTP ${status} ${res.statusMessage ?? ''}`.trim()));
        return;
      }
      const announced = Number(res.headers['content-length']);
      const total = Number.isFinite(announced) && announced > 0 ? announced : undefined;
      if (total !== undefined && total > maxBytes) {
        res.resume();
        finish(failed(url, `${total} bytes announced, more than maxBytes = ${maxBytes}`));
        return;
      }
      const md5 = createHash('md5');
      let bytes = 0;
      pipeline(
        res,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            touch();
            bytes += chunk.length;
            if (bytes > maxBytes) throw failed(url, `more than maxBytes = ${maxBytes} bytes`);
            md5.update(chunk);
            onProgress?.(bytes, total);
            yield chunk;
          }
        },
        fs.createWriteStream(file),
      ).then(
        () => {
          if (total !== undefined && bytes !== total) finish(failed(url, `connection closed after ${bytes} of ${total} bytes`));
          else finish(undefined, { bytes, md5: md5.digest('hex') });
        },
        (err) => finish(err),
      );
    });
  });
}
