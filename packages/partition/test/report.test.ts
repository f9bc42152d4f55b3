import { buildPearsonGraph, modularity, pearsonCorrelations, reportPartition } from '@wearnet/partition';

describe('reportPartition', () => {
  // Filters 0 and 1 move together, 2 and 3 move together, the two pairs move oppositely.
  const rows = [
    [1, 0.9, 0, 0.1],
    [0, 0.1, 1, 0.8],
    [0.9, 1, 0.1, 0],
    [0.1, 0, 0.8, 1],
    [1, 0.8, 0.2, 0.1],
  ];

  it('reports sizes, used fraction, activation mass, modularity on both graphs and intra-part correlation', () => {
    const report = reportPartition(rows, [[0, 1], [2]]);
    expect(report.parts).toBe(2);
    expect(report.sizes).toEqual([2, 1]);
    expect(report.usedFilters).toBe(3);
    expect(report.filterFraction).toBeCloseTo(0.75, 12);
    // Every row's maximum is already 1, so the mass of a filter is its column sum.
    const column = (f: number) => rows.reduce((s, r) => s + (r[f] as number), 0);
    const total = column(0) + column(1) + column(2) + column(3);
    expect(report.activationMassFraction).toBeCloseTo((total - column(3)) / total, 12);
    const r = pearsonCorrelations(rows);
    expect(report.meanIntraCorrelation).toBeCloseTo(r[1] as number, 12);
    const q = modularity(buildPearsonGraph(rows), [0, 0, 1, -1]);
    expect(report.modularity).toEqual({ graph: 'pearson', value: expect.closeTo(q, 12) });
    expect(report.coactivationModularity).toEqual({ graph: 'pearson', value: expect.closeTo(q, 12) });
  });

  it('pools intra-part correlations over all same-part pairs', () => {
    const r = pearsonCorrelations(rows);
    const report = reportPartition(rows, [
      [0, 1],
      [2, 3],
    ]);
    expect(report.meanIntraCorrelation).toBeCloseTo(((r[1] as number) + (r[2 * 4 + 3] as number)) / 2, 12);
  });

  it('gives null modularity on a graph without edges and null correlation without pairs', () => {
    const report = reportPartition(
      [
        [1, 1],
        [2, 2],
      ],
      [[0], [1]],
      { graph: 'hubs' },
    );
    expect(report.modularity).toEqual({ graph: 'hubs', value: null });
    expect(report.coactivationModularity.value).toBeNull();
    expect(report.meanIntraCorrelation).toBeNull();
  });

  it('rejects a filter in two parts with E_PARTITION_INVALID', () => {
    expect(() => reportPartition(rows, [[0, 1], [1]])).toThrow(expect.objectContaining({ code: 'E_PARTITION_INVALID' }));
  });
});
