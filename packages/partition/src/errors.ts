/**
 * Stable codes of every error this package throws. Each code is listed with its meaning in
 * packages/partition/README.md.
 */
export type PartitionErrorCode =
  | 'E_ACTIVATIONS_INVALID'
  | 'E_NON_FINITE'
  | 'E_RAGGED'
  | 'E_EMPTY'
  | 'E_TOO_MANY_PARTS'
  | 'E_EMPTY_GRAPH'
  | 'E_TOO_FEW_COMMUNITIES'
  | 'E_PARTS_EXCEED_HALF'
  | 'E_OPTION_INVALID'
  | 'E_PARTITION_INVALID';

/** The one error class of `@wearnet/partition`: a stable `code` plus the original error in `cause`. */
export class PartitionError extends Error {
  /** Stable machine-readable code, e.g. `E_NON_FINITE`. */
  readonly code: PartitionErrorCode;

  constructor(code: PartitionErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PartitionError';
    this.code = code;
  }
}

/**
 * Throws `E_OPTION_INVALID` for a bad option; `cause` is the `RangeError` (bad value) or
 * `TypeError` (bad type) that names the option, as STYLE.md asks of option resolvers.
 */
export function invalidOption(name: string, expected: string, value: unknown, kind: 'range' | 'type' = 'range'): never {
  const message = `option '${name}' must be ${expected}, got ${describe(value)}`;
  const cause = kind === 'type' ? new TypeError(message) : new RangeError(message);
  throw new PartitionError('E_OPTION_INVALID', message, { cause });
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
