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
    let index = items.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.before(items[index], items[parent])) break;
      [items[index], items[parent]] = [items[parent], items[index]];
      index = parent;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        const right = left + 1;
        let first = index;
        if (left < items.length && this.before(items[left], items[first])) first = left;
        if (right < items.length && this.before(items[right], items[first])) first = right;
        if (first === index) break;
        [items[index], items[first]] = [items[first], items[index]];
        index = first;
      }
    }
    return top;
  }

  /** Keeps only the items `keep` accepts, rebuilding the heap (heapq.heapify of a filtered list). */
  retain(keep: (item: T) => boolean): void {
    const kept = this.items.filter(keep);
    this.items = [];
    for (const item of kept) this.push(item);
  }
}
