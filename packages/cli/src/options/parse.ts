import { InvalidArgumentError } from 'commander';

/** Commander parser of a positive integer flag. */
export function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer`);
    return n;
  };
}

/** Commander parser of a non-negative integer flag. */
export function nonNegativeInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer`);
    return n;
  };
}

/** Commander parser of a probability in [0, 1). */
export function probability(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!(n >= 0 && n < 1)) throw new InvalidArgumentError(`${name} must be a number in [0, 1)`);
    return n;
  };
}
