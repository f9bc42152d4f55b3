/**
 * Replies the medium knows are coming: a device that was delivered a message will answer it, and
 * its answer is stamped no earlier than the delivery (the device's clock starts from what it heard).
 * Until it answers, nothing stamped after that delivery may take the medium, or a lagging host
 * would let later-stamped replies of faster processes overtake it. Each obligation expires
 * (modelled `expiresAtMs`) so a device that never answers (a heartbeat reply, a crash) stalls the
 * medium for a bounded real time only.
 */
export class ReplyObligations {
  /** Per device, the outstanding deliveries in order: their modelled time and expiry. */
  private readonly owed = new Map<string, { atMs: number; expiresAtMs: number }[]>();

  /** A message to `deviceId` will be delivered at modelled `atMs`; the obligation lapses at `expiresAtMs`. */
  delivered(deviceId: string, atMs: number, expiresAtMs: number): void {
    let list = this.owed.get(deviceId);
    if (!list) {
      list = [];
      this.owed.set(deviceId, list);
    }
    list.push({ atMs, expiresAtMs });
  }

  /** The device sent something: its earliest outstanding delivery is answered. */
  answered(deviceId: string): void {
    const list = this.owed.get(deviceId);
    if (!list) return;
    list.shift();
    if (list.length === 0) this.owed.delete(deviceId);
  }

  /** The device is gone: it owes nothing. */
  forget(deviceId: string): void {
    this.owed.delete(deviceId);
  }

  /**
   * The earliest modelled time a reply still owed (and not expired at modelled `nowMs`) can be
   * stamped, and the earliest expiry among those; Infinity when nothing is owed.
   */
  bound(nowMs: number): { boundMs: number; nextExpiryMs: number } {
    let boundMs = Infinity;
    let nextExpiryMs = Infinity;
    for (const [deviceId, list] of this.owed) {
      while (list.length > 0 && list[0].expiresAtMs <= nowMs) list.shift();
      if (list.length === 0) {
        this.owed.delete(deviceId);
        continue;
      }
      boundMs = Math.min(boundMs, list[0].atMs);
      nextExpiryMs = Math.min(nextExpiryMs, list[0].expiresAtMs);
    }
    return { boundMs, nextExpiryMs };
  }
}
