import fc from 'fast-check';
import { assignStudents } from '@wearnet/partition';

describe('assignStudents', () => {
  it('trains student i from part i mod M (Jeong et al.: S = 4, M = 2 gives parts 0, 1, 0, 1)', () => {
    expect(assignStudents({ parts: 2, students: 4 })).toEqual([0, 1, 0, 1]);
    expect(assignStudents({ parts: 4, students: 8 })).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
  });

  it('gives one student per part when S = M (plain NoNN)', () => {
    expect(assignStudents({ parts: 3, students: 3 })).toEqual([0, 1, 2]);
  });

  it('gives every part at least two students whenever S != M', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 40 }), (parts, students) => {
        fc.pre(students !== parts && 2 * parts <= students);
        const counts = new Array<number>(parts).fill(0);
        for (const p of assignStudents({ parts, students })) counts[p]++;
        expect(Math.min(...counts)).toBeGreaterThanOrEqual(2);
      }),
    );
  });

  it('rejects M > S/2 (other than S = M) with E_PARTS_EXCEED_HALF', () => {
    expect(() => assignStudents({ parts: 3, students: 5 })).toThrow(expect.objectContaining({ code: 'E_PARTS_EXCEED_HALF' }));
    expect(() => assignStudents({ parts: 4, students: 2 })).toThrow(expect.objectContaining({ code: 'E_PARTS_EXCEED_HALF' }));
  });

  it('rejects a non-integer or zero count with E_OPTION_INVALID naming the option', () => {
    expect(() => assignStudents({ parts: 0, students: 2 })).toThrow(expect.objectContaining({ code: 'E_OPTION_INVALID', cause: expect.any(RangeError) }));
    expect(() => assignStudents({ parts: 1, students: 2.5 })).toThrow(/'students'/);
  });
});
