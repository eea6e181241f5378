import {describe, expect, it} from 'vitest';
import {runScenario} from './index';
import {valueOf} from './row-value';

describe('producer-consumer', () => {
  it("seed 004's setup: two consumers keep up, the queue holds at most one item, 10 items take about 1.1 s", () => {
    // Real python3 3.11 running the seed's code: 1.10 s, at most 1 item queued, 5 items per consumer.
    const {rows} = runScenario('producer-consumer');
    expect(valueOf(rows, 'max-queue-length')).toBe(1);
    expect(valueOf(rows, 'producer-blocked')).toBe(0);
    expect(valueOf(rows, 'consumed-c1')).toBe(5);
    expect(valueOf(rows, 'consumed-c2')).toBe(5);
    expect(valueOf(rows, 'wall')).toBeGreaterThan(1.09);
    expect(valueOf(rows, 'wall')).toBeLessThan(1.12);
    expect(rows.every((r) => r.seed === null)).toBe(true);
  });

  it('with one consumer the queue fills to its bound of 10 and the producer blocks', () => {
    const {rows} = runScenario('producer-consumer', {workers: 1, n: 40});
    expect(valueOf(rows, 'max-queue-length')).toBe(10);
    expect(valueOf(rows, 'producer-blocked')).toBeGreaterThan(1.5);
    expect(valueOf(rows, 'consumed-c1')).toBe(40);
    // One consumer at 0.2 s per item sets the pace.
    expect(valueOf(rows, 'wall')).toBeGreaterThan(8);
  });
});
