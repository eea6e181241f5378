import {describe, expect, it} from 'vitest';
import {runScenario} from './index';
import {valueOf} from './row-value';

describe('models-compare', () => {
  it('measures each unit; corrects seed 000 on thread stacks and on how many threads and processes fit', () => {
    const {rows} = runScenario('models-compare');
    // Seed 000 says ~1 MB per thread: the stack reserves 8 MiB of address space, ~15 KiB resident.
    expect(valueOf(rows, 'thread-reserved')).toBe(8);
    expect(valueOf(rows, 'thread-resident')).toBeLessThan(64);
    // So tens of thousands of idle threads fit in 1 GiB, not "hundreds to a few thousand"; processes are not capped by cores.
    expect(valueOf(rows, 'thread-fit')).toBeGreaterThan(10_000);
    expect(valueOf(rows, 'process-fit')).toBeGreaterThan(64);
    expect(valueOf(rows, 'task-resident')).toBeLessThan(4);
    expect(valueOf(rows, 'task-fit')).toBeGreaterThan(valueOf(rows, 'thread-fit'));
    expect(valueOf(rows, 'thread-fit')).toBeGreaterThan(valueOf(rows, 'process-fit'));
    // Creation: task < thread < process (seeds 003/004: tiny, small, large).
    expect(valueOf(rows, 'task-create')).toBeLessThan(valueOf(rows, 'thread-create'));
    expect(valueOf(rows, 'thread-create')).toBeLessThan(valueOf(rows, 'process-create'));
    // Own GIL and parallelism as seed 000's table says.
    for (const row of rows.filter((r) => /-(own-gil|parallel)$/.test(r.key) && r.seed !== null)) expect(row.value).toBe(row.seed);
  });
});
