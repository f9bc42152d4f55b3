import { expectedAccuracyChart, parseOfflineEvaluation } from '../src/index';
import { at, rows } from './spec-at';

const rowsOf = [{ failed: 0, mean: 0.7 }];

describe('expected accuracy under availability p', () => {
  it("reads every fill's expected accuracy from evaluation.json, sorted by fill and p", () => {
    const curve = parseOfflineEvaluation(
      {
        method: 'averaging',
        devices: 8,
        rows: rowsOf,
        fill: 'zero',
        expected: { '0.9': 0.6, '0.99': 0.69 },
        fills: [
          { fill: 'zero', expected: { '0.9': 0.6, '0.99': 0.69 } },
          { fill: 'mean', expected: { '0.9': 0.62 } },
        ],
      },
      'e.json',
    );
    expect(curve.expected).toEqual([
      { fill: 'mean', p: 0.9, accuracy: 0.62 },
      { fill: 'zero', p: 0.9, accuracy: 0.6 },
      { fill: 'zero', p: 0.99, accuracy: 0.69 },
    ]);
    expect(parseOfflineEvaluation({ method: 'nonn', devices: 8, rows: rowsOf, expected: { '0.8': 0.5 } }, 'e.json').expected).toEqual([
      { fill: 'zero', p: 0.8, accuracy: 0.5 },
    ]);
  });

  it('leaves it out when the evaluation has none (a distillation manifest, an older evaluate)', () => {
    expect(parseOfflineEvaluation({ method: 'nonn', devices: 8, rows: rowsOf }, 'e.json').expected).toBeUndefined();
  });

  it('rejects an availability or accuracy outside 0..1 with E_OFFLINE_INVALID naming the field', () => {
    expect(() => parseOfflineEvaluation({ method: 'nonn', devices: 8, rows: rowsOf, expected: { '1.5': 0.5 } }, 'e.json')).toThrow(
      expect.objectContaining({ code: 'E_OFFLINE_INVALID', message: expect.stringContaining('expected.1.5') }),
    );
    expect(() => parseOfflineEvaluation({ method: 'nonn', devices: 8, rows: rowsOf, expected: { '0.9': 2 } }, 'e.json')).toThrow(/accuracy 2 outside/);
  });

  it('draws one line per model set over p', () => {
    const spec = expectedAccuracyChart({
      series: [
        {
          name: 'averaging, zero-fill',
          points: [
            { p: 0.8, accuracy: 0.6 },
            { p: 0.99, accuracy: 0.7 },
          ],
        },
        { name: 'nonn, zero-fill', points: [{ p: 0.8, accuracy: 0.4 }] },
      ],
    });
    expect(rows(spec)).toEqual([
      { series: 'averaging, zero-fill', p: 0.8, accuracy: 0.6 },
      { series: 'averaging, zero-fill', p: 0.99, accuracy: 0.7 },
      { series: 'nonn, zero-fill', p: 0.8, accuracy: 0.4 },
    ]);
    expect(at(spec, 'encoding', 'x', 'scale', 'domain')).toEqual([0.8, 1]);
    expect(() => expectedAccuracyChart({ series: [{ name: 'x', points: [{ p: 2, accuracy: 0.5 }] }] })).toThrow(
      /series\[0\].points\[0\].p must be within 0..1/,
    );
  });
});
