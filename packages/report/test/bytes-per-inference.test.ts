import { bytesPerInferenceChart, DOWN, UP } from '../src/index';
import { at, rows } from './spec-at';

describe('bytesPerInferenceChart', () => {
  it('stacks down and up bytes per method and labels each bar with its total', () => {
    const spec = bytesPerInferenceChart({
      methods: [
        { name: 'modnn', downBytes: 90000, upBytes: 60000.4 },
        { name: 'nonn', downBytes: 12000, upBytes: 1400 },
      ],
    });
    expect(rows(spec, 'layer', 0)).toEqual([
      { method: 'modnn', direction: DOWN, bytes: 90000 },
      { method: 'modnn', direction: UP, bytes: 60000.4 },
      { method: 'nonn', direction: DOWN, bytes: 12000 },
      { method: 'nonn', direction: UP, bytes: 1400 },
    ]);
    expect(rows(spec, 'layer', 1).map((r) => r.label)).toEqual(['150,000 B', '13,400 B']);
    expect(at(spec, 'layer', 0, 'encoding', 'y', 'sort')).toEqual(['modnn', 'nonn']);
  });

  it('rejects negative bytes naming the field', () => {
    expect(() => bytesPerInferenceChart({ methods: [{ name: 'a', downBytes: 1, upBytes: -1 }] })).toThrow(
      new RangeError('methods[0].upBytes must be >= 0, got -1'),
    );
  });
});
