/**
 * A binary min-heap, ordered by a `before` relation: the kernel's event queue and asyncio's
 * timer heap (CPython keeps `loop._scheduled` with heapq) are both one of these.
 */
export class BinaryHeap<T> {
  private items: T[] = [];

  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  /** The first item, without removing it. */
  peek(): T | undefined {
    return this.items[0];
  }

  /** The items in heap order (not sorted): for inspection only. */
  toArray(): readonly T[] {
    return this.items;
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    // Sift up: move the hole up past later parents, then drop the item in (same result as swaps).
    let index = items.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.before(item, items[parent])) break;
      items[index] = items[parent];
      index = parent;
    }
    items[index] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      // Sift down: move the hole down past earlier children, then drop `last` in (same result as swaps).
      const length = items.length;
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        const right = left + 1;
        let first: T = last;
        let firstIndex = index;
        if (left < length && this.before(items[left], first)) {
          first = items[left];
          firstIndex = left;
        }
        if (right < length && this.before(items[right], first)) {
          first = items[right];
          firstIndex = right;
        }
        if (firstIndex === index) break;
        items[index] = first;
        index = firstIndex;
      }
      items[index] = last;
    }
    return top;
  }

  /**
   * The first `limit` items that `keep` accepts, in order, without sorting the whole heap: a
   * best-first walk of the heap's tree (no child comes before its parent), O(limit · log limit)
   * when few items are rejected.
   */
  earliest(limit: number, keep: (item: T) => boolean): T[] {
    const items = this.items;
    const found: T[] = [];
    if (items.length === 0) return found;
    const frontier = new BinaryHeap<number>((a, b) => this.before(items[a], items[b]));
    frontier.push(0);
    while (found.length < limit && frontier.size > 0) {
      const index = frontier.pop()!;
      if (keep(items[index])) found.push(items[index]);
      const left = 2 * index + 1;
      if (left < items.length) frontier.push(left);
      if (left + 1 < items.length) frontier.push(left + 1);
    }
    return found;
  }

  /** Keeps only the items `keep` accepts, rebuilding the heap (heapq.heapify of a filtered list). */
  retain(keep: (item: T) => boolean): void {
    const kept = this.items.filter(keep);
    this.items = [];
    for (const item of kept) this.push(item);
  }
}
