import {describe, expect, it} from 'vitest';
import {runScenario, scenarios} from './index';
import {valueOf} from './row-value';

describe('scenarios', () => {
  it('have unique ids and descriptions', () => {
    expect(new Set(scenarios.map((s) => s.id)).size).toBe(scenarios.length);
    for (const s of scenarios) expect(s.description.length).toBeGreaterThan(10);
  });

  it('reject an unknown id, an unknown knob and a bad knob value, naming them', () => {
    expect(() => runScenario('nope')).toThrow(/unknown scenario "nope"; valid ids: thread-lifecycle/);
    expect(() => runScenario('io-fetch', {cores: 0})).toThrow('--cores must be an integer from 1 to 256, got 0');
    expect(() => runScenario('lock-counter', {delay: 1})).toThrow(/does not take --delay/);
    expect(() => runScenario('cpu-bound', {n: 10_000})).toThrow('scenario cpu-bound takes --n up to 1000, got 10000');
  });

  it('run with a core count that does not split the work into whole microseconds', () => {
    // free-threading runs 1, 2 and 3 threads on 3 cores: 2 s / 3 is not a whole number of microseconds.
    const rows = runScenario('free-threading', {cores: 3}).rows;
    expect(rows.find((row) => row.key === 'ft314-speedup')!.value).toBeGreaterThan(2);
  });

  it('thread-lifecycle: ready → running → blocked → ready → running → terminated, as seed 000 draws it', () => {
    const {rows} = runScenario('thread-lifecycle');
    expect(rows.map((r) => r.key.replace(/^\d+-/, ''))).toEqual(['ready', 'running', 'blocked', 'ready', 'running', 'terminated']);
  });

  it('gil-cpu-threads: threads are no faster than serial with the GIL; free-threaded is faster on 2+ cores', () => {
    const {rows} = runScenario('gil-cpu-threads', {cores: 4});
    const serial = valueOf(rows, 'serial');
    for (const n of [2, 4, 8]) {
      expect(valueOf(rows, `gil-${n}`)).toBeGreaterThanOrEqual(serial);
      expect(valueOf(rows, `gil-${n}-handoffs`)).toBeGreaterThan(100);
    }
    expect(valueOf(rows, 'free-2')).toBeLessThan(serial * 0.55);
    expect(valueOf(rows, 'free-4')).toBeLessThan(serial * 0.3);
  });

  it('gil-convoy: an I/O thread waits about one switch interval after each read next to a CPU-bound thread', () => {
    const {rows} = runScenario('gil-convoy', {n: 20});
    expect(valueOf(rows, 'alone')).toBeLessThan(0.5);
    expect(valueOf(rows, 'interval-5ms')).toBeGreaterThan(4);
    expect(valueOf(rows, 'interval-20ms')).toBeGreaterThan(valueOf(rows, 'interval-5ms'));
  });

  it('io-fetch: 5 × 1 s downloads take about 5 s serially and about 1 s with threads', () => {
    const result = runScenario('io-fetch');
    expect(valueOf(result.rows, 'serial')).toBeGreaterThan(5);
    expect(valueOf(result.rows, 'serial')).toBeLessThan(5.3);
    expect(valueOf(result.rows, 'threads')).toBeGreaterThan(1);
    expect(valueOf(result.rows, 'threads')).toBeLessThan(1.15);
    expect(result.rows.map((r) => r.seed)).toEqual([5.2, 1.1, 1.05]);
  });

  it('lock-race: without a lock updates are lost; with the lock it ends at 0 as the seed says', () => {
    const {rows} = runScenario('lock-race');
    expect(valueOf(rows, 'no-lock-min')).toBeGreaterThan(50);
    expect(valueOf(rows, 'with-lock-min')).toBe(0);
    expect(valueOf(rows, 'with-lock-max')).toBe(0);
  });

  it('lock-counter: 1,000 threads under a lock count to 1,000', () => {
    const {rows} = runScenario('lock-counter');
    expect(valueOf(rows, 'final-count')).toBe(1000);
    expect(valueOf(rows, 'lock-handoffs')).toBeGreaterThan(0);
  });

  it('are deterministic: the same knobs give the same rows', () => {
    expect(runScenario('lock-race', {n: 20, seed: 3})).toEqual(runScenario('lock-race', {n: 20, seed: 3}));
  });
});
