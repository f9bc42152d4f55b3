import fc from 'fast-check';
import { defaultStartConcurrency, resolveStartConcurrency, runStartPipeline } from '../src/start-pipeline';

/** Fake device starts: each returns a promise the test settles; records how many are starting at once. */
function fakeStarts(): {
  start: (item: number) => Promise<void>;
  pending: Array<{ item: number; settle: (err?: Error) => void }>;
  order: number[];
  peak: () => number;
} {
  const pending: Array<{ item: number; settle: (err?: Error) => void }> = [];
  const order: number[] = [];
  let active = 0;
  let peak = 0;
  const start = (item: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      order.push(item);
      active += 1;
      peak = Math.max(peak, active);
      pending.push({
        item,
        settle: (err) => {
          active -= 1;
          if (err) reject(err);
          else resolve();
        },
      });
    });
  return { start, pending, order, peak: () => peak };
}

/** Lets the pipeline's promise callbacks run. */
const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
};

describe('runStartPipeline', () => {
  it('never has more than `concurrency` items starting at once, starts all in order and resolves once all have started', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.nat(), { maxLength: 60 }),
        async (count, concurrency, picks) => {
          const fake = fakeStarts();
          const items = Array.from({ length: count }, (_, i) => i);
          let resolvedWith: number | undefined;
          const done = runStartPipeline({ items, concurrency, start: fake.start }).then((n) => (resolvedWith = n));
          await flush();
          let p = 0;
          while (fake.pending.length > 0) {
            expect(fake.pending.length).toBeLessThanOrEqual(concurrency);
            // As many as allowed are starting whenever items are left.
            expect(fake.pending.length).toBe(Math.min(concurrency, count - fake.order.length + fake.pending.length));
            expect(resolvedWith).toBeUndefined();
            const [next] = fake.pending.splice((picks[p++] ?? 0) % fake.pending.length, 1);
            next.settle();
            await flush();
          }
          await done;
          expect(resolvedWith).toBe(count);
          expect(fake.order).toEqual(items);
          expect(fake.peak()).toBeLessThanOrEqual(concurrency);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('starts nothing further after a start fails, and rejects with its error', async () => {
    const fake = fakeStarts();
    const done = runStartPipeline({ items: [0, 1, 2, 3, 4, 5], concurrency: 2, start: fake.start });
    done.catch(() => undefined);
    await flush();
    fake.pending.shift()?.settle(new Error('spawn failed'));
    await flush();
    // The other start in flight finishes; nothing new begins.
    fake.pending.shift()?.settle();
    await expect(done).rejects.toThrow('spawn failed');
    expect(fake.order).toEqual([0, 1]);
  });

  it('stops starting items once shouldContinue says no (the run is being torn down)', async () => {
    const fake = fakeStarts();
    let go = true;
    const done = runStartPipeline({ items: [0, 1, 2, 3], concurrency: 1, start: fake.start, shouldContinue: () => go });
    await flush();
    go = false;
    fake.pending.shift()?.settle();
    await expect(done).resolves.toBe(1);
    expect(fake.order).toEqual([0]);
  });

  it('refuses an invalid concurrency with E_OPTION_INVALID', async () => {
    await expect(runStartPipeline({ items: [1], concurrency: 0, start: async () => undefined })).rejects.toMatchObject({ code: 'E_OPTION_INVALID' });
  });
});

describe('resolveStartConcurrency', () => {
  it('defaults to the cores, at least 2 and at most 8', () => {
    expect([1, 2, 3, 4, 8, 64].map((cores) => defaultStartConcurrency(cores))).toEqual([2, 2, 3, 4, 8, 8]);
    expect(resolveStartConcurrency(undefined, 4)).toBe(4);
    expect(resolveStartConcurrency(undefined)).toBeGreaterThanOrEqual(2);
  });

  it('keeps an integer in 1..1024', () => {
    expect(resolveStartConcurrency(1)).toBe(1);
    expect(resolveStartConcurrency(1024)).toBe(1024);
  });

  it.each([0, -1, 1.5, 1025, Number.NaN, Number.POSITIVE_INFINITY, '4', null])('rejects %p with E_OPTION_INVALID naming startConcurrency', (value) => {
    expect(() => resolveStartConcurrency(value)).toThrow(
      expect.objectContaining({ code: 'E_OPTION_INVALID', message: expect.stringContaining('startConcurrency must be an integer in 1..1024') }),
    );
  });
});
