import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {PythonError} from './errors';
import {Machine} from './machine';
import {Barrier, BoundedSemaphore, BrokenBarrierError, Condition, Event, Queue, QueueEmpty, QueueFull, Semaphore, withSemaphore} from './sync';
import {cpu, sleep, withLock, type ThreadProgram} from './threads';

/** Run `body` as the main program, catching a Python error and returning "Type: message". */
function raised(body: (machine: Machine) => ThreadProgram): string {
  const machine = new Machine({cores: 1});
  let message = 'nothing raised';
  machine.run(function* main() {
    try {
      yield* body(machine);
    } catch (error) {
      if (!(error instanceof PythonError)) throw error;
      message = `${error.pythonType}: ${error.message}`;
    }
  });
  return message;
}

function* threads(machine: Machine, count: number, target: (index: number) => ThreadProgram): ThreadProgram {
  const started = Array.from({length: count}, (_, index) => machine.thread({name: `t${index}`, target: () => target(index)}));
  for (const thread of started) yield thread.start();
  for (const thread of started) yield thread.join();
}

describe('Semaphore', () => {
  it('lets at most n threads in at once', () => {
    const machine = new Machine({cores: 4});
    const kitchen = new Semaphore(machine, 3, 'kitchen');
    let inside = 0;
    let most = 0;
    const result = machine.run(function* main() {
      yield* threads(machine, 8, () =>
        withSemaphore(kitchen, function* () {
          inside += 1;
          most = Math.max(most, inside);
          yield sleep(10_000);
          inside -= 1;
        }),
      );
    });
    expect(most).toBe(3);
    expect(kitchen.value).toBe(3);
    // 8 threads, 3 at a time, 10 ms each: three rounds.
    expect(result.metrics.wallTimeUs).toBeGreaterThan(30_000);
    expect(result.metrics.wallTimeUs).toBeLessThan(31_000);
  });

  it('raises the ValueErrors Python raises', () => {
    expect(raised(function* (m) {
      new Semaphore(m, -1);
      yield cpu(1);
    })).toBe('ValueError: semaphore initial value must be >= 0');
    expect(raised(function* (m) {
      new Semaphore(m, 1).release(0);
      yield cpu(1);
    })).toBe('ValueError: n must be one or more');
    expect(raised(function* (m) {
      yield* new Semaphore(m, 1).acquire({blocking: false, timeoutUs: 5});
    })).toBe("ValueError: can't specify timeout for non-blocking acquire");
  });

  it('BoundedSemaphore refuses a release above its initial value', () => {
    expect(raised(function* (m) {
      const sem = new BoundedSemaphore(m, 2);
      yield* sem.acquire();
      sem.release();
      sem.release();
    })).toBe('ValueError: Semaphore released too many times');
  });

  it('acquire with a timeout gives up after the timeout; non-blocking returns false at once', () => {
    const machine = new Machine({cores: 1});
    const sem = new Semaphore(machine, 0);
    const seen: [boolean, number][] = [];
    machine.run(function* main() {
      const start = machine.now;
      seen.push([yield* sem.acquire({blocking: false}), machine.now - start]);
      seen.push([yield* sem.acquire({timeoutUs: 2000}), machine.now - start]);
    });
    expect(seen).toEqual([[false, 0], [false, 2000]]);
  });
});

describe('Event', () => {
  it('wakes every waiter on set() and times out otherwise', () => {
    const machine = new Machine({cores: 2});
    const ready = new Event(machine, 'ready');
    const woke: string[] = [];
    let timedOut: [boolean, number] = [true, -1];
    machine.run(function* main() {
      const waiters = [0, 1, 2].map((index) =>
        machine.thread({name: `w${index}`, *target() {
          if (yield* ready.wait()) woke.push(`w${index}@${machine.now}`);
        }}),
      );
      for (const t of waiters) yield t.start();
      yield sleep(5000);
      ready.set();
      for (const t of waiters) yield t.join();
      ready.clear();
      timedOut = [yield* ready.wait(1000), machine.now];
    });
    expect(woke).toHaveLength(3);
    for (const entry of woke) expect(Number(entry.split('@')[1])).toBeGreaterThanOrEqual(5000);
    expect(timedOut[0]).toBe(false);
  });
});

