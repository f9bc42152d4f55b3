import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expandRunDirs, readRun, type Logger } from '../src/index';
import { writeSyntheticRun } from './synthetic-runs';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'wearnet-report-read-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function run(name = 'run', method = 'averaging'): string {
  const dir = path.join(root, name);
  writeSyntheticRun({ dir, method, requests: 10 });
  return dir;
}

function editLine(file: string, line: number, edit: (value: Record<string, unknown>) => void): void {
  const lines = readFileSync(file, 'utf8').split('\n');
  const value = JSON.parse(lines[line - 1]) as Record<string, unknown>;
  edit(value);
  lines[line - 1] = JSON.stringify(value);
  writeFileSync(file, lines.join('\n'));
}

function editSummary(dir: string, edit: (value: Record<string, unknown>) => void): void {
  const file = path.join(dir, 'summary.json');
  const value = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(value);
  writeFileSync(file, JSON.stringify(value));
}

describe('readRun', () => {
  it('reads the records and summary of a run directory, ignoring logs and extra fields', async () => {
    const dir = run();
    editLine(path.join(dir, 'requests.jsonl'), 1, (r) => {
      r.futureField = 'kept out';
    });
    const result = await readRun(dir);
    expect(result.records).toHaveLength(10);
    expect(result.records[0]).not.toHaveProperty('futureField');
    expect(result.method).toBe('averaging');
    expect(result.id).toBe('run');
    expect(result.summary.devices.map((d) => d.id)).toEqual(['device-0', 'device-1', 'device-2', 'device-3']);
    expect(result.summary.devices[0].energyNjPerInference?.total).toBeGreaterThan(0);
  });

  it('fails with E_RESULTS_MISSING naming a missing directory, summary.json or requests.jsonl', async () => {
    await expect(readRun(path.join(root, 'nope'))).rejects.toMatchObject({ code: 'E_RESULTS_MISSING', message: expect.stringContaining('nope') });
    const dir = run();
    unlinkSync(path.join(dir, 'requests.jsonl'));
    await expect(readRun(dir)).rejects.toMatchObject({ code: 'E_RESULTS_MISSING', message: expect.stringContaining(path.join(dir, 'requests.jsonl')) });
    unlinkSync(path.join(dir, 'summary.json'));
    await expect(readRun(dir)).rejects.toMatchObject({ code: 'E_RESULTS_MISSING', message: expect.stringContaining(path.join(dir, 'summary.json')) });
  });

  it('fails with E_RESULTS_INVALID naming file, line and field of a bad record', async () => {
    const dir = run();
    const file = path.join(dir, 'requests.jsonl');
    editLine(file, 3, (r) => {
      r.latencyMs = 'slow';
    });
    await expect(readRun(dir)).rejects.toMatchObject({ code: 'E_RESULTS_INVALID', message: `${file}:3: latencyMs: expected a finite number, got "slow"` });
    editLine(file, 3, (r) => {
      r.latencyMs = 1;
      (r.devices as Record<string, Record<string, unknown>>)['device-0'] = { missing: 'eaten' };
    });
    await expect(readRun(dir)).rejects.toMatchObject({
      code: 'E_RESULTS_INVALID',
      message: expect.stringMatching(/requests\.jsonl:3: devices\.device-0\.missing: expected one of not-connected/),
    });
  });

  it('fails with E_RESULTS_INVALID on a line that is not JSON (a truncated write)', async () => {
    const dir = run();
    const file = path.join(dir, 'requests.jsonl');
    writeFileSync(file, `${readFileSync(file, 'utf8')}{"id":10,"sam`);
    await expect(readRun(dir)).rejects.toMatchObject({ code: 'E_RESULTS_INVALID', message: expect.stringContaining(`${file}:11: not valid JSON`) });
  });

  it('fails with E_RESULTS_INVALID when records and summary disagree', async () => {
    const dir = run();
    const file = path.join(dir, 'requests.jsonl');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text + text.split('\n')[0] + '\n');
    await expect(readRun(dir)).rejects.toMatchObject({
      code: 'E_RESULTS_INVALID',
      message: `${file}:11: id: request 0 appears twice (records of two runs in one file?)`,
    });
    writeFileSync(file, text.split('\n').slice(1).join('\n'));
    await expect(readRun(dir)).rejects.toMatchObject({ code: 'E_RESULTS_INVALID', message: expect.stringContaining('holds 9 records but') });
    writeFileSync(file, text);
    editLine(file, 2, (r) => {
      (r.devices as Record<string, unknown>)['device-9'] = {};
    });
    await expect(readRun(dir)).rejects.toMatchObject({
      code: 'E_RESULTS_INVALID',
      message: expect.stringContaining(':2: devices.device-9: not a device of summary.json'),
    });
  });

  it('fails with E_RESULTS_INVALID naming the field of a bad summary', async () => {
    const dir = run();
    editSummary(dir, (s) => {
      (s.requests as Record<string, unknown>).accuracy = null;
    });
    await expect(readRun(dir)).rejects.toMatchObject({
      code: 'E_RESULTS_INVALID',
      message: `${path.join(dir, 'summary.json')}: requests.accuracy: expected a finite number, got null`,
    });
    editSummary(dir, (s) => {
      s.format = 'something-else';
    });
    await expect(readRun(dir)).rejects.toMatchObject({ code: 'E_RESULTS_INVALID', message: expect.stringContaining('format: expected "wearnet-run-summary"') });
  });

  it('names the method after the bundle set when the summary does not name it, else after the run', async () => {
    const dir = run();
    const bundles = path.join(root, 'bundles');
    mkdirSync(path.join(bundles, 'aggregator'), { recursive: true });
    writeFileSync(path.join(bundles, 'set.json'), JSON.stringify({ method: 'random' }));
    writeFileSync(path.join(bundles, 'aggregator', 'manifest.json'), JSON.stringify({ fusion: 'concat' }));
    editSummary(dir, (s) => {
      const r = s.run as Record<string, unknown>;
      delete r.method;
      r.bundles = bundles;
    });
    expect((await readRun(dir)).method).toBe('nonn (random bundles)');
    writeFileSync(path.join(bundles, 'set.json'), JSON.stringify({ method: 'averaging' }));
    expect((await readRun(dir)).method).toBe('averaging');
    rmSync(bundles, { recursive: true });
    expect((await readRun(dir)).method).toBe('synthetic');
  });
});

describe('expandRunDirs', () => {
  it('stands a directory without a summary for its run subdirectories, skipping an interrupted run with a warning', async () => {
    run('b');
    run('a');
    mkdirSync(path.join(root, 'interrupted'));
    writeFileSync(path.join(root, 'interrupted', 'requests.jsonl'), '');
    const warnings: string[] = [];
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (_o, msg) => void warnings.push(msg ?? ''),
      error: () => undefined,
      child: () => logger,
    };
    expect(await expandRunDirs([root], logger)).toEqual([path.join(root, 'a'), path.join(root, 'b')]);
    expect(warnings).toEqual([expect.stringContaining('interrupted')]);
    expect(await expandRunDirs([path.join(root, 'b')])).toEqual([path.join(root, 'b')]);
  });

  it('fails with E_RESULTS_MISSING for a path that does not exist or holds no run', async () => {
    await expect(expandRunDirs([path.join(root, 'nope')])).rejects.toMatchObject({ code: 'E_RESULTS_MISSING' });
    await expect(expandRunDirs([root])).rejects.toMatchObject({ code: 'E_RESULTS_MISSING', message: expect.stringContaining('no subdirectory') });
  });
});
