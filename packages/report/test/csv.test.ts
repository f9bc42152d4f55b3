import fc from 'fast-check';
import type { DeviceOutcome, RequestRecord } from '@wearnet/aggregator';
import { csvField, formatCsv, MISSING_REASONS, REQUEST_CSV_COLUMNS, requestsCsv } from '../src/index';
import { parseCsv } from './csv-parse';

const deviceId = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/);
const ms = fc.double({ min: 0, max: 1e7, noNaN: true, noDefaultInfinity: true });

function recordArb(ids: string[]): fc.Arbitrary<RequestRecord> {
  const outcome: fc.Arbitrary<DeviceOutcome> = fc.oneof(
    fc.record({ latencyMs: ms, computeMs: ms }),
    fc.record({ latencyMs: ms }),
    fc.record({ computeMs: ms, missing: fc.constantFrom(...MISSING_REASONS) }),
    fc.record({ missing: fc.constantFrom(...MISSING_REASONS) }),
  );
  return fc
    .record({
      id: fc.nat(),
      sample: fc.nat(),
      label: fc.nat(1000),
      prediction: fc.nat(1000),
      correct: fc.boolean(),
      startMs: ms,
      latencyMs: ms,
      deadlineMissed: fc.boolean(),
      devices: fc.tuple(...ids.map(() => outcome)).map((outcomes) => Object.fromEntries(ids.map((id, i) => [id, outcomes[i]]))),
      bytesDown: fc.nat(),
      bytesUp: fc.nat(),
      retries: fc.nat(100),
      lostFrames: fc.nat(100),
      hostMs: ms,
    })
    .map((r) => ({ ...r, arrived: ids.filter((id) => r.devices[id].missing === undefined) }));
}

/** Rebuilds a record from its CSV row, the inverse of requestsCsv. */
function fromRow(header: string[], row: string[], ids: string[]): RequestRecord {
  const cell = (name: string): string => row[header.indexOf(name)];
  const num = (name: string): number => Number(cell(name));
  const opt = (name: string): number | undefined => (cell(name) === '' ? undefined : Number(cell(name)));
  // Own properties even for an id like `__proto__` (a valid device id), as the records have them.
  const entries: [string, DeviceOutcome][] = [];
  for (const id of ids) {
    const d: DeviceOutcome = {};
    const latency = opt(`${id}.latencyMs`);
    const compute = opt(`${id}.computeMs`);
    if (latency !== undefined) d.latencyMs = latency;
    if (compute !== undefined) d.computeMs = compute;
    if (cell(`${id}.missing`) !== '') d.missing = cell(`${id}.missing`) as DeviceOutcome['missing'];
    entries.push([id, d]);
  }
  const devices: Record<string, DeviceOutcome> = Object.fromEntries(entries);
  return {
    id: num('id'),
    sample: num('sample'),
    label: num('label'),
    prediction: num('prediction'),
    correct: cell('correct') === 'true',
    startMs: num('startMs'),
    latencyMs: num('latencyMs'),
    deadlineMissed: cell('deadlineMissed') === 'true',
    arrived: cell('arrived') === '' ? [] : cell('arrived').split(';'),
    devices,
    bytesDown: num('bytesDown'),
    bytesUp: num('bytesUp'),
    retries: num('retries'),
    lostFrames: num('lostFrames'),
    hostMs: num('hostMs'),
  };
}

describe('csvField', () => {
  it('quotes a cell holding a comma, a quote or a line break and doubles its quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
  });

  it('writes undefined, null and non-finite numbers as empty cells and booleans as true/false', () => {
    expect([undefined, null, NaN, Infinity, true, false, 1.5, 0].map(csvField)).toEqual(['', '', '', '', 'true', 'false', '1.5', '0']);
  });
});

describe('formatCsv', () => {
  it('round-trips a table of arbitrary strings through an RFC 4180 reader', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }), (rows) => {
        expect(parseCsv(formatCsv(rows))).toEqual(rows);
      }),
    );
  });
});

describe('requestsCsv', () => {
  it('has the documented columns, then latencyMs, computeMs and missing per device', () => {
    const [header] = parseCsv(requestsCsv([], ['device-0', 'device-1']));
    expect(header).toEqual([
      ...REQUEST_CSV_COLUMNS.map((c) => c.name),
      'device-0.latencyMs',
      'device-0.computeMs',
      'device-0.missing',
      'device-1.latencyMs',
      'device-1.computeMs',
      'device-1.missing',
    ]);
  });

  it('writes one row per record from which every field of the record can be read back', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(deviceId, { minLength: 1, maxLength: 5 }).chain((ids) => fc.tuple(fc.constant(ids), fc.array(recordArb(ids), { maxLength: 12 }))),
        ([ids, records]) => {
          const [header, ...rows] = parseCsv(requestsCsv(records, ids));
          expect(rows).toHaveLength(records.length);
          for (const row of rows) expect(row).toHaveLength(header.length);
          expect(rows.map((row) => fromRow(header, row, ids))).toEqual(records);
        },
      ),
    );
  });
});
