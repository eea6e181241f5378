import {describe, expect, it} from 'vitest';
import {Machine} from './machine';
import {cpu, sleep, withLock} from './threads';

describe('Lock', () => {
  it('raises RuntimeError("release unlocked lock") as Python does', () => {
    const machine = new Machine({cores: 1});
    const lock = machine.lock();
    const messages: string[] = [];
    machine.run(function* main() {
      try {
        yield lock.release();
      } catch (error) {
        messages.push(`${(error as Error).name}: ${(error as Error).message}`);
      }
    });
    expect(messages).toEqual(['RuntimeError: release unlocked lock']);
  });

  it('serialises critical sections and counts hand-offs', () => {
    const machine = new Machine({cores: 4});
    const lock = machine.lock('counter');
    let inside = 0;
    let most = 0;
    const result = machine.run(function* main() {
      const threads = Array.from({length: 5}, () => machine.thread({*target() {
        yield* withLock(lock, function* () {
          inside += 1;
          most = Math.max(most, inside);
          yield sleep(1000);
          inside -= 1;
        });
      }}));
      for (const t of threads) yield t.start();
      for (const t of threads) yield t.join();
    });
    expect(most).toBe(1);
    expect(result.metrics.lockHandoffs.counter).toBe(4);
    expect(lock.locked).toBe(false);
  });

  it('deadlocks on acquiring itself twice, reporting a one-edge cycle', () => {
    const machine = new Machine({cores: 1});
    const lock = machine.lock('L');
    const result = machine.run(function* main() {
      yield lock.acquire();
      yield lock.acquire();
    });
    expect(result.deadlock?.cycle).toEqual([{thread: 'MainThread', waitsFor: {kind: 'lock', name: 'L'}, heldBy: 'MainThread'}]);
  });

  it('reports the cycle of a classic two-lock deadlock with thread and lock names', () => {
    const machine = new Machine({cores: 2});
    const a = machine.lock('A');
    const b = machine.lock('B');
    const grab = (first: typeof a, second: typeof a) =>
      function* () {
        yield first.acquire();
        yield sleep(1000);
        yield second.acquire();
      };
    const result = machine.run(function* main() {
      const t1 = machine.thread({name: 't1', target: grab(a, b)});
      const t2 = machine.thread({name: 't2', target: grab(b, a)});
      yield t1.start();
      yield t2.start();
      yield t1.join();
    });
    expect(result.deadlock?.blocked.sort()).toEqual(['MainThread', 't1', 't2']);
    const cycle = result.deadlock?.cycle ?? [];
    expect(cycle.map((e) => `${e.thread}->${e.waitsFor.name}->${e.heldBy}`).sort()).toEqual(['t1->B->t2', 't2->A->t1']);
  });
});

describe('RLock', () => {
  it('is re-entrant for its owner and refuses a release by another thread', () => {
    const machine = new Machine({cores: 2});
    const lock = machine.rlock('R');
    const messages: string[] = [];
    machine.run(function* main() {
      yield lock.acquire();
      yield lock.acquire();
      const other = machine.thread({*target() {
        try {
          yield lock.release();
        } catch (error) {
          messages.push((error as Error).message);
        }
      }});
      yield other.start();
      yield other.join();
      yield lock.release();
      yield cpu(1);
      expect(lock.locked).toBe(true);
      yield lock.release();
      expect(lock.locked).toBe(false);
    });
    expect(messages).toEqual(['cannot release un-acquired lock']);
  });

  it('handed to a thread that waited past the fairness limit, counts that acquire once', () => {
    // Each holder keeps the lock 5 ms, so the waiter is owed a direct hand-off (after 1 ms);
    // the hand-off must leave it at depth 1, or its release would never free the lock.
    const machine = new Machine({cores: 2});
    const lock = machine.rlock('R');
    const result = machine.run(function* main() {
      const threads = ['a', 'b'].map((name) =>
        machine.thread({
          name,
          *target() {
            for (let round = 0; round < 3; round += 1) yield* withLock(lock, function* () {
              yield sleep(5000);
            });
          },
        }),
      );
      for (const thread of threads) yield thread.start();
      for (const thread of threads) yield thread.join();
    });
    expect(result.deadlock).toBeNull();
    expect(lock.locked).toBe(false);
    expect(lock.handoffs).toBeGreaterThan(0);
  });
});
