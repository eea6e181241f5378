import {describe, expect, it} from 'vitest';
import {runScenario} from './index';
import {valueOf} from './row-value';

describe('factory-analogy', () => {
  it('as seed 001 says: the one-key toilet holds one person, the n-key kitchen n, and the rest wait at the door', () => {
    for (const n of [1, 3, 5]) {
      const {rows} = runScenario('factory-analogy', {workers: 12, n});
      expect(valueOf(rows, 'toilet-max')).toBe(1);
      expect(valueOf(rows, 'kitchen-max')).toBeLessThanOrEqual(n);
      expect(rows.find((r) => r.key === 'kitchen-max')?.seed).toBe(n);
    }
    const {rows} = runScenario('factory-analogy');
    expect(valueOf(rows, 'kitchen-max')).toBe(3);
    expect(valueOf(rows, 'toilet-wait')).toBeGreaterThan(0);
    expect(valueOf(rows, 'kitchen-wait')).toBeGreaterThan(0);
    expect(rows.find((r) => r.key === 'longest-wait')?.label).toMatch(/^longest total wait: worker-\d+$/);
  });

  it('more keys mean less waiting at the kitchen door; the same seed gives the same day', () => {
    const wait = (n: number): number => valueOf(runScenario('factory-analogy', {workers: 12, n}).rows, 'kitchen-wait');
    expect(wait(1)).toBeGreaterThan(wait(3));
    expect(wait(12)).toBe(0);
    expect(runScenario('factory-analogy', {seed: 7})).toEqual(runScenario('factory-analogy', {seed: 7}));
  });
});
