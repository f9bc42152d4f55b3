import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { DataError, fetchCifar100, loadCifar100Sync } from '@wearnet/data';
import { makeCifarArchive, makeTarGz, tempDir } from './fixtures';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

async function serve(handler: Handler): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

async function errorOf(p: Promise<unknown>): Promise<DataError> {
  try {
    await p;
  } catch (err) {
    return err as DataError;
  }
  throw new Error('expected an error');
}

describe('fetchCifar100', () => {
  const { archive, files } = makeCifarArchive(3, 2);
  let dir: string;
  let server: { url: string; close: () => Promise<void> } | undefined;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Everything left in the parent folder: the out dir (if any) and no temporary folders. */
  const leftovers = () => fs.readdirSync(dir).sort();

  it('downloads, verifies the md5, extracts and installs the four files', async () => {
    server = await serve((req, res) => {
      if (req.url === '/moved') {
        res.writeHead(302, { location: '/cifar.tar.gz' }).end();
        return;
      }
      res.writeHead(200, { 'content-length': archive.length }).end(archive);
    });
    const outDir = path.join(dir, 'cifar');
    const progress: number[] = [];
    const result = await fetchCifar100({ outDir, url: `${server.url}/moved`, md5: md5(archive), timeoutMs: 2000, onProgress: (n) => progress.push(n) });
    expect(result.records).toEqual({ train: 3, test: 2 });
    expect(result.md5).toBe(md5(archive));
    expect(result.archiveBytes).toBe(archive.length);
    expect(progress[progress.length - 1]).toBe(archive.length);
    for (const [name, body] of Object.entries(files)) expect(fs.readFileSync(path.join(outDir, name)).equals(body)).toBe(true);
    expect(fs.readdirSync(outDir).sort()).toEqual(['coarse_label_names.txt', 'fine_label_names.txt', 'test.bin', 'train.bin']);
    expect(leftovers()).toEqual(['cifar']);
    expect(loadCifar100Sync({ dir: outDir, split: 'train' }).count).toBe(3);
  });

  it('fails with E_CHECKSUM_MISMATCH and leaves no file when the md5 differs', async () => {
    server = await serve((_req, res) => res.end(archive));
    const outDir = path.join(dir, 'cifar');
    const err = await errorOf(fetchCifar100({ outDir, url: `${server.url}/a.tar.gz`, md5: '0'.repeat(32), timeoutMs: 2000 }));
    expect(err.code).toBe('E_CHECKSUM_MISMATCH');
    expect(err.message).toContain(md5(archive));
    expect(leftovers()).toEqual([]);
  });

  it('keeps files already in the out dir untouched when a fetch fails', async () => {
    server = await serve((_req, res) => res.end(archive));
    const outDir = path.join(dir, 'cifar');
    fs.mkdirSync(outDir);
    fs.writeFileSync(path.join(outDir, 'train.bin'), 'old');
    await errorOf(fetchCifar100({ outDir, url: `${server.url}/a.tar.gz`, md5: '0'.repeat(32), timeoutMs: 2000 }));
    expect(fs.readFileSync(path.join(outDir, 'train.bin'), 'utf8')).toBe('old');
    expect(leftovers()).toEqual(['cifar']);
  });

  it('gives E_FETCH_FAILED within the timeout when the server never answers, leaving no partial file', async () => {
    server = await serve(() => {
      /* accept the request and never answer */
    });
    const outDir = path.join(dir, 'cifar');
    const started = Date.now();
    const err = await errorOf(fetchCifar100({ outDir, url: `${server.url}/a.tar.gz`, timeoutMs: 300 }));
    expect(err.code).toBe('E_FETCH_FAILED');
    expect(err.message).toMatch(/no data for 300 ms/);
    expect(err.message).not.toMatch(/\n/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(leftovers()).toEqual([]);
  });

  it('gives E_FETCH_FAILED when the body stalls halfway, leaving no partial file', async () => {
    server = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': archive.length });
      res.write(archive.subarray(0, 100));
    });
    const err = await errorOf(fetchCifar100({ outDir: path.join(dir, 'cifar'), url: `${server.url}/a`, md5: md5(archive), timeoutMs: 300 }));
    expect(err.code).toBe('E_FETCH_FAILED');
    expect(leftovers()).toEqual([]);
  });

  it('gives E_FETCH_FAILED for a refused connection and for an HTTP error status', async () => {
    server = await serve((_req, res) => res.writeHead(404).end());
    const notFound = await errorOf(fetchCifar100({ outDir: path.join(dir, 'cifar'), url: `${server.url}/missing`, timeoutMs: 2000 }));
    expect(notFound.code).toBe('E_FETCH_FAILED');
    expect(notFound.message).toMatch(/HTTP 404/);
    const closedUrl = server.url;
    await server.close();
    server = undefined;
    const refused = await errorOf(fetchCifar100({ outDir: path.join(dir, 'cifar'), url: `${closedUrl}/a`, timeoutMs: 2000 }));
    expect(refused.code).toBe('E_FETCH_FAILED');
    expect(refused.message).toMatch(/ECONNREFUSED/);
    expect(leftovers()).toEqual([]);
  });

  it('gives E_ARCHIVE_INVALID when the archive lacks one of the four files', async () => {
    const partial = makeTarGz([{ name: 'cifar-100-binary/train.bin', body: Buffer.alloc(3074) }]);
    server = await serve((_req, res) => res.end(partial));
    const err = await errorOf(fetchCifar100({ outDir: path.join(dir, 'cifar'), url: `${server.url}/a`, md5: md5(partial), timeoutMs: 2000 }));
    expect(err.code).toBe('E_ARCHIVE_INVALID');
    expect(err.message).toMatch(/lacks test\.bin, fine_label_names\.txt, coarse_label_names\.txt/);
    expect(leftovers()).toEqual([]);
  });

  it('rejects a bad md5 option and a non-positive timeout before any request', async () => {
    await expect(fetchCifar100({ outDir: dir, md5: 'xyz' })).rejects.toThrow(/^md5/);
    await expect(fetchCifar100({ outDir: dir, timeoutMs: 0 })).rejects.toThrow(/^timeoutMs/);
  });
});
