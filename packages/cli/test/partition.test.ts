import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRng, encodeActivations, parsePartitionJson } from '@wearnet/partition';
import { buildProgram } from '../src/main';

async function run(args: string[]): Promise<{ stdout: string; stderr: string; error?: { code?: string; message: string } }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    await buildProgram()
      .exitOverride()
      .parseAsync(['node', 'wearnet', ...args]);
    return { stdout, stderr };
  } catch (e) {
    return { stdout, stderr, error: e as { code?: string; message: string } };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** 4 planted groups of 6 filters over 300 images. */
function activationsFile(dir: string): string {
  const rng = createRng(4);
  const images = 300;
  const filters = 24;
  const data = new Float32Array(images * filters);
  for (let i = 0; i < images; i++) {
    const on = [0, 1, 2, 3].map(() => (rng.float() < 0.3 ? 0.5 + rng.float() : 0));
    for (let f = 0; f < filters; f++) data[i * filters + f] = (on[f % 4] as number) + (rng.float() - 0.5) * 0.2;
  }
  const file = path.join(dir, 'acts.wnac');
  fs.writeFileSync(file, encodeActivations({ images, filters, data }, { source: { test: true } }));
  return file;
}

describe('wearnet partition', () => {
  let dir: string;
  let acts: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wearnet-cli-partition-'));
    acts = activationsFile(dir);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes a partition file with --out and prints a summary naming the seed', async () => {
    const out = path.join(dir, 'partition.json');
    const r = await run(['partition', '--activations', acts, '--parts', '4', '--seed', '7', '--out', out]);
    expect(r.error).toBeUndefined();
    const partition = parsePartitionJson(fs.readFileSync(out, 'utf8'));
    expect(partition.method).toBe('balanced');
    expect(partition.seed).toBe(7);
    // The planted groups are the residues mod 4; part order is not meaningful.
    const byFirst = (a: number[], b: number[]) => (a[0] as number) - (b[0] as number);
    expect([...partition.parts].sort(byFirst)).toEqual([0, 1, 2, 3].map((g) => [0, 1, 2, 3, 4, 5].map((k) => 4 * k + g)));
    expect(partition.source).toEqual({ activations: acts, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), header: { test: true } });
    expect(r.stdout).toMatch(/seed 7/);
    expect(r.stdout).toMatch(/wrote /);
  });

  it('prints the partition to stdout without --out and the JSON report on stderr with --json', async () => {
    const r = await run(['partition', '--activations', acts, '--parts', '2', '--students', '4', '--method', 'random', '--json']);
    expect(r.error).toBeUndefined();
    const partition = parsePartitionJson(r.stdout);
    expect(partition.students).toEqual([0, 1, 0, 1]);
    const report = JSON.parse(r.stderr.slice(r.stderr.indexOf('{')));
    expect(report.seed).toBe(1);
    expect(report.report.sizes).toEqual([12, 12]);
  });

  it('fails with the partition error code on a corrupt activations file', async () => {
    fs.writeFileSync(acts, 'WNAC\x05\x00\x00\x00{"a":');
    const r = await run(['partition', '--activations', acts, '--parts', '2']);
    expect(r.error?.code).toBe('E_ACTIVATIONS_INVALID');
  });

  it('fails with E_PARTS_EXCEED_HALF for 3 parts over 4 students', async () => {
    const r = await run(['partition', '--activations', acts, '--parts', '3', '--students', '4']);
    expect(r.error?.code).toBe('E_PARTS_EXCEED_HALF');
  });
});
