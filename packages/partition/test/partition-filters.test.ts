import fc from 'fast-check';
import { PARTITION_METHODS, partitionFilters, toPartitionJson } from '@wearnet/partition';
import { canonical, plantedActivations } from './planted';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

describe('partitionFilters', () => {
  const planted = plantedActivations(400, 48, 6, 11);

  it('recovers planted filter groups from activations with the balanced method', () => {
    const result = partitionFilters(planted, { method: 'balanced', parts: 6, seed: 2 });
    const truth = Array.from({ length: 6 }, (_, g) => Array.from(planted.group.keys()).filter((f) => planted.group[f] === g));
    expect(canonical(result.parts)).toEqual(canonical(truth));
    expect(result.report.meanIntraCorrelation).toBeGreaterThan(0.5);
    expect(result.unused).toEqual([]);
    // Five cuts make six parts; each was sorted on a converged eigenvector, and the report says so.
    expect(result.report.eigen).toMatchObject({ splits: 5, converged: true });
    expect(result.report.eigen?.maxResidual).toBeLessThan(1e-5);
  });

  it('uses each filter at most once with every method, exactly once except for nonn', () => {
    for (const method of PARTITION_METHODS) {
      const result = partitionFilters(planted, { method, parts: 4, seed: 3 });
      const all = [...result.parts.flat(), ...result.unused].sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: 48 }, (_, i) => i));
      if (method !== 'nonn') expect(result.unused).toEqual([]);
      for (const part of result.parts) expect(part).toEqual([...part].sort((a, b) => a - b));
      expect(result.report.sizes).toEqual(result.parts.map((p) => p.length));
      expect(result.report.usedFilters).toBe(48 - result.unused.length);
    }
  });

  it('gives the same result for the same seed with every method', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PARTITION_METHODS), fc.integer({ min: 0, max: 1 << 30 }), (method, seed) => {
        const small = plantedActivations(60, 20, 4, seed);
        const run = () => {
          try {
            return toPartitionJson(partitionFilters(small, { method, parts: 2, seed }));
          } catch (err) {
            return (err as { code?: string }).code;
          }
        };
        expect(run()).toEqual(run());
      }),
      { numRuns: 25 },
    );
  });

  it('resolves defaults and records only the options that apply to the method', () => {
    const balanced = partitionFilters(planted, { parts: 2 });
    expect(balanced.options).toEqual({
      method: 'balanced',
      parts: 2,
      students: 2,
      seed: 1,
      graph: 'pearson',
      coactivationGraph: 'pearson',
      resolution: 1,
      refine: true,
      maxSwaps: 48,
    });
    const nonn = partitionFilters(planted, { method: 'nonn', parts: 2, students: 4 });
    expect(nonn.options).toEqual({
      method: 'nonn',
      parts: 2,
      students: 4,
      seed: 1,
      graph: 'hubs',
      coactivationGraph: 'pearson',
      topK: 50,
      percentile: 99,
      louvainResolution: 0.7,
    });
    expect(nonn.students).toEqual([0, 1, 0, 1]);
    expect(nonn.report.modularity.graph).toBe('hubs');
    expect(nonn.report.coactivationModularity.graph).toBe('pearson');
  });

  it('rejects bad options with E_OPTION_INVALID whose cause names the option', () => {
    const cases: Array<[object, string]> = [
      [{ parts: 0 }, 'parts'],
      [{ parts: 2.5 }, 'parts'],
      [{ parts: 2, method: 'spectral' }, 'method'],
      [{ parts: 2, seed: -1 }, 'seed'],
      [{ parts: 2, graph: 'knn' }, 'graph'],
      [{ parts: 2, method: 'nonn', topK: 1 }, 'topK'],
      [{ parts: 2, method: 'balanced', refine: 'yes' }, 'refine'],
      [{ parts: 2, method: 'nonn', louvainResolution: 0 }, 'louvainResolution'],
    ];
    for (const [options, name] of cases) {
      let error: { code?: string; cause?: unknown } | undefined;
      try {
        partitionFilters(planted, options as never);
      } catch (err) {
        error = err as typeof error;
      }
      expect(error?.code).toBe('E_OPTION_INVALID');
      expect(error?.cause).toBeInstanceOf(Error);
      expect((error?.cause as Error).message).toContain(`'${name}'`);
    }
    expect(codeOf(() => partitionFilters(planted, {} as never))).toBe('E_OPTION_INVALID');
  });

  it('rejects more parts than filters, and averaging with M > S/2, with their codes', () => {
    expect(codeOf(() => partitionFilters([[1, 2, 3]], { parts: 4 }))).toBe('E_TOO_MANY_PARTS');
    expect(codeOf(() => partitionFilters(planted, { parts: 3, students: 4 }))).toBe('E_PARTS_EXCEED_HALF');
  });

  it('rejects bad activations with E_NON_FINITE, E_RAGGED and E_EMPTY', () => {
    expect(codeOf(() => partitionFilters([[1, Infinity]], { parts: 1 }))).toBe('E_NON_FINITE');
    expect(codeOf(() => partitionFilters([[1, 2], [1]], { parts: 1 }))).toBe('E_RAGGED');
    expect(codeOf(() => partitionFilters([], { parts: 1 }))).toBe('E_EMPTY');
  });

  it('rejects activations whose graph has no edge with E_EMPTY_GRAPH', () => {
    const flat = [
      [1, 1, 1, 1],
      [2, 2, 2, 2],
    ];
    expect(codeOf(() => partitionFilters(flat, { method: 'nonn', parts: 2 }))).toBe('E_EMPTY_GRAPH');
    expect(codeOf(() => partitionFilters(flat, { method: 'balanced', parts: 2 }))).toBe('E_EMPTY_GRAPH');
    // Baselines need no graph: the report then says null.
    expect(partitionFilters(flat, { method: 'blocks', parts: 2 }).report.modularity.value).toBeNull();
  });
});
