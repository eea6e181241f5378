import {describe, expect, it} from 'vitest';
import {ValueError} from './errors';
import type {AcquireOptions} from './locks';
import {Machine} from './machine';
import {cpu, nativeCpu, sleep, withLock} from './threads';

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

describe('acquire(blocking, timeout)', () => {
  /** Main holds `lock` for `holdUs`; a thread then calls acquire(options): what it returned, and how long it took. */
  function contend(kind: 'lock' | 'rlock', holdUs: number, options: AcquireOptions) {
    const machine = new Machine({cores: 2});
    const lock = kind === 'lock' ? machine.lock('L') : machine.rlock('L');
    const seen = {returned: null as boolean | null, tookUs: -1, ownerAfter: null as string | null};
    const result = machine.run(function* main() {
      yield lock.acquire();
      const other = machine.thread({name: 'other', *target() {
        const before = machine.now;
        seen.returned = yield* lock.acquire(options);
        seen.tookUs = machine.now - before;
        seen.ownerAfter = lock.owner?.name ?? null;
        if (seen.returned) yield lock.release();
      }});
      yield other.start();
      yield nativeCpu(holdUs);
      yield lock.release();
      yield other.join();
    });
    return {...seen, result, lock};
  }

  it('blocking=False only tries: False at once when another thread holds the lock', () => {
    for (const kind of ['lock', 'rlock'] as const) {
      const {returned, tookUs, ownerAfter} = contend(kind, 10_000, {blocking: false});
      expect(returned).toBe(false);
      expect(tookUs).toBe(0);
      expect(ownerAfter).toBe('MainThread');
    }
  });

  it('a timeout that passes first returns False at the deadline; the lock stays with its owner', () => {
    for (const kind of ['lock', 'rlock'] as const) {
      const {returned, tookUs, ownerAfter, result, lock} = contend(kind, 30_000, {timeoutUs: 10_000});
      expect(returned).toBe(false);
      expect(tookUs).toBeGreaterThanOrEqual(10_000);
      expect(tookUs).toBeLessThan(10_100);
      expect(ownerAfter).toBe('MainThread');
      // It left the queue: the release at 30 ms frees the lock instead of handing it to a thread that gave up.
      expect(result.trace.filter((r) => r.kind === 'lock' && r.details.action === 'release').map((r) => r.details.handedTo)).toEqual([null]);
      expect(lock.locked).toBe(false);
      expect(result.deadlock).toBeNull();
    }
  });

  it('returns True as soon as the lock is released within the timeout', () => {
    for (const kind of ['lock', 'rlock'] as const) {
      const {returned, tookUs, ownerAfter} = contend(kind, 5_000, {timeoutUs: 50_000});
      expect(returned).toBe(true);
      expect(tookUs).toBeGreaterThan(4_000);
      expect(tookUs).toBeLessThan(5_200);
      expect(ownerAfter).toBe('other');
    }
  });

  it('returns True at once when the lock is free, and the RLock owner’s non-blocking acquire goes one level deeper', () => {
    const machine = new Machine({cores: 1});
    const lock = machine.lock('L');
    const rlock = machine.rlock('R');
    const returned: boolean[] = [];
    machine.run(function* main() {
      returned.push(yield* lock.acquire({blocking: false}));
      returned.push(yield* lock.acquire({blocking: false}));
      returned.push(yield* rlock.acquire({timeoutUs: 0}));
      returned.push(yield* rlock.acquire({blocking: false}));
      expect(rlock.count).toBe(2);
    });
    expect(returned).toEqual([true, false, true, true]);
  });

  it('after a timeout, a parked waiter gives up without trying; one a release woke first tries once more', () => {
    // Main releases at `releaseAt`. A filler holds the other core, so the waiter runs only once main
    // blocks, after a context switch (5 µs): past its deadline either way.
    // - deadline 1 µs after the release: the release woke it first; as _PyMutex_LockTimed's loop
    //   does with the timeout down to 0, it tries once: it wins a free lock, loses a retaken one.
    // - deadline at the release: its park timed out first (Py_PARK_TIMEOUT): False, lock free or not.
    const race = (deadlineAfterReleaseUs: number, retake: boolean) => {
      const machine = new Machine({cores: 2});
      const lock = machine.lock('L');
      const seen = {returned: null as boolean | null, ranAfterDeadline: false, lockedThen: false};
      machine.run(function* main() {
        yield lock.acquire();
        const releaseAt = machine.now + 1_000;
        const waiter = machine.thread({name: 'waiter', *target() {
          const deadline = releaseAt + deadlineAfterReleaseUs;
          seen.returned = yield* lock.acquire({timeoutUs: deadline - machine.now});
          seen.ranAfterDeadline = machine.now > deadline;
          seen.lockedThen = lock.locked;
        }});
        yield waiter.start();
        yield machine.thread({name: 'filler', daemon: true, *target() {
          yield nativeCpu(1_000_000);
        }}).start();
        yield nativeCpu(releaseAt - machine.now);
        expect(machine.now).toBe(releaseAt);
        yield lock.release();
        if (retake) yield lock.acquire();
        yield waiter.join();
      });
      return seen;
    };
    expect(race(1, false)).toEqual({returned: true, ranAfterDeadline: true, lockedThen: true});
    expect(race(1, true)).toEqual({returned: false, ranAfterDeadline: true, lockedThen: true});
    expect(race(0, false)).toEqual({returned: false, ranAfterDeadline: true, lockedThen: false});
  });

  it('turns the two-lock deadlock into a back-off: the timed waiter gives up, releases, and both finish', () => {
    const machine = new Machine({cores: 2});
    const a = machine.lock('A');
    const b = machine.lock('B');
    const outcome: string[] = [];
    const result = machine.run(function* main() {
      const patient = machine.thread({name: 'patient', *target() {
        yield* withLock(a, function* () {
          yield sleep(1000);
          yield b.acquire();
          yield b.release();
        });
      }});
      const timid = machine.thread({name: 'timid', *target() {
        yield* withLock(b, function* () {
          yield sleep(1000);
          outcome.push(`timid got A: ${String(yield* a.acquire({timeoutUs: 20_000}))}`);
        });
      }});
      yield patient.start();
      yield timid.start();
      yield patient.join();
      yield timid.join();
    });
    expect(outcome).toEqual(['timid got A: false']);
    expect(result.deadlock).toBeNull();
    expect(result.metrics.wallTimeUs).toBeGreaterThan(20_000);
  });

  it('raises Python’s ValueErrors for a timeout with blocking=False and for a negative timeout other than -1', () => {
    const machine = new Machine({cores: 1});
    for (const lock of [machine.lock('L'), machine.rlock('R')]) {
      expect(() => lock.acquire({blocking: false, timeoutUs: 5})).toThrow(new ValueError("can't specify a timeout for a non-blocking call"));
      expect(() => lock.acquire({timeoutUs: -2})).toThrow(new ValueError('timeout value must be a non-negative number'));
      expect(() => lock.acquire({timeoutUs: -2})).toThrow(ValueError);
      expect(() => lock.acquire({timeoutUs: 0.5})).toThrow('timeoutUs must be an integer number of microseconds (-1: no timeout), got 0.5');
      // -1 is Python's default: no timeout, with or without blocking.
      expect(lock.acquire({timeoutUs: -1}).timeoutUs).toBe(-1);
      expect(lock.acquire({blocking: false, timeoutUs: -1}).timeoutUs).toBe(0);
    }
  });
});
