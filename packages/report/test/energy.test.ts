import { COMPUTE, energyChart, RADIO } from '../src/index';
import { at, rows } from './spec-at';

describe('energyChart', () => {
  it('stacks radio and compute energy per device in µJ', () => {
    const spec = energyChart({ groups: [{ name: 'nonn', devices: [{ id: 'device-0', radioNj: 294000, computeNj: 643000 }] }] });
    expect(rows(spec)).toEqual([
      { group: 'nonn', device: 'device-0', component: RADIO, energyUj: 294 },
      { group: 'nonn', device: 'device-0', component: COMPUTE, energyUj: 643 },
    ]);
    expect(at(spec, 'encoding', 'column')).toBeUndefined();
  });

  it('puts several groups side by side and keeps the device order', () => {
    const devices = [
      { id: 'b', radioNj: 1, computeNj: 1 },
      { id: 'a', radioNj: 1, computeNj: 1 },
    ];
    const spec = energyChart({
      groups: [
        { name: 'x', devices },
        { name: 'y', devices },
      ],
    });
    expect(at(spec, 'encoding', 'column', 'field')).toBe('group');
    expect(at(spec, 'encoding', 'x', 'sort')).toEqual(['b', 'a']);
  });

  it('rejects negative energy naming the field', () => {
    expect(() => energyChart({ groups: [{ name: 'x', devices: [{ id: 'a', radioNj: -1, computeNj: 0 }] }] })).toThrow(
      new RangeError('groups[0].devices[0].radioNj must be >= 0, got -1'),
    );
  });
});
