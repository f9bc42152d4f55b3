import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readModnnBundleSet } from '@wearnet/modnn';
import { buildProgram } from '../src/main';

const TEACHER = path.join(__dirname, '..', '..', '..', 'artifacts', 'teacher-quick');

async function run(args: string[]): Promise<{ stdout: string; error?: { message: string } }> {
  let stdout = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  try {
    await buildProgram()
      .exitOverride()
      .parseAsync(['node', 'wearnet', ...args]);
    return { stdout };
  } catch (e) {
    return { stdout, error: e as { message: string } };
  } finally {
    out.mockRestore();
  }
}

describe('wearnet export --mode modnn', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wearnet-export-modnn-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes a MoDNN bundle set from a teacher run that reads back valid, with mixed device classes', async () => {
    const out = path.join(dir, 'modnn-3');
    const { stdout, error } = await run([
      'export',
      '--mode',
      'modnn',
      '--teacher',
      TEACHER,
      '--devices',
      '3',
      '--device-class',
      'cortex-m7-480,cortex-a53-1200,cortex-m7-480',
      '--out',
      out,
    ]);
    expect(error).toBeUndefined();
    expect(stdout).toContain('device-1 (cortex-a53-1200)');
    const set = await readModnnBundleSet(out);
    expect(set.plan.speeds).toEqual([480e6, 2.4e9, 480e6]);
    expect(set.devices.map((d) => d.manifest.deviceClass)).toEqual(['cortex-m7-480', 'cortex-a53-1200', 'cortex-m7-480']);
  });

  it('asks for --teacher in modnn mode and for --run otherwise', async () => {
    expect((await run(['export', '--mode', 'modnn', '--out', path.join(dir, 'x')])).error?.message).toContain('--teacher');
    expect((await run(['export', '--out', path.join(dir, 'y')])).error?.message).toContain('--run');
  });
});
