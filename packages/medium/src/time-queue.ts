/** An entry of a {@link TimeQueue}. */
interface Entry<T> {
  atMs: number;
  seq: number;
  value: T;
}

/** A min-heap of values keyed by modelled time; equal times come out in insertion order. */
export class TimeQueue<T> {
  private readonly heap: Entry<T>[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Time of the earliest entry, or undefined when empty. */
  peekTimeMs(): number | undefined {
    return this.heap[0]?.atMs;
  }

  /** The earliest value without removing it. */
  peek(): T | undefined {
    return this.heap[0]?.value;
  }

  push(atMs: number, value: T): void {
    const heap = this.heap;
    heap.push({ atMs, seq: this.nextSeq++, value });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  /** Removes and returns the earliest value. */
  pop(): T | undefined {
    const heap = this.heap;
    if (heap.length === 0) return undefined;
    const top = heap[0];
    const last = heap.pop() as Entry<T>;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && this.less(heap[left], heap[smallest])) smallest = left;
        if (right < heap.length && this.less(heap[right], heap[smallest])) smallest = right;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest], heap[i]];
        i = smallest;
      }
    }
    return top.value;
  }

  private less(a: Entry<T>, b: Entry<T>): boolean {
    return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
  }
}
