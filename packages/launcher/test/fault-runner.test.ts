import { EventEmitter } from 'node:events';
import type { Progress } from '@wearnet/aggregator';
import type { StageSpec } from '@wearnet/link';
import { parseFaults } from '@wearnet/faults';
import type { Cluster } from '../src/cluster';
import { FaultRunner, initialIssueLimit } from '../src/fault-runner';

/** A stand-in for the cluster: records every primitive the runner asks for, and plays the aggregator's part. */
class FakeCluster extends EventEmitter {
  readonly log: string[] = [];
  /** The medium's stages now, by `link/name`. */
  readonly stages = new Map<string, StageSpec>();
  authenticated = new Set(['device-0', 'device-1', 'device-2']);
  progress: Progress | undefined;
  workloadStartMs: number | undefined = 0;
  finished = false;
  topology = { timeScale: 1 };
  allowed = -1;
  private readonly t0 = Date.now();

  deviceIds(): string[] {
    return ['device-0', 'device-1', 'device-2'];
  }
  nowMs(): number {
    return Date.now() - this.t0;
  }
  kill(id: string): void {
    this.log.push(`kill ${id}`);
    this.authenticated.delete(id);
    this.emit('change');
  }
  async revive(id: string): Promise<void> {
    this.log.push(`revive ${id}`);
    setTimeout(() => {
      this.authenticated.add(id);
      this.emit('change');
    }, 5);
  }
  restart(id: string): void {
    this.log.push(`restart ${id}`);
  }
  pause(id: string, paused: boolean): boolean {
    this.log.push(`${paused ? 'stop' : 'cont'} ${id}`);
    return true;
  }
  setComputeFactor(id: string, factor: number): void {
    this.log.push(`slow ${id} x${factor}`);
  }
  async addStage(link: string | null, spec: StageSpec): Promise<void> {
    this.log.push(`+stage ${link ?? '*'} ${spec.name}`);
    this.stages.set(`${link ?? '*'}/${spec.name}`, spec);
  }
  async removeStage(link: string | null, name: string): Promise<boolean> {
    this.log.push(`-stage ${link ?? '*'} ${name}`);
    return this.stages.delete(`${link ?? '*'}/${name}`);
  }
  allowRequests(upTo: number): void {
    this.allowed = upTo;
  }
  waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      const check = (): void => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.off('change', check);
        resolve();
      };
      this.on('change', check);
      check();
    });
  }
  /** The aggregator finalised `done` requests with nothing in flight. */
  reach(done: number): void {
    this.progress = { done, total: 100, issued: done, allowed: this.allowed, correct: 0, deadlineMisses: 0, p50LatencyMs: 1 };
    this.emit('progress', this.progress);
    this.emit('change');
  }
}

