import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildProgram } from '../src/main';
import { writeSyntheticEvaluation, writeSyntheticRun } from '../../report/test/synthetic-runs';

async function run(args: string[]): Promise<{ stdout: string; error?: { code?: string; message: string } }> {
  let stdout = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  try {
    await buildProgram()
      .exitOverride()
      .parseAsync(['node', 'wearnet', ...args]);
    return { stdout };
  } catch (e) {
    return { stdout, error: e as { code?: string; message: string } };
  } finally {
    out.mockRestore();
  }
}

describe('wearnet report', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wearnet-cli-report-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes report.html with the offline curve and requests.csv, and prints their paths', async () => {
    const runDir = path.join(dir, 'run');
    writeSyntheticRun({ dir: runDir, method: 'nonn', requests: 10 });
    const evaluation = path.join(dir, 'evaluation.json');
    writeSyntheticEvaluation(evaluation, 'nonn', 4);
    const out = path.join(dir, 'out', 'r.html');
    const { stdout, error } = await run(['report', runDir, '--offline', evaluation, '--out', out, '--title', 'T', '--max-timelines', '0']);
    expect(error).toBeUndefined();
    expect(stdout).toContain('charts: accuracy-vs-failed, latency-cdf, bytes-per-inference, energy');
    expect(stdout).toContain(`csv     ${path.join(runDir, 'requests.csv')}`);
    const html = fs.readFileSync(out, 'utf8');
    expect(html).toContain('<title>T</title>');
    expect(html).toContain('offline evaluation');
  });

  it('fails with E_RESULTS_MISSING for a directory that is not a run', async () => {
    const { error } = await run(['report', path.join(dir, 'nope')]);
    expect(error?.code).toBe('E_RESULTS_MISSING');
  });
});
