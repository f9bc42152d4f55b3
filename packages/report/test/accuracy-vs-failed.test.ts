import { accuracyVsFailedChart, END_TO_END, OFFLINE } from '../src/index';
import { at, rows } from './spec-at';

describe('accuracyVsFailedChart', () => {
  it('draws each method end to end and offline, coloured by method in the given order', () => {
    const spec = accuracyVsFailedChart({
      methods: [
        {
          name: 'nonn',
          endToEnd: [
            { failed: 0, accuracy: 0.7 },
            { failed: 2, accuracy: 0.3 },
          ],
          offline: [{ failed: 0, accuracy: 0.72 }],
        },
        { name: 'averaging', endToEnd: [{ failed: 1, accuracy: 0.6 }] },
      ],
    });
    expect(rows(spec)).toEqual([
      { method: 'nonn', source: END_TO_END, failed: 0, accuracy: 0.7 },
      { method: 'nonn', source: OFFLINE, failed: 0, accuracy: 0.72 },
      { method: 'averaging', source: END_TO_END, failed: 1, accuracy: 0.6 },
      { method: 'nonn', source: END_TO_END, failed: 2, accuracy: 0.3 },
    ]);
    expect(at(spec, 'encoding', 'color', 'scale', 'domain')).toEqual(['nonn', 'averaging']);
    expect(at(spec, 'encoding', 'x', 'scale', 'domain')).toEqual([0, 2]);
    expect(at(spec, 'layer', 0, 'encoding', 'strokeDash', 'scale', 'domain')).toEqual([END_TO_END, OFFLINE]);
  });

  it('leaves the offline style out of the legend when no offline curve is given', () => {
    const spec = accuracyVsFailedChart({ methods: [{ name: 'nonn', endToEnd: [{ failed: 0, accuracy: 0.7 }] }] });
    expect(at(spec, 'layer', 0, 'encoding', 'strokeDash', 'scale', 'domain')).toEqual([END_TO_END]);
  });

  it('rejects an accuracy outside 0..1, a fractional failed count and a repeated method with errors naming the field', () => {
    expect(() => accuracyVsFailedChart({ methods: [{ name: 'a', endToEnd: [{ failed: 0, accuracy: 1.5 }] }] })).toThrow(
      new RangeError('methods[0].endToEnd[0].accuracy must be within 0..1, got 1.5'),
    );
    expect(() => accuracyVsFailedChart({ methods: [{ name: 'a', endToEnd: [], offline: [{ failed: 0.5, accuracy: 0.5 }] }] })).toThrow(
      /methods\[0\]\.offline\[0\]\.failed/,
    );
    expect(() =>
      accuracyVsFailedChart({
        methods: [
          { name: 'a', endToEnd: [] },
          { name: 'a', endToEnd: [] },
        ],
      }),
    ).toThrow(/methods\[1\]\.name "a" appears twice/);
    expect(() => accuracyVsFailedChart({} as never)).toThrow(new TypeError('methods must be an array'));
  });
});
