import {describe, expect, it} from 'vitest';
import {runScenario} from './index';
import {valueOf} from './row-value';

const rowsOf = (id: string, knobs = {}) => runScenario(id, knobs).rows;

describe('I/O multiplexing and asyncio scenarios', () => {
  it('event-loop-anatomy: the loop sleeps in the selector until the socket is readable, then resumes the task', () => {
    const rows = rowsOf('event-loop-anatomy');
    expect(valueOf(rows, 'wall')).toBeGreaterThan(0.2);
    expect(valueOf(rows, 'selector-sleeps')).toBeGreaterThanOrEqual(2);
    expect(valueOf(rows, 'fd-events')).toBeGreaterThanOrEqual(2);
    expect(rows.find((r) => r.key === 'iter-2')!.label).toMatch(/select\(timeout=None\) slept .* readable; ran \[_sock_recv/);
  });

  it('asyncio-gather: about 2 s, completion order 0.5/1/2 s, results in argument order (as seed 003 shows)', () => {
    const rows = rowsOf('asyncio-gather');
    expect(valueOf(rows, 'wall')).toBeCloseTo(2, 2);
    expect(rows.filter((r) => r.key.startsWith('completed-')).map((r) => r.label.split(': ')[1])).toEqual(['url3', 'url1', 'url2']);
    expect(rows.filter((r) => r.key.startsWith('result-')).map((r) => r.label)).toEqual([expect.stringContaining('url1'), expect.stringContaining('url2'), expect.stringContaining('url3')]);
  });

  it('asyncio-tasks: done() flips at 1 s and 2 s; result() on a pending task raises (the seed says it waits)', () => {
    const rows = rowsOf('asyncio-tasks');
    expect(valueOf(rows, 'result-before-done-raises')).toBe(1);
    expect([0, 0.5, 1.5, 2.5].map((t) => valueOf(rows, `done-at-${t}`))).toEqual([0, 0, 1, 2]);
    expect(valueOf(rows, 'wait-seconds')).toBeCloseTo(2, 2);
    expect(valueOf(rows, 'wait-done')).toBe(2);
  });

  it('aggregate-endpoint: serial takes about 3 s, gathered about 1 s', () => {
    const rows = rowsOf('aggregate-endpoint');
    expect(valueOf(rows, 'serial')).toBeGreaterThan(3);
    expect(valueOf(rows, 'serial')).toBeLessThan(3.1);
    expect(valueOf(rows, 'gathered')).toBeGreaterThan(1);
    expect(valueOf(rows, 'gathered')).toBeLessThan(1.05);
  });

  it('semaphore-limit: never more than the limit in flight; wall time about ceil(n / limit) × delay', () => {
    const rows = rowsOf('semaphore-limit');
    expect(valueOf(rows, 'limited-max-in-flight')).toBe(10);
    expect(valueOf(rows, 'limited-wall')).toBeGreaterThan(10);
    expect(valueOf(rows, 'limited-wall')).toBeLessThan(10.5);
    expect(valueOf(rows, 'unlimited-max-in-flight')).toBe(100);
    expect(valueOf(rowsOf('semaphore-limit', {n: 30, workers: 7, delay: 0.5}), 'limited-max-in-flight')).toBe(7);
  });

  it('multiplexing-scaling: select and poll grow with watched fds, epoll does not; select fails at fd >= 1024', () => {
    const rows = rowsOf('multiplexing-scaling');
    expect(valueOf(rows, 'select-n1000') / valueOf(rows, 'select-n100')).toBeGreaterThan(7);
    expect(valueOf(rows, 'poll-n10000') / valueOf(rows, 'poll-n1000')).toBeGreaterThan(8);
    expect(valueOf(rows, 'epoll-n10000')).toBe(valueOf(rows, 'epoll-n10'));
    expect(rows.find((r) => r.key === 'select-n10000-error')!.label).toContain('ValueError: filedescriptor out of range in select()');
  });

  it('multiplexing-summary: select/poll O(n) in watched fds; epoll O(ready), not O(1) as the seed says', () => {
    const rows = rowsOf('multiplexing-summary');
    expect(valueOf(rows, 'select-fd-limit')).toBe(1024);
    expect(valueOf(rows, 'select-k-watched')).toBeGreaterThan(0.8);
    expect(valueOf(rows, 'poll-k-watched')).toBeGreaterThan(0.8);
    expect(valueOf(rows, 'epoll-k-watched')).toBe(0);
    expect(valueOf(rows, 'epoll-k-ready')).toBeGreaterThan(0.5);
    expect(valueOf(rows, 'epoll-asyncio-linux')).toBe(1);
  });

  it('ten-thousand-tasks: 80 GB is reserved, not resident; 10k tasks take about 14 MB', () => {
    const rows = rowsOf('ten-thousand-tasks');
    expect(valueOf(rows, 'threads-reserved')).toBeGreaterThan(75);
    expect(valueOf(rows, 'threads-resident')).toBeLessThan(1024);
    expect(valueOf(rows, 'asyncio-resident')).toBeGreaterThan(10);
    expect(valueOf(rows, 'asyncio-resident')).toBeLessThan(50);
    expect(valueOf(rows, 'processes-resident')).toBeGreaterThan(valueOf(rows, 'threads-resident') / 1024);
  });

  it('io-fetch: asyncio does 5 × 1 s downloads in about 1 s (seed 1.05 s)', () => {
    const rows = rowsOf('io-fetch');
    expect(valueOf(rows, 'asyncio')).toBeGreaterThan(1);
    expect(valueOf(rows, 'asyncio')).toBeLessThan(1.06);
    expect(rows.find((r) => r.key === 'asyncio')!.seed).toBe(1.05);
  });
});
