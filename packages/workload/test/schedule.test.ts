import fc from 'fast-check';
import { loadDatasetSlice, openLoopStarts, sampleOrder } from '../src/index';

describe('sampleOrder', () => {
  it('visits every image of the slice once per pass, in either order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 200 }),
        fc.constantFrom<'sequential' | 'shuffled'>('sequential', 'shuffled'),
        fc.integer(),
        (slice, requests, order, seed) => {
          const samples = Array.from(sampleOrder({ requests, sliceCount: slice, order, seed }));
          for (let start = 0; start + slice <= requests; start += slice) {
            expect([...samples.slice(start, start + slice)].sort((a, b) => a - b)).toEqual(Array.from({ length: slice }, (_, j) => j));
          }
        },
      ),
    );
  });

  it('is sequential and wraps when asked for sequential order', () => {
    expect(Array.from(sampleOrder({ requests: 5, sliceCount: 3, order: 'sequential', seed: 1 }))).toEqual([0, 1, 2, 0, 1]);
  });
});

describe('openLoopStarts', () => {
  it('spaces fixed arrivals by 1000/rate modelled ms', () => {
    expect(Array.from(openLoopStarts({ mode: 'open', ratePerSecond: 4, process: 'fixed' }, 3, 1) ?? [])).toEqual([0, 250, 500]);
  });

  it('gives Poisson arrivals a mean gap close to 1000/rate', () => {
    const starts = openLoopStarts({ mode: 'open', ratePerSecond: 10, process: 'poisson' }, 20001, 7) as Float64Array;
    expect(starts[20000] / 20000).toBeGreaterThan(95);
    expect(starts[20000] / 20000).toBeLessThan(105);
  });

  it('returns undefined for a closed loop', () => {
    expect(openLoopStarts({ mode: 'closed', concurrency: 1 }, 3, 1)).toBeUndefined();
  });
});

describe('loadDatasetSlice', () => {
  it('loads a slice of the shipped subset with matching pixels and labels', async () => {
    const all = await loadDatasetSlice({ source: 'shipped', count: 20 });
    const slice = await loadDatasetSlice({ source: 'shipped', offset: 5, count: 10 });
    expect(slice.count).toBe(10);
    expect(Array.from(slice.labels)).toEqual(Array.from(all.labels.subarray(5, 15)));
    expect(Array.from(slice.pixels.subarray(0, 3072))).toEqual(Array.from(all.pixels.subarray(5 * 3072, 6 * 3072)));
  });

  it('rejects an offset past the end naming dataset.offset', async () => {
    await expect(loadDatasetSlice({ source: 'shipped', offset: 5000 })).rejects.toThrow(/^dataset\.offset/);
  });
});
