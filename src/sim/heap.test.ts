import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {BinaryHeap} from './heap';

describe('BinaryHeap', () => {
  it('pops in the order of `before`, ties in insertion order when the key says so', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({min: 0, max: 20})), (values) => {
        const heap = new BinaryHeap<{value: number; sequence: number}>((a, b) => a.value < b.value || (a.value === b.value && a.sequence < b.sequence));
        values.forEach((value, sequence) => heap.push({value, sequence}));
        const popped: Array<{value: number; sequence: number}> = [];
        for (let item = heap.pop(); item !== undefined; item = heap.pop()) popped.push(item);
        const expected = values.map((value, sequence) => ({value, sequence})).sort((a, b) => a.value - b.value || a.sequence - b.sequence);
        expect(popped).toEqual(expected);
      }),
    );
  });

  it('retains only what it is told to keep', () => {
    const heap = new BinaryHeap<number>((a, b) => a < b);
    [5, 1, 4, 2, 3].forEach((n) => heap.push(n));
    heap.retain((n) => n % 2 === 1);
    expect([heap.pop(), heap.pop(), heap.pop(), heap.pop()]).toEqual([1, 3, 5, undefined]);
  });
});
