/** Input checks of the chart builders; each throws a TypeError or RangeError naming the option. */

export function array<T>(value: readonly T[] | undefined, name: string): readonly T[] {
  if (!Array.isArray(value)) throw new TypeError(`${name} must be an array`);
  return value;
}

export function finite(value: number, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`${name} must be a finite number, got ${String(value)}`);
  return value;
}

export function nonNegative(value: number, name: string): number {
  if (finite(value, name) < 0) throw new RangeError(`${name} must be >= 0, got ${value}`);
  return value;
}

export function fraction(value: number, name: string): number {
  if (finite(value, name) < 0 || value > 1) throw new RangeError(`${name} must be within 0..1, got ${value}`);
  return value;
}

export function positiveInt(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  return value;
}

export function nonNegativeInt(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be an integer >= 0, got ${String(value)}`);
  return value;
}

/** Series names must be non-empty and unique: they key the colours. */
export function uniqueNames(names: readonly string[], name: string): readonly string[] {
  const seen = new Set<string>();
  names.forEach((n, i) => {
    if (typeof n !== 'string' || n === '') throw new TypeError(`${name}[${i}].name must be a non-empty string`);
    if (seen.has(n)) throw new RangeError(`${name}[${i}].name "${n}" appears twice`);
    seen.add(n);
  });
  return names;
}
