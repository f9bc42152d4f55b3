import type { FaultAction } from '@wearnet/faults';
import type { FaultCluster } from './fault-cluster';

/**
 * What the live faults do to each device, counted per fault so that overlapping faults compose:
 * a device stays crashed or paused until the last such fault clears, and slow-downs multiply.
 * Applies each fault action to the cluster accordingly.
 */
export class DeviceFaultState {
  /** Per device, the ids of the faults holding it crashed, paused, or slowed (with their factors). */
  private readonly crashed = new Map<string, Set<string>>();
  private readonly paused = new Map<string, Set<string>>();
  private readonly slow = new Map<string, Map<string, number>>();

  constructor(
    private readonly cluster: FaultCluster,
    /** Real ms to wait for a revived device to come back. */
    private readonly settleTimeoutMs: number,
  ) {}

  /** Whether some live fault holds `device` crashed. */
  isCrashed(device: string): boolean {
    return refsOf(this.crashed, device).size > 0;
  }

  /** Whether some live fault holds `device` paused. */
  isPaused(device: string): boolean {
    return refsOf(this.paused, device).size > 0;
  }

  /** Applies one action of fault `faultId`. */
  async apply(faultId: string, action: FaultAction): Promise<void> {
    const c = this.cluster;
    switch (action.op) {
      case 'crash': {
        const refs = refsOf(this.crashed, action.device);
        refs.add(faultId);
        if (refs.size === 1) c.kill(action.device);
        return;
      }
      case 'restore': {
        const refs = refsOf(this.crashed, action.device);
        if (!refs.delete(faultId) || refs.size > 0) return;
        await c.revive(action.device, this.settleTimeoutMs);
        if (this.isPaused(action.device)) c.pause(action.device, true);
        return;
      }
      case 'pause': {
        const refs = refsOf(this.paused, action.device);
        refs.add(faultId);
        if (refs.size === 1) c.pause(action.device, true);
        return;
      }
      case 'resume': {
        const refs = refsOf(this.paused, action.device);
        if (refs.delete(faultId) && refs.size === 0) c.pause(action.device, false);
        return;
      }
      case 'restart':
        if (!this.isCrashed(action.device)) c.restart(action.device);
        return;
      case 'slow': {
        const factors = this.slow.get(action.device) ?? new Map<string, number>();
        this.slow.set(action.device, factors);
        if (action.factor === 1) factors.delete(faultId);
        else factors.set(faultId, action.factor);
        c.setComputeFactor(
          action.device,
          [...factors.values()].reduce((a, b) => a * b, 1),
        );
        return;
      }
      case 'add-stage':
        await c.addStage(action.link, action.stage);
        return;
      case 'remove-stage':
        await c.removeStage(action.link, action.name);
        return;
    }
  }
}

function refsOf(map: Map<string, Set<string>>, device: string): Set<string> {
  let refs = map.get(device);
  if (!refs) {
    refs = new Set();
    map.set(device, refs);
  }
  return refs;
}
