import { PartitionError, invalidOption } from './errors';

/** Options of {@link assignStudents}. */
export interface AssignStudentsOptions {
  /** Number of parts M, >= 1. */
  readonly parts: number;
  /** Number of students (devices) S, >= 1. */
  readonly students: number;
}

/**
 * Part trained into each student. With S = M (plain NoNN) student i takes part i. Otherwise
 * this is the averaging assignment of Jeong, Park, Yang (2021): student i takes part `i mod M`,
 * which needs M <= S/2 so that every part has at least two students (`E_PARTS_EXCEED_HALF`
 * otherwise). Returns one part index per student.
 */
export function assignStudents(options: AssignStudentsOptions): number[] {
  const { parts, students } = options;
  if (!Number.isSafeInteger(parts) || parts < 1) invalidOption('parts', 'an integer >= 1', parts);
  if (!Number.isSafeInteger(students) || students < 1) invalidOption('students', 'an integer >= 1', students);
  if (students !== parts && 2 * parts > students) {
    throw new PartitionError('E_PARTS_EXCEED_HALF', `averaging needs parts <= students / 2 (or parts = students), got ${parts} parts for ${students} students`);
  }
  return Array.from({ length: students }, (_, i) => i % parts);
}
