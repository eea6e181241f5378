import {describe, expect, it} from 'vitest';
import {runScenario} from './index';

const rowsOf = (params = {}) => new Map(runScenario('producer-consumer', params).rows.map((r) => [r.key, r.value]));

describe('producer-consumer, asyncio version', () => {
  it('asyncio.Queue(maxsize=10) with two consumers keeps pace like the threads: at most one item queued, about 1.1 s', () => {
    const v = rowsOf();
    expect(v.get('asyncio-max-queue-length')).toBe(1);
    expect(v.get('asyncio-producer-blocked')).toBe(0);
    expect(v.get('asyncio-consumed-c1')).toBe(5);
    expect(v.get('asyncio-consumed-c2')).toBe(5);
    expect(v.get('asyncio-wall')!).toBeGreaterThan(1.09);
    expect(v.get('asyncio-wall')!).toBeLessThan(1.12);
  });

  it('with one consumer the asyncio queue fills to 10 and the producer waits in put()', () => {
    const v = rowsOf({workers: 1, n: 40});
    expect(v.get('asyncio-max-queue-length')).toBe(10);
    expect(v.get('asyncio-producer-blocked')!).toBeGreaterThan(1.5);
    expect(v.get('asyncio-consumed-c1')).toBe(40);
    expect(v.get('asyncio-wall')!).toBeGreaterThan(8);
  });
});