const until = async (predicate: () => boolean): Promise<void> => {
  const end = Date.now() + 2000;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

function setup(gated = false): { cluster: FakeCluster; runner: FaultRunner } {
  const cluster = new FakeCluster();
  return { cluster, runner: new FaultRunner(cluster as unknown as Cluster, { seed: 1, settleTimeoutMs: 1000 }, gated) };
}

describe('FaultRunner', () => {
  it('keeps a device crashed until the last of two overlapping crash faults clears, and waits for it to leave and come back', async () => {
    const { cluster, runner } = setup();
    await runner.add({ id: 'a', kind: 'crash', target: 'device-1' });
    expect(cluster.authenticated.has('device-1')).toBe(false);
    await runner.add({ id: 'b', kind: 'crash', target: ['device-1', 'device-2'] });
    await runner.remove('a');
    expect(cluster.log).toEqual(['kill device-1', 'kill device-2']);
    await runner.remove('b');
    expect(cluster.log).toEqual(['kill device-1', 'kill device-2', 'revive device-1', 'revive device-2']);
    expect(cluster.authenticated).toEqual(new Set(['device-0', 'device-1', 'device-2']));
    expect(runner.views().map((v) => v.state)).toEqual(['cleared', 'cleared']);
  });

  it('multiplies overlapping slow-downs and pauses once, continuing when the last pause clears', async () => {
    const { cluster, runner } = setup();
    await runner.add({ id: 's1', kind: 'slow', target: 'device-0', factor: 2 });
    await runner.add({ id: 's2', kind: 'slow', target: 'device-0', factor: 3 });
    await runner.add({ id: 'p1', kind: 'pause', target: 'device-2' });
    await runner.add({ id: 'p2', kind: 'pause', target: 'device-2' });
    await runner.remove('s1');
    await runner.remove('p1');
    await runner.remove('p2');
    expect(cluster.log).toEqual(['slow device-0 x2', 'slow device-0 x6', 'stop device-2', 'slow device-0 x3', 'cont device-2']);
  });

  it('clears a timed fault by itself after its modelled duration', async () => {
    const { cluster, runner } = setup();
    await runner.add({ id: 'cut', kind: 'link-down', target: 'device-0', durationMs: 40 });
    expect(runner.find('cut')?.state).toBe('active');
    await until(() => runner.find('cut')?.state === 'cleared');
    expect(cluster.log).toEqual(['+stage device-0 cut', '-stage device-0 cut']);
    const [period] = runner.periods(cluster.nowMs());
    expect(period.endMs - period.startMs).toBeGreaterThanOrEqual(35);
  });

  it('holds the workload at a request count until the fault is applied, then releases it, and clears after forRequests', async () => {
    const { cluster, runner } = setup();
    await runner.add({ id: 'n', kind: 'noise', loss: 0.5, afterRequests: 5, forRequests: 3 });
    expect(cluster.allowed).toBe(5);
    cluster.reach(4);
    await new Promise((r) => setTimeout(r, 20));
    expect(cluster.log).toEqual([]);
    cluster.reach(5);
    await until(() => cluster.allowed === 8);
    expect(cluster.log).toEqual(['+stage * n.loss']);
    cluster.reach(8);
    await until(() => cluster.allowed === Number.MAX_SAFE_INTEGER);
    expect(cluster.log).toEqual(['+stage * n.loss', '-stage * n.loss']);
    expect(runner.periods(cluster.nowMs()).map((p) => p.target)).toEqual(['medium']);
  });

  it('issues nothing of a gated workload until requests are asked for, and serves them in order', async () => {
    const { cluster, runner } = setup(true);
    const first = runner.runRequests(3, 1000);
    await until(() => cluster.allowed === 3);
    cluster.reach(3);
    expect(await first).toBe(3);
    const second = runner.runRequests(2, 1000);
    await until(() => cluster.allowed === 5);
    cluster.reach(5);
    expect(await second).toBe(5);
  });

  it('starts the aggregator held at the first request count of the schedule, at 0 when gated, unheld otherwise', () => {
    const faults = parseFaults(
      [
        { kind: 'crash', target: 'd', afterRequests: 7 },
        { kind: 'pause', target: 'd', afterRequests: 3 },
        { kind: 'slow', target: 'd', factor: 2, atMs: 1 },
      ],
      { devices: ['d'] },
    );
    expect(initialIssueLimit(faults, false)).toBe(3);
    expect(initialIssueLimit(faults, true)).toBe(0);
    expect(initialIssueLimit([], false)).toBeUndefined();
  });

  it('clears active and scheduled faults on reset and refuses an unknown id with E_FAULT_NOT_FOUND', async () => {
    const { cluster, runner } = setup();
    await runner.add({ id: 'x', kind: 'degrade', target: 'device-1', rateFactor: 0.5, loss: 0.1 });
    await runner.add({ id: 'later', kind: 'crash', target: 'device-0', atMs: 60000 });
    expect(await runner.reset()).toBe(2);
    expect(cluster.log).toEqual(['+stage device-1 x.loss', '+stage device-1 x.rate', '-stage device-1 x.loss', '-stage device-1 x.rate']);
    expect(runner.find('later')?.state).toBe('cleared');
    await expect(runner.remove('nope')).rejects.toMatchObject({ code: 'E_FAULT_NOT_FOUND' });
    await expect(runner.add({ kind: 'crash', target: 'device-9' })).rejects.toMatchObject({ code: 'E_FAULT_INVALID' });
    runner.close();
  });

  it('ends a restart, and its period, when the restarted device is back', async () => {
    const { cluster, runner } = setup();
    cluster.restart = (id: string): void => {
      cluster.log.push(`restart ${id}`);
      // The aggregator hears of the restart a little later, then of the new process.
      setTimeout(() => {
        cluster.authenticated.delete(id);
        cluster.emit('change');
      }, 5);
      setTimeout(() => {
        cluster.authenticated.add(id);
        cluster.emit('change');
      }, 30);
    };
    await runner.add({ id: 'r', kind: 'restart', target: 'device-1' });
    expect(runner.find('r')?.state).toBe('active');
    await until(() => runner.find('r')?.state === 'cleared');
    const [period] = runner.periods(cluster.nowMs() + 1000);
    expect(period.endMs - period.startMs).toBeGreaterThanOrEqual(25);
    expect(period.endMs - period.startMs).toBeLessThan(500);
  });

  it('records one period per outage of a flapping link', async () => {
    const { cluster, runner } = setup();
    await runner.add({ id: 'f', kind: 'flap', target: 'device-2', durationMs: 60, upMeanMs: 10, downMeanMs: 10 });
    await until(() => runner.find('f')?.state === 'cleared');
    const periods = runner.periods(cluster.nowMs());
    const adds = cluster.log.filter((l) => l.startsWith('+stage')).length;
    expect(periods).toHaveLength(adds);
    expect(periods.every((p) => p.kind === 'flap' && p.target === 'device-2' && p.endMs >= p.startMs)).toBe(true);
    expect(cluster.log[cluster.log.length - 1]).toBe('-stage device-2 f');
  });

  it('updates an active latency fault in place: its stages are replaced by name on every target, never removed', async () => {
    const { cluster, runner } = setup();
    await runner.add({ id: 'lag', kind: 'latency', target: ['device-0', 'device-1'], latencyMs: 20 });
    const view = await runner.update('lag', { latencyMs: 50, jitterMs: 5, toxicity: 0.5 });
    expect(view).toMatchObject({ state: 'active', spec: { latencyMs: 50, jitterMs: 5, toxicity: 0.5 } });
    expect(cluster.log).toEqual(['+stage device-0 lag', '+stage device-1 lag', '+stage device-0 lag', '+stage device-1 lag']);
    expect(cluster.stages.get('device-1/lag')).toMatchObject({ type: 'latency', attributes: { latencyMs: 50, jitterMs: 5 }, toxicity: 0.5, group: 'lag' });
    await runner.remove('lag');
    expect(cluster.stages.size).toBe(0);
  });

  it('removes the stage of a degradation part set to null, and sets a slow-down to its new factor', async () => {
    const { cluster, runner } = setup();
    await runner.add({ id: 'd', kind: 'degrade', target: 'device-2', loss: 0.1, rateFactor: 0.5 });
    await runner.update('d', { loss: null, rateFactor: 0.25 });
    expect([...cluster.stages.keys()]).toEqual(['device-2/d.rate']);
    expect(cluster.stages.get('device-2/d.rate')?.attributes).toEqual({ factor: 0.25 });
    await runner.add({ id: 's', kind: 'slow', target: 'device-0', factor: 2 });
    await runner.update('s', { factor: 4 });
    expect(cluster.log.slice(-2)).toEqual(['slow device-0 x2', 'slow device-0 x4']);
  });

  it('applies a scheduled fault as patched when it comes due, and keeps a timed fault ending on time', async () => {
    const { cluster, runner } = setup();
    await runner.add({ id: 'cap', kind: 'bandwidth', target: 'device-0', rateBps: 1000, afterRequests: 2, durationMs: 400 });
    await runner.update('cap', { rateBps: 500 });
    expect(cluster.stages.size).toBe(0);
    cluster.reach(2);
    await until(() => runner.find('cap')?.state === 'active');
    expect(cluster.stages.get('device-0/cap')?.attributes).toEqual({ rateBps: 500 });
    await runner.update('cap', { rateBps: 250 });
    await until(() => runner.find('cap')?.state === 'cleared');
    expect(cluster.stages.size).toBe(0);
  });

  it('refuses to update a cleared fault with E_FAULT_CLEARED, an unknown one with E_FAULT_NOT_FOUND, a fixed field with E_FAULT_INVALID', async () => {
    const { runner } = setup();
    await runner.add({ id: 'x', kind: 'link-down', target: 'device-0' });
    await expect(runner.update('x', { target: 'device-1' })).rejects.toMatchObject({ code: 'E_FAULT_INVALID', path: ['target'] });
    await runner.remove('x');
    await expect(runner.update('x', { toxicity: 0.5 })).rejects.toMatchObject({ code: 'E_FAULT_CLEARED' });
    await expect(runner.update('y', { toxicity: 0.5 })).rejects.toMatchObject({ code: 'E_FAULT_NOT_FOUND' });
  });
});
