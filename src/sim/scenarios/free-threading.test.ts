import {describe, expect, it} from 'vitest';
import {runScenario} from './index';
import {valueOf} from './row-value';

describe('free-threading', () => {
  it('as seed 004 says: without the GIL CPU-bound threads run in parallel, at the single-thread cost the 3.13 and 3.14 docs give', () => {
    const {rows} = runScenario('free-threading', {cores: 4});
    expect(valueOf(rows, 'gil-4')).toBeGreaterThanOrEqual(valueOf(rows, 'gil-1'));
    expect(valueOf(rows, 'ft313-single-thread-slowdown')).toBeCloseTo(1.4, 2);
    expect(valueOf(rows, 'ft314-single-thread-slowdown')).toBeCloseTo(1.075, 2);
    expect(valueOf(rows, 'ft313-4')).toBeLessThan(valueOf(rows, 'gil-4') / 2.5);
    expect(valueOf(rows, 'ft314-speedup')).toBeGreaterThan(valueOf(rows, 'ft313-speedup'));
    // On one core the free-threaded build only pays its slowdown.
    const one = runScenario('free-threading', {cores: 1}).rows;
    expect(valueOf(one, 'ft313-1')).toBeGreaterThan(valueOf(one, 'gil-1'));
  });
});
