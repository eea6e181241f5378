import {describe, expect, it} from 'vitest';
import {runScenario} from './index';

const rowsOf = (params = {}) => new Map(runScenario('request-timeline', params).rows.map((r) => [r.key, r.value]));

describe('request-timeline', () => {
  it('4 requests of 0.1 s CPU, 1 s wait, 0.1 s CPU: serial 4.8 s; processes overlap everything; threads and asyncio overlap only the waits', () => {
    const v = rowsOf();
    expect(v.get('single-wall')).toBeCloseTo(4.8, 2);
    expect(v.get('single-first-done')).toBeCloseTo(1.2, 2);
    // One core each: every request ends about 1.2 s in, plus the forks.
    expect(v.get('processes-wall')!).toBeGreaterThan(1.2);
    expect(v.get('processes-wall')!).toBeLessThan(1.25);
    // asyncio runs the CPU phases one after another: the first ends at 1.2 s, the last 0.3 s later.
    expect(v.get('asyncio-first-done')).toBeCloseTo(1.2, 2);
    expect(v.get('asyncio-last-done')).toBeCloseTo(1.5, 2);
    // Threads interleave their CPU phases under the GIL: all finish late and close together.
    expect(v.get('threads-first-done')!).toBeGreaterThan(1.5);
    expect(v.get('threads-wall')!).toBeLessThan(1.9);
    expect(v.get('processes-wall')!).toBeLessThan(v.get('asyncio-wall')!);
    expect(v.get('asyncio-wall')!).toBeLessThan(v.get('single-wall')!);
  });

  it('with one core processes no longer overlap their CPU phases', () => {
    const v = rowsOf({cores: 1});
    expect(v.get('processes-wall')!).toBeGreaterThan(1.45);
  });
});
