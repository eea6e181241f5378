import {describe, expect, it} from 'vitest';
import {runScenario} from './index';
import {valueOf} from './row-value';

describe('parallel-vs-concurrent', () => {
  it('as seeds 000/004 say: I/O-bound work overlaps under every model even on one core; CPU-bound work runs at once only with processes on several cores', () => {
    const {rows} = runScenario('parallel-vs-concurrent', {cores: 4, n: 4, delay: 0.2});
    for (const cores of [1, 4]) {
      for (const model of ['threads', 'processes', 'asyncio']) {
        expect(valueOf(rows, `io-${model}-${cores}`)).toBeLessThan(valueOf(rows, `io-serial-${cores}`) / 3);
        if (model !== 'processes' || cores === 1) expect(valueOf(rows, `cpu-${model}-${cores}`)).toBeGreaterThanOrEqual(valueOf(rows, `cpu-serial-${cores}`) * 0.99);
      }
    }
    expect(valueOf(rows, 'cpu-processes-4')).toBeLessThan(valueOf(rows, 'cpu-serial-4') / 3);
  });
});
