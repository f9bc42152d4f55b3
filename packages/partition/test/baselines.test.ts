import fc from 'fast-check';
import { blockPartition, partsFromAssignment, randomBalancedPartition } from '@wearnet/partition';

const counts = fc
  .integer({ min: 1, max: 60 })
  .chain((filters) => fc.record({ filters: fc.constant(filters), parts: fc.integer({ min: 1, max: filters }), seed: fc.nat() }));

describe('randomBalancedPartition and blockPartition', () => {
  it('assign every filter exactly once into parts whose sizes differ by at most 1', () => {
    fc.assert(
      fc.property(counts, fc.boolean(), (options, random) => {
        const assignment = random ? randomBalancedPartition(options) : blockPartition(options);
        const { parts, unused } = partsFromAssignment(assignment, options.parts);
        expect(unused).toEqual([]);
        expect(parts.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: options.filters }, (_, i) => i));
        const sizes = parts.map((p) => p.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('blocks are contiguous index ranges in part order', () => {
    expect(Array.from(blockPartition({ filters: 7, parts: 3 }))).toEqual([0, 0, 0, 1, 1, 2, 2]);
  });

  it('random gives the same partition for the same seed and another one for another seed', () => {
    fc.assert(
      fc.property(counts, ({ filters, parts, seed }) => {
        expect(randomBalancedPartition({ filters, parts, seed })).toEqual(randomBalancedPartition({ filters, parts, seed }));
      }),
    );
    const a = randomBalancedPartition({ filters: 64, parts: 4, seed: 1 });
    const b = randomBalancedPartition({ filters: 64, parts: 4, seed: 2 });
    expect(Array.from(a)).not.toEqual(Array.from(b));
  });

  it('rejects more parts than filters with E_TOO_MANY_PARTS', () => {
    expect(() => blockPartition({ filters: 3, parts: 4 })).toThrow(expect.objectContaining({ code: 'E_TOO_MANY_PARTS' }));
    expect(() => randomBalancedPartition({ filters: 3, parts: 4 })).toThrow(expect.objectContaining({ code: 'E_TOO_MANY_PARTS' }));
  });
});
