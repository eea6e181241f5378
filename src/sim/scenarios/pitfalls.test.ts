import {describe, expect, it} from 'vitest';
import {runScenario} from './index';

const rows = new Map(runScenario('pitfalls').rows.map((r) => [r.key, r]));
const value = (key: string): number => rows.get(key)!.value;

describe('pitfalls', () => {
  it("a child's global is not seen by the parent; returning the value is", () => {
    expect(value('global-in-child')).toBe(0);
    expect(value('global-returned')).toBe(100);
  });

  it('time.sleep(1) in a coroutine stalls the loop for 1 s and is reported as a slow callback; asyncio.sleep does not', () => {
    expect(value('time-sleep-gap')).toBeGreaterThan(999);
    expect(value('time-sleep-slow-callbacks')).toBe(1);
    expect(value('asyncio-sleep-gap')).toBeLessThan(101);
    expect(value('asyncio-sleep-slow-callbacks')).toBe(0);
  });

  it('an exception stays in its future until result()', () => {
    expect(value('future-no-result')).toBe(0);
    expect(value('future-result')).toBe(1);
  });

  it('a lambda cannot be pickled for a process pool; a module-level function can', () => {
    expect(value('lambda-results')).toBe(0);
    expect(rows.get('lambda-results')!.label).toContain('PicklingError');
    expect(value('named-function-results')).toBe(4);
  });

  it('seed 004 is wrong: one failure in gather does not cancel the others, they run to completion', () => {
    expect(value('gather-raises-at')).toBeCloseTo(0.5, 2);
    expect(value('gather-others-finished')).toBe(2);
    expect(rows.get('gather-others-finished')!.seed).toBe(0);
    expect(value('gather-return-exceptions-results')).toBe(3);
  });
});
