import fc from 'fast-check';
import { assignmentFromParts, balancedSizes, partsFromAssignment } from '@wearnet/partition';

describe('balancedSizes', () => {
  it('sums to the filter count with sizes differing by at most 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 64 }), (filters, parts) => {
        fc.pre(parts <= filters);
        const sizes = balancedSizes(filters, parts);
        expect(sizes).toHaveLength(parts);
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(filters);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('partsFromAssignment / assignmentFromParts', () => {
  it('are inverse to each other', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1, max: 3 }), { minLength: 1, maxLength: 30 }), (labels) => {
        const lists = partsFromAssignment(labels, 4);
        expect(Array.from(assignmentFromParts(labels.length, lists.parts))).toEqual(labels);
      }),
    );
  });

  it('reject a filter in two parts or out of range with E_PARTITION_INVALID', () => {
    expect(() => assignmentFromParts(3, [[0, 1], [1]])).toThrow(expect.objectContaining({ code: 'E_PARTITION_INVALID' }));
    expect(() => assignmentFromParts(3, [[3]])).toThrow(expect.objectContaining({ code: 'E_PARTITION_INVALID' }));
    expect(() => partsFromAssignment([0, 5], 2)).toThrow(expect.objectContaining({ code: 'E_PARTITION_INVALID' }));
  });
});
