/** The value at a path inside a chart spec (tests read specs as plain JSON). */
export function at(value: unknown, ...keys: (string | number)[]): unknown {
  let v = value;
  for (const k of keys) {
    if (typeof v !== 'object' || v === null) throw new Error(`no ${String(k)} in ${JSON.stringify(v)}`);
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

/** Rows of inline data at a path. */
export function rows(value: unknown, ...keys: (string | number)[]): Record<string, unknown>[] {
  return at(value, ...keys, 'data', 'values') as Record<string, unknown>[];
}
