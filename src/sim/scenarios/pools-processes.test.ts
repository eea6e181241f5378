/** The scenarios of processes and pools (cpu-bound, process-startup, pool-*, ipc-costs). */
import {describe, expect, it} from 'vitest';
import {runScenario} from './index';

const rowsOf = (id: string, knobs = {}) => {
  const {rows} = runScenario(id, knobs);
  const row = (key: string) => {
    const found = rows.find((r) => r.key === key);
    if (found === undefined) throw new Error(`no row ${key}`);
    return found;
  };
  return {rows, value: (key: string) => row(key).value, seed: (key: string) => row(key).seed};
};

describe('process and pool scenarios', () => {
  it('cpu-bound: serial ≈ threads ≈ 12 s as seed 004 says; processes ≈ 12/8 + start ≈ 1.5–1.6 s; Pool(4) on 8 tasks ≈ 3 s', () => {
    const {value, seed} = rowsOf('cpu-bound');
    expect(value('serial')).toBeCloseTo(12, 1);
    expect(value('threads')).toBeGreaterThanOrEqual(value('serial'));
    expect(value('threads')).toBeLessThan(12.2);
    expect(value('processes')).toBeGreaterThan(1.5);
    expect(value('processes')).toBeLessThan(1.55);
    expect(value('processes-spawn')).toBeGreaterThan(value('processes'));
    expect(value('processes-spawn')).toBeLessThan(1.65);
    expect(value('pool-map')).toBeGreaterThan(3);
    expect(value('pool-map')).toBeLessThan(3.1);
    expect(seed('processes')).toBe(1.6);
  });

  it('process-startup: fork costs milliseconds, not the seed’s fixed 50–200 ms; spawn is in that range; bigger start costs need bigger tasks', () => {
    const {value} = rowsOf('process-startup');
    expect(value('start-join-fork')).toBeLessThan(5);
    expect(value('start-join-forkserver')).toBeLessThan(value('start-join-spawn'));
    expect(value('start-join-spawn')).toBeGreaterThan(50);
    expect(value('start-join-spawn')).toBeLessThan(200);
    expect(value('start-forkserver-first')).toBeGreaterThan(value('start-forkserver'));
    expect(value('breakeven-fork')).toBeGreaterThan(0);
    expect(value('breakeven-fork')).toBeLessThan(value('breakeven-spawn'));
    expect(rowsOf('process-startup', {n: 1}).value('breakeven-fork')).toBe(-1);
  });

  it('pool-submit-done: done() False ×3 at 0 s, True/True/False at 2.5 s as seed 001 shows; callbacks 1, 2 in the main thread then 3 in a worker', () => {
    const {rows, value, seed} = rowsOf('pool-submit-done');
    for (const key of ['done-0s-task1', 'done-0s-task2', 'done-0s-task3', 'done-later-task1', 'done-later-task2', 'done-later-task3']) {
      expect(value(key)).toBe(seed(key));
    }
    expect([1, 2, 3].map((i) => value(`callback-${i}`))).toEqual([1, 2, 3]);
    expect(rows.find((r) => r.key === 'callback-3')?.label).toMatch(/ThreadPoolExecutor-0_2 at 3\.0/);
    // The seed's "5 × CPUs" default is 3.5–3.7; 3.8+ uses min(32, cpu + 4).
    expect(value('default-max-workers')).toBe(8);
    expect(seed('default-max-workers')).toBe(20);
  });

  it('pool-map-order: map gives 2, 3, 1, 4 (input order); as_completed gives 1, 2, 3, 4', () => {
    const {value} = rowsOf('pool-map-order');
    expect([1, 2, 3, 4].map((i) => value(`map-${i}`))).toEqual([2, 3, 1, 4]);
    expect([1, 2, 3, 4].map((i) => value(`as-completed-${i}`))).toEqual([1, 2, 3, 4]);
  });

  it('pool-wait: FIRST_COMPLETED returns at 1 s with task1; timeout=2.5 returns at 3.5 s with only task4 not done, as the seed says', () => {
    const {value, seed} = rowsOf('pool-wait');
    expect(value('first-completed-time')).toBeCloseTo(1, 2);
    expect([1, 2, 3, 4].map((i) => value(`first-completed-task${i}`))).toEqual([1, 0, 0, 0]);
    expect(value('timeout-time')).toBeCloseTo(3.5, 2);
    expect([1, 2, 3, 4].map((i) => value(`timeout-task${i}`))).toEqual([1, 2, 3, 4].map((i) => seed(`timeout-task${i}`)));
  });

  it('ipc-costs: shared Array is cheapest, Manager (a proxy round trip per operation) dearest; costs grow with the payload', () => {
    const {value} = rowsOf('ipc-costs', {n: 20});
    for (const size of ['100b', '10kib', '1mib']) {
      expect(value(`array-${size}`)).toBeLessThan(value(`pipe-${size}`));
      expect(value(`pipe-${size}`)).toBeLessThan(value(`queue-${size}`));
      expect(value(`queue-${size}`)).toBeLessThan(value(`manager-${size}`));
    }
    for (const mechanism of ['pipe', 'queue', 'array', 'manager']) expect(value(`${mechanism}-1mib`)).toBeGreaterThan(value(`${mechanism}-100b`));
  });

  it('are deterministic', () => {
    expect(runScenario('pool-map-order')).toEqual(runScenario('pool-map-order'));
    expect(runScenario('ipc-costs', {n: 5, seed: 7})).toEqual(runScenario('ipc-costs', {n: 5, seed: 7}));
  });
});