describe('Condition', () => {
  it('acquire takes the underlying lock’s blocking and timeout, returning whether it got it', () => {
    const machine = new Machine({cores: 2});
    const cond = new Condition(machine, undefined, 'cond');
    const returned: string[] = [];
    machine.run(function* main() {
      yield cond.acquire();
      const other = machine.thread({name: 'other', *target() {
        returned.push(`try: ${String(yield* cond.acquire({blocking: false}))}`);
        const before = machine.now;
        returned.push(`timed: ${String(yield* cond.acquire({timeoutUs: 2000}))} after ${machine.now - before >= 2000 ? '≥' : '<'} 2 ms`);
      }});
      yield other.start();
      yield other.join();
      yield cond.release();
    });
    expect(returned).toEqual(['try: false', 'timed: false after ≥ 2 ms']);
  });

  it('wait releases the lock, notify wakes a waiter, and wait returns holding the lock again', () => {
    const machine = new Machine({cores: 2});
    const cond = new Condition(machine, undefined, 'cond');
    const items: number[] = [];
    const log: string[] = [];
    machine.run(function* main() {
      const consumer = machine.thread({name: 'consumer', *target() {
        yield* withLock(cond.lock, function* () {
          while (items.length === 0) yield* cond.wait();
          log.push(`got ${items.shift()} holding=${cond.lock.owner?.name}`);
        });
      }});
      yield consumer.start();
      yield sleep(1000);
      // The consumer is waiting, so the lock is free for the producer.
      yield* withLock(cond.lock, function* () {
        items.push(42);
        cond.notify();
        log.push('notified');
      });
      yield consumer.join();
    });
    expect(log).toEqual(['notified', 'got 42 holding=consumer']);
  });

  it('releases every level of an RLock while waiting and restores them', () => {
    const machine = new Machine({cores: 2});
    const cond = new Condition(machine);
    let depthAfter = -1;
    const result = machine.run(function* main() {
      const other = machine.thread({name: 'other', *target() {
        yield cond.acquire();
        cond.notifyAll();
        yield cond.release();
      }});
      yield cond.acquire();
      yield cond.acquire();
      yield other.start();
      yield* cond.wait();
      depthAfter = (cond.lock as {count: number}).count;
      yield cond.release();
      yield cond.release();
      yield other.join();
    });
    expect(result.deadlock).toBeNull();
    expect(depthAfter).toBe(2);
  });

  it('refuses to wait or notify without the lock, as Python does', () => {
    expect(raised(function* (m) {
      yield* new Condition(m).wait();
    })).toBe('RuntimeError: cannot wait on un-acquired lock');
    expect(raised(function* (m) {
      new Condition(m, m.lock()).notify();
      yield cpu(1);
    })).toBe('RuntimeError: cannot notify on un-acquired lock');
  });

  it('wait(timeout) returns false after the timeout, and wait_for returns the predicate', () => {
    const machine = new Machine({cores: 1});
    const cond = new Condition(machine);
    const seen: unknown[] = [];
    machine.run(function* main() {
      const start = machine.now;
      yield cond.acquire();
      seen.push(yield* cond.wait(3000), machine.now - start);
      seen.push(yield* cond.waitFor(() => false, 2000), machine.now - start);
      yield cond.release();
    });
    expect(seen).toEqual([false, 3000, false, 5000]);
  });
});

describe('Barrier', () => {
  it('releases all parties together, each with its own index', () => {
    const machine = new Machine({cores: 4});
    const barrier = new Barrier(machine, 3);
    const passed: {index: number; at: number}[] = [];
    machine.run(function* main() {
      yield* threads(machine, 3, function* (index) {
        yield sleep(1000 * (index + 1));
        passed.push({index: yield* barrier.wait(), at: machine.now});
      });
    });
    expect(passed.map((p) => p.index).sort()).toEqual([0, 1, 2]);
    for (const p of passed) expect(p.at).toBeGreaterThanOrEqual(3000);
    expect(barrier.broken).toBe(false);
  });

  it('breaks on a timeout: every waiter gets BrokenBarrierError, and so does a later caller', () => {
    const machine = new Machine({cores: 4});
    const barrier = new Barrier(machine, 3, {timeoutUs: 2000});
    const errors: string[] = [];
    machine.run(function* main() {
      yield* threads(machine, 2, function* () {
        try {
          yield* barrier.wait();
        } catch (error) {
          if (error instanceof BrokenBarrierError) errors.push(error.pythonType);
        }
      });
      try {
        yield* barrier.wait();
      } catch (error) {
        if (error instanceof BrokenBarrierError) errors.push('late');
      }
    });
    expect(errors).toEqual(['threading.BrokenBarrierError', 'threading.BrokenBarrierError', 'late']);
    expect(barrier.broken).toBe(true);
  });
});

