import { parsePartitionJson, partitionFilters, toPartitionJson } from '@wearnet/partition';
import { plantedActivations } from './planted';

describe('toPartitionJson / parsePartitionJson', () => {
  const partition = partitionFilters(plantedActivations(120, 24, 4, 5), { method: 'nonn', percentile: 80, parts: 2, students: 4, seed: 9 });

  it('round-trips a partition', () => {
    const text = toPartitionJson(partition);
    const parsed = parsePartitionJson(text);
    expect(parsed).toEqual({ format: 'wearnet-partition', version: 1, ...JSON.parse(JSON.stringify(partition)) });
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('carries an optional source object through', () => {
    const source = { activations: 'a.wnac', sha256: 'ab' };
    expect(parsePartitionJson(toPartitionJson(partition, { source })).source).toEqual(source);
    expect(() => parsePartitionJson({ ...JSON.parse(toPartitionJson(partition)), source: 3 })).toThrow(/source must be an object/);
  });

  it('writes each part on one line', () => {
    const lines = toPartitionJson(partition).split('\n');
    for (const part of partition.parts) expect(lines).toContain(`    ${JSON.stringify(part)}${part === partition.parts.at(-1) ? '' : ','}`);
  });

  const base = {
    format: 'wearnet-partition',
    version: 1,
    method: 'balanced',
    seed: 1,
    filters: 4,
    parts: [
      [0, 1],
      [2, 3],
    ],
    unused: [],
    options: {},
    report: {},
  };
  const cases: Array<[string, unknown, RegExp]> = [
    ['not JSON', '{', /not valid JSON/],
    ['a wrong format', { ...base, format: 'x' }, /format/],
    ['a wrong version', { ...base, version: 2 }, /version/],
    ['an unknown method', { ...base, method: 'kmeans' }, /method/],
    [
      'a filter out of range',
      {
        ...base,
        parts: [
          [0, 1],
          [2, 4],
        ],
      },
      /not a filter index/,
    ],
    [
      'an unsorted part',
      {
        ...base,
        parts: [
          [1, 0],
          [2, 3],
        ],
      },
      /ascending/,
    ],
    [
      'a filter in two parts',
      {
        ...base,
        parts: [
          [0, 1],
          [1, 2, 3],
        ],
      },
      /appears twice/,
    ],
    ['a filter nowhere', { ...base, parts: [[0, 1], [2]] }, /neither in a part nor unused/],
    ['an empty part', { ...base, parts: [[0, 1, 2, 3], []] }, /empty/],
    ['a student without part', { ...base, students: [0, 2] }, /students\[1\]/],
  ];
  it.each(cases)('rejects %s with E_PARTITION_INVALID', (_, input, message) => {
    expect(() => parsePartitionJson(typeof input === 'string' ? input : JSON.stringify(input))).toThrow(
      expect.objectContaining({ code: 'E_PARTITION_INVALID', message: expect.stringMatching(message) }),
    );
  });

  it('accepts a file without students, options or report', () => {
    const minimal: Record<string, unknown> = { ...base };
    delete minimal.options;
    delete minimal.report;
    expect(parsePartitionJson(minimal)).toEqual({ ...minimal, options: {}, report: {} });
  });
});
