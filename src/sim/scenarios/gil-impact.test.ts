import {describe, expect, it} from 'vitest';
import {runScenario} from './index';
import {valueOf} from './row-value';

describe('gil-impact', () => {
  it('as seeds 000/003 say: threads help I/O but not CPU-bound work, processes help both, asyncio I/O only', () => {
    const {rows} = runScenario('gil-impact', {cores: 4, n: 4});
    expect(valueOf(rows, 'threads-cpu')).toBeCloseTo(1, 1);
    expect(valueOf(rows, 'asyncio-cpu')).toBeCloseTo(1, 1);
    expect(valueOf(rows, 'processes-cpu')).toBeGreaterThan(3.5);
    for (const model of ['threads', 'processes', 'asyncio']) expect(valueOf(rows, `${model}-io`)).toBeGreaterThan(3.5);
    // Mixed: threads and asyncio overlap only the waits; processes overlap the bytecode too.
    expect(valueOf(rows, 'threads-mixed')).toBeLessThan(valueOf(rows, 'processes-mixed'));
    expect(valueOf(rows, 'asyncio-mixed')).toBeLessThan(valueOf(rows, 'processes-mixed'));
    expect(runScenario('gil-impact', {seed: 3})).toEqual(runScenario('gil-impact', {seed: 3}));
  });
});
