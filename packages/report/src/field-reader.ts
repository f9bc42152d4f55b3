import { ReportError, type ReportErrorCode } from './errors';

type Obj = Record<string, unknown>;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}...` : value}"`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/**
 * Reads typed fields out of parsed JSON; every mismatch throws a ReportError whose message is
 * `<where>: <field path>: expected <what>, got <value>` (where = `file` or `file:line`).
 */
export class FieldReader {
  constructor(
    readonly where: string,
    private readonly code: ReportErrorCode = 'E_RESULTS_INVALID',
  ) {}

  /** A ReportError about `path` (or about the whole value when `path` is empty). */
  error(path: string, message: string): ReportError {
    return new ReportError(this.code, `${this.where}: ${path === '' ? '' : `${path}: `}${message}`);
  }

  private expected(path: string, what: string, value: unknown): ReportError {
    return this.error(path, `expected ${what}, got ${describe(value)}`);
  }

  object(value: unknown, path: string): Obj {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw this.expected(path, 'an object', value);
    return value as Obj;
  }

  array(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) throw this.expected(path, 'an array', value);
    return value;
  }

  /** A finite number. */
  number(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw this.expected(path, 'a finite number', value);
    return value;
  }

  /** A finite number, or null (how JSON writes NaN, e.g. a percentile of no values): NaN. */
  numberOrNull(value: unknown, path: string): number {
    return value === null ? NaN : this.number(value, path);
  }

  /** An integer >= 0. */
  count(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw this.expected(path, 'an integer >= 0', value);
    return value;
  }

  boolean(value: unknown, path: string): boolean {
    if (typeof value !== 'boolean') throw this.expected(path, 'true or false', value);
    return value;
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string') throw this.expected(path, 'a string', value);
    return value;
  }

  /** One of `allowed`. */
  literal<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) throw this.expected(path, `one of ${allowed.join(', ')}`, value);
    return value as T;
  }

  optional<T>(value: unknown, read: (v: unknown) => T): T | undefined {
    return value === undefined ? undefined : read(value);
  }
}

/** Parses JSON text, turning a syntax error into a ReportError naming `where`. */
export function parseJson(text: string, where: string, code: ReportErrorCode = 'E_RESULTS_INVALID'): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ReportError(code, `${where}: not valid JSON (${(cause as Error).message})`, { cause });
  }
}
