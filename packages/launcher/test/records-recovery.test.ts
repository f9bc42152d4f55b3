import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { recoverRecords } from '../src/records-recovery';

const cause = { code: 'E_CHILD_FAILED', message: 'aggregator exited (signal SIGKILL)' };
const record = (id: number): string =>
  `${JSON.stringify({ id, sample: id, label: 1, prediction: 1, correct: true, startMs: id, latencyMs: 1, deadlineMissed: false, arrived: ['d0'], devices: { d0: { latencyMs: 1 } }, bytesDown: 1, bytesUp: 1, retries: 0, lostFrames: 0, hostMs: 0 })}\n`;
const issued = (id: number): string => `${JSON.stringify({ id, sample: id, label: 2, startMs: id * 10 })}\n`;

describe('recoverRecords', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'wearnet-recover-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('cuts off a torn last line and writes one cut record, with no prediction, per issued request without a record', () => {
    writeFileSync(path.join(dir, 'requests.jsonl'), record(0) + record(1) + '{"id":2,"sam');
    writeFileSync(path.join(dir, 'issued.jsonl'), issued(0) + issued(1) + issued(2) + issued(3));
    const result = recoverRecords(dir, ['d0', 'd1'], cause);
    expect(result).toMatchObject({ issued: 4, added: 2 });
    expect(result.tornBytes).toBeGreaterThan(0);
    const lines = readFileSync(path.join(dir, 'requests.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((r) => r.id)).toEqual([0, 1, 2, 3]);
    expect(lines[2]).toMatchObject({
      id: 2,
      label: 2,
      prediction: null,
      correct: false,
      startMs: 20,
      arrived: [],
      devices: { d0: { missing: 'cut' }, d1: { missing: 'cut' } },
      cut: cause,
    });
  });

  it('is idempotent and adds nothing when every issued request has its record', () => {
    writeFileSync(path.join(dir, 'requests.jsonl'), record(0));
    writeFileSync(path.join(dir, 'issued.jsonl'), issued(0) + issued(1));
    recoverRecords(dir, ['d0'], cause);
    expect(recoverRecords(dir, ['d0'], cause)).toMatchObject({ issued: 2, added: 0, tornBytes: 0 });
    appendFileSync(path.join(dir, 'requests.jsonl'), '');
    expect(readFileSync(path.join(dir, 'requests.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('copes with a run that never issued anything', () => {
    expect(recoverRecords(dir, ['d0'], cause)).toEqual({ records: [], issued: 0, added: 0, tornBytes: 0 });
  });
});