describe('Queue', () => {
  it('is FIFO, blocks put on a full queue and get on an empty one', () => {
    const machine = new Machine({cores: 2});
    const q = new Queue<number>(machine, 2, 'q');
    const got: number[] = [];
    let putDoneAt = -1;
    machine.run(function* main() {
      const consumer = machine.thread({name: 'consumer', *target() {
        yield sleep(5000);
        for (let i = 0; i < 4; i += 1) got.push(yield* q.get());
      }});
      yield consumer.start();
      for (let i = 1; i <= 4; i += 1) yield* q.put(i);
      putDoneAt = machine.now;
      yield consumer.join();
    });
    expect(got).toEqual([1, 2, 3, 4]);
    expect(q.peakSize).toBe(2);
    expect(putDoneAt).toBeGreaterThanOrEqual(5000);
  });

  it('raises queue.Empty and queue.Full after a timeout or without blocking', () => {
    const machine = new Machine({cores: 1});
    const q = new Queue<string>(machine, 1);
    const seen: string[] = [];
    machine.run(function* main() {
      const start = machine.now;
      try {
        yield* q.get({timeoutUs: 1500});
      } catch (error) {
        if (error instanceof QueueEmpty) seen.push(`${error.pythonType} at ${machine.now - start}`);
      }
      q.putNowait('a');
      try {
        q.putNowait('b');
      } catch (error) {
        if (error instanceof QueueFull) seen.push(error.pythonType);
      }
      try {
        yield* q.put('c', {timeoutUs: 500});
      } catch (error) {
        if (error instanceof QueueFull) seen.push(`${error.pythonType} at ${machine.now - start}`);
      }
      seen.push(q.getNowait());
    });
    expect(seen).toEqual(['_queue.Empty at 1500', 'queue.Full', 'queue.Full at 2000', 'a']);
  });

  it('join waits for task_done; one task_done too many raises ValueError; a negative timeout too', () => {
    const machine = new Machine({cores: 2});
    const q = new Queue<number>(machine);
    let joinedAt = -1;
    machine.run(function* main() {
      const worker = machine.thread({name: 'worker', daemon: true, *target() {
        for (;;) {
          yield* q.get();
          yield sleep(1000);
          q.taskDone();
        }
      }});
      yield worker.start();
      for (let i = 0; i < 3; i += 1) yield* q.put(i);
      yield* q.join();
      joinedAt = machine.now;
    });
    expect(joinedAt).toBeGreaterThanOrEqual(3000);
    expect(raised(function* (m) {
      new Queue(m).taskDone();
      yield cpu(1);
    })).toBe('ValueError: task_done() called too many times');
    expect(raised(function* (m) {
      yield* new Queue(m).get({timeoutUs: -1});
    })).toBe("ValueError: 'timeout' must be a non-negative number");
  });
});

describe('deadlock report', () => {
  it('names threads blocked on a queue, an event and a lock, with no owner where there is none', () => {
    const machine = new Machine({cores: 2});
    const q = new Queue(machine, 0, 'jobs');
    const never = new Event(machine, 'never');
    const lock = machine.lock('L');
    const result = machine.run(function* main() {
      const consumer = machine.thread({name: 'consumer', *target() {
        yield* q.get();
      }});
      const waiter = machine.thread({name: 'waiter', *target() {
        yield lock.acquire();
        yield* never.wait();
      }});
      yield consumer.start();
      yield waiter.start();
      yield sleep(100);
      yield lock.acquire();
    });
    expect(result.deadlock?.cycle).toBeNull();
    expect(result.deadlock?.waits).toEqual([
      {thread: 'MainThread', waitsFor: {kind: 'lock', name: 'L'}, heldBy: 'waiter'},
      {thread: 'consumer', waitsFor: {kind: 'queue', name: 'jobs.not_empty'}, heldBy: null},
      {thread: 'waiter', waitsFor: {kind: 'event', name: 'never'}, heldBy: null},
    ]);
  });
});

describe('invariants over random programs', () => {
  it('a Semaphore(n) never has more than n holders and a Queue(maxsize) never holds more than maxsize', () => {
    fc.assert(
      fc.property(
        fc.record({
          cores: fc.integer({min: 1, max: 3}),
          seed: fc.integer({min: 0, max: 1000}),
          n: fc.integer({min: 1, max: 3}),
          maxsize: fc.integer({min: 1, max: 3}),
          workers: fc.array(fc.record({hold: fc.integer({min: 0, max: 3000}), items: fc.integer({min: 0, max: 4})}), {minLength: 1, maxLength: 5}),
        }),
        ({cores, seed, n, maxsize, workers}) => {
          const machine = new Machine({cores, seed});
          const sem = new Semaphore(machine, n);
          const q = new Queue<number>(machine, maxsize);
          const total = workers.reduce((sum, w) => sum + w.items, 0);
          let inside = 0;
          let most = 0;
          let consumed = 0;
          const result = machine.run(function* main() {
            const consumer = machine.thread({name: 'consumer', *target() {
              for (let i = 0; i < total; i += 1) {
                yield* q.get();
                consumed += 1;
                yield sleep(500);
              }
            }});
            yield consumer.start();
            yield* threads(machine, workers.length, function* (index) {
              const {hold, items} = workers[index];
              yield* withSemaphore(sem, function* () {
                inside += 1;
                most = Math.max(most, inside);
                yield sleep(hold);
                inside -= 1;
              });
              for (let i = 0; i < items; i += 1) yield* q.put(i);
            });
            yield consumer.join();
          });
          expect(result.deadlock).toBeNull();
          expect(most).toBeLessThanOrEqual(n);
          expect(q.peakSize).toBeLessThanOrEqual(maxsize);
          expect(consumed).toBe(total);
        },
      ),
      {numRuns: 100},
    );
  });
});
