import {describe, expect, it} from 'vitest';
import {describeSwitches, explore, type Program} from './explore';
import {Queue} from './sync';
import {cpu, withLock, type ThreadProgram} from './threads';

/** Two threads each doing `counter += 1` as read, compute, write; with or without a lock. */
const counter = (locked: boolean, increments = 1): Program => (machine) => {
  let value = 0;
  const lock = machine.lock('lock');
  function* increment(): ThreadProgram {
    const read = value;
    yield cpu(1);
    value = read + 1;
  }
  return {
    *main() {
      const workers = ['A', 'B'].map((name) =>
        machine.thread({name, *target() {
          for (let i = 0; i < increments; i += 1) {
            if (locked) yield* withLock(lock, increment);
            else yield* increment();
          }
        }}),
      );
      for (const worker of workers) yield worker.start();
      for (const worker of workers) yield worker.join();
    },
    check: () => (value === 2 * increments ? undefined : `counter is ${value}, expected ${2 * increments}: an update was lost`),
  };
};

describe('explore', () => {
  it('finds the schedule that loses an update in an unprotected counter, with one switch', () => {
    const result = explore(counter(false));
    expect(result.ok).toBe(false);
    expect(result.counterexample?.phase).toBe('systematic');
    expect(result.counterexample?.message).toBe('counter is 1, expected 2: an update was lost');
    expect(result.counterexample?.switches).toBe(1);
    const lines = describeSwitches(result.counterexample!.choices);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^t=\d+ us: [AB] is switched out for [AB]$/);
    expect(result.summary).toMatch(/^schedule \d+ \(1 switch\) breaks the check: counter is 1/);
  });

  it('proves the locked counter correct in every schedule', () => {
    const result = explore(counter(true));
    expect(result.ok).toBe(true);
    expect(result.exhaustive).toBe(true);
    expect(result.schedules).toBeGreaterThan(1000);
    expect(result.summary).toBe(`none of the ${result.schedules} possible schedules broke the check (all explored)`);
  });

  it('falls back to random schedules when the budget is too small, and says it is not exhaustive', () => {
    const result = explore(counter(true, 2), {exhaustiveUpTo: 5, seeds: 30});
    expect(result.ok).toBe(true);
    expect(result.exhaustive).toBe(false);
    expect(result.summary).toMatch(/not exhaustive$/);
    const racy = explore(counter(false, 3), {exhaustiveUpTo: 0, seeds: 200});
    expect(racy.ok).toBe(false);
    expect(racy.counterexample?.phase).toBe('random');
  });

  it('replays the same counterexample every time', () => {
    expect(JSON.stringify(explore(counter(false)))).toBe(JSON.stringify(explore(counter(false))));
  });

  it('counts a deadlock as a failure and names what each thread waits for', () => {
    const result = explore((machine) => {
      const q = new Queue<number>(machine, 0, 'jobs');
      return {
        *main() {
          const consumer = machine.thread({name: 'consumer', *target() {
            yield* q.get();
            yield* q.get();
          }});
          yield consumer.start();
          yield* q.put(1);
          yield consumer.join();
        },
        check: () => undefined,
      };
    });
    expect(result.ok).toBe(false);
    expect(result.counterexample?.message).toBe('deadlock: MainThread waits for join consumer (held by consumer); consumer waits for queue jobs.not_empty');
  });

  it('rejects bad options, naming them', () => {
    expect(() => explore(counter(true), {seeds: -1})).toThrow('seeds must be a non-negative integer, got -1');
    expect(() => explore(counter(true), {exhaustiveUpTo: 1.5})).toThrow('exhaustiveUpTo must be a non-negative integer, got 1.5');
  });
});
