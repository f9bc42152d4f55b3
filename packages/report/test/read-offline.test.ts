import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseOfflineEvaluation, readOfflineEvaluation } from '../src/index';
import { writeSyntheticEvaluation } from './synthetic-runs';

const rows = [
  { failed: 1, sets: 4, mean: 0.6, min: 0.5, max: 0.7 },
  { failed: 0, sets: 1, mean: 0.7, min: 0.7, max: 0.7 },
];

describe('parseOfflineEvaluation', () => {
  it('reads the rows of an evaluation.json, sorted by failed devices', () => {
    expect(parseOfflineEvaluation({ method: 'nonn', devices: 4, rows }, 'e.json')).toEqual({
      method: 'nonn',
      devices: 4,
      file: 'e.json',
      points: [
        { failed: 0, accuracy: 0.7 },
        { failed: 1, accuracy: 0.6 },
      ],
    });
  });

  it('reads the failures table of a distillation manifest.json', () => {
    const curve = parseOfflineEvaluation({ format: 'wearnet-distil', method: 'averaging', failures: { devices: 4, rows } }, 'manifest.json');
    expect(curve.method).toBe('averaging');
    expect(curve.points).toHaveLength(2);
  });

  it('fails with E_OFFLINE_INVALID naming the bad field', () => {
    expect(() => parseOfflineEvaluation({ method: 'nonn', devices: 4, rows: [{ failed: 0, mean: 1.2 }] }, 'e.json')).toThrow(
      expect.objectContaining({ code: 'E_OFFLINE_INVALID', message: 'e.json: rows[0].mean: accuracy 1.2 outside 0..1' }),
    );
    expect(() => parseOfflineEvaluation({ format: 'wearnet-distil', method: 'nonn' }, 'm.json')).toThrow(
      expect.objectContaining({ code: 'E_OFFLINE_INVALID', message: 'm.json: failures: expected an object, got undefined' }),
    );
    expect(() => parseOfflineEvaluation({ method: 'nonn', devices: 2, rows: [{ failed: 3, mean: 0.1 }] }, 'e.json')).toThrow(
      expect.objectContaining({ code: 'E_OFFLINE_INVALID' }),
    );
  });
});

describe('readOfflineEvaluation', () => {
  it('reads a file and fails with E_OFFLINE_INVALID when it is missing or not JSON', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wearnet-report-offline-'));
    try {
      const file = path.join(dir, 'evaluation.json');
      writeSyntheticEvaluation(file, 'nonn', 4);
      expect((await readOfflineEvaluation(file)).points).toHaveLength(5);
      await expect(readOfflineEvaluation(path.join(dir, 'nope.json'))).rejects.toMatchObject({ code: 'E_OFFLINE_INVALID' });
      writeFileSync(file, '{');
      await expect(readOfflineEvaluation(file)).rejects.toMatchObject({ code: 'E_OFFLINE_INVALID', message: expect.stringContaining('not valid JSON') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
