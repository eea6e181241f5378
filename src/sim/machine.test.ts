import {describe, expect, it} from 'vitest';
import {RuntimeError} from './errors';
import {Machine} from './machine';
import {Event} from './sync';
import {cpu, io, nativeCpu, sleep} from './threads';

const statesOf = (result: ReturnType<Machine['run']>, name: string): string[] =>
  result.trace.filter((r) => r.kind === 'state' && r.actor === name).map((r) => String(r.details.to));

describe('Machine', () => {
  it('rejects a core count that is not a positive integer, naming the parameter and value', () => {
    for (const cores of [0, -1, 1.5, Number.NaN]) expect(() => new Machine({cores})).toThrow(`cores must be a positive integer, got ${cores}`);
    expect(() => new Machine({cores: 1, switchIntervalUs: 0})).toThrow(/switchIntervalUs/);
  });

  it('takes a thread through new → ready → running → blocked → ready → running → terminated', () => {
    const machine = new Machine({cores: 2});
    const result = machine.run(function* main() {
      const t = machine.thread({name: 'downloader', *target() {
        yield cpu(100);
        yield io(10_000);
        yield cpu(100);
      }});
      expect(t.state).toBe('new');
      yield t.start();
      yield t.join();
    });
    expect(statesOf(result, 'downloader')).toEqual(['ready', 'running', 'blocked', 'ready', 'running', 'terminated']);
    expect(result.threads.find((t) => t.name === 'downloader')?.cpuTimeUs).toBe(200);
  });

  it('names threads as Python 3.10+ does and keeps daemon', () => {
    const machine = new Machine({cores: 1});
    machine.run(function* main() {
      const first = machine.thread({*target() {}});
      const named = machine.thread({daemon: true, target: function* worker() {}});
      expect(first.name).toBe('Thread-1 (target)');
      expect(named.name).toBe('Thread-2 (worker)');
      expect(named.daemon).toBe(true);
    });
  });

  it('raises RuntimeError when joining a thread before it is started, and when starting twice', () => {
    const machine = new Machine({cores: 1});
    const caught: string[] = [];
    machine.run(function* main() {
      const t = machine.thread({*target() {}});
      try {
        yield t.join();
      } catch (error) {
        expect(error).toBeInstanceOf(RuntimeError);
        caught.push((error as Error).message);
      }
      yield t.start();
      try {
        yield t.start();
      } catch (error) {
        caught.push((error as Error).message);
      }
    });
    expect(caught).toEqual(['cannot join thread before it is started', 'threads can only be started once']);
  });

  it('reports an uncaught Python exception as ending its thread', () => {
    const machine = new Machine({cores: 1});
    const result = machine.run(function* main() {
      yield machine.thread({*target() {}}).join();
    });
    expect(result.exceptions).toEqual([{thread: 'MainThread', type: 'RuntimeError', message: 'cannot join thread before it is started'}]);
  });

  it('exits without waiting for daemon threads', () => {
    const machine = new Machine({cores: 2});
    const result = machine.run(function* main() {
      yield machine.thread({name: 'forever', daemon: true, *target() {
        yield sleep(1_000_000_000);
      }}).start();
      yield cpu(10);
    });
    expect(result.abandonedDaemons).toEqual(['forever']);
    expect(result.metrics.wallTimeUs).toBeLessThan(1000);
    expect(result.deadlock).toBeNull();
  });
});

describe('GIL', () => {
  const splitWork = (mode: 'gil' | 'free-threaded', threads: number, cores: number) => {
    const machine = new Machine({cores, mode});
    return machine.run(function* main() {
      const workers = Array.from({length: threads}, () => machine.thread({*target() {
        yield cpu(200_000 / threads);
      }}));
      for (const w of workers) yield w.start();
      for (const w of workers) yield w.join();
    });
  };

  it('lets two CPU-bound threads share it, switching about once per switch interval', () => {
    const result = splitWork('gil', 2, 2);
    expect(result.metrics.wallTimeUs).toBeGreaterThanOrEqual(200_000);
    // 200 ms of work, a switch every 5 ms: about 40 hand-offs.
    expect(result.metrics.gilHandoffs).toBeGreaterThan(30);
    expect(result.metrics.gilHandoffs).toBeLessThan(50);
    expect(result.metrics.gilDropRequests).toBeGreaterThan(30);
  });

  it('runs CPU-bound threads in parallel when free-threaded', () => {
    const result = splitWork('free-threaded', 2, 2);
    expect(result.metrics.wallTimeUs).toBeLessThan(110_000);
    expect(result.metrics.gilHandoffs).toBe(0);
  });

  it('never gives the GIL straight back to a holder that dropped it on request (FORCE_SWITCHING)', () => {
    const result = splitWork('gil', 2, 2);
    const gil = result.trace.filter((r) => r.kind === 'gil');
    gil.forEach((record, index) => {
      if (record.details.action !== 'drop' || record.details.forced !== true) return;
      const nextTake = gil.slice(index + 1).find((r) => r.details.action === 'take');
      if (nextTake) expect(nextTake.actor).not.toBe(record.actor);
    });
  });

  it('is released by native code, I/O and sleep', () => {
    const machine = new Machine({cores: 2});
    const result = machine.run(function* main() {
      const t = machine.thread({*target() {
        yield nativeCpu(100_000);
      }});
      yield t.start();
      yield cpu(100_000);
      yield t.join();
    });
    expect(result.metrics.wallTimeUs).toBeLessThan(110_000);
  });

  it('makes an I/O thread wait about one switch interval next to a CPU-bound thread', () => {
    const machine = new Machine({cores: 2, switchIntervalUs: 5000});
    let waited = 0;
    machine.run(function* main() {
      yield machine.thread({daemon: true, *target() {
        yield cpu(10_000_000);
      }}).start();
      const reader = machine.thread({*target() {
        const before = machine.now;
        yield io(1000);
        waited = machine.now - before - 1000;
      }});
      yield reader.start();
      yield reader.join();
    });
    expect(waited).toBeGreaterThan(4000);
    expect(waited).toBeLessThan(6500);
  });
});

describe('Thread.join(timeout)', () => {
  /** A worker that runs `us` without the GIL, joined by main with `timeoutUs`: when join returned, and is_alive() then. */
  function joinWithTimeout(workUs: number, timeoutUs: number | null) {
    const machine = new Machine({cores: 2});
    const seen = {returnedAfterUs: -1, aliveAfter: false, aliveAtEnd: true};
    const result = machine.run(function* main() {
      const worker = machine.thread({name: 'worker', *target() {
        yield nativeCpu(workUs);
      }});
      yield worker.start();
      const before = machine.now;
      yield worker.join({timeoutUs});
      seen.returnedAfterUs = machine.now - before;
      seen.aliveAfter = worker.isAlive();
      yield worker.join();
      seen.aliveAtEnd = worker.isAlive();
    });
    return {...seen, result};
  }

  it('returns when the timeout passes if the thread is still running; isAlive() says so', () => {
    const {returnedAfterUs, aliveAfter, aliveAtEnd} = joinWithTimeout(50_000, 10_000);
    expect(returnedAfterUs).toBeGreaterThanOrEqual(10_000);
    expect(returnedAfterUs).toBeLessThan(10_100);
    expect(aliveAfter).toBe(true);
    expect(aliveAtEnd).toBe(false);
  });

  it('returns as soon as the thread ends when that comes first', () => {
    const {returnedAfterUs, aliveAfter} = joinWithTimeout(5_000, 1_000_000);
    expect(returnedAfterUs).toBeGreaterThanOrEqual(5_000 - 100);
    expect(returnedAfterUs).toBeLessThan(5_100);
    expect(aliveAfter).toBe(false);
  });

  it('cancels the timer of a join that returned early: a later deadlock is reported when it happens', () => {
    const machine = new Machine({cores: 2});
    const neverSet = new Event(machine, 'never set');
    const result = machine.run(function* main() {
      const worker = machine.thread({*target() {
        yield nativeCpu(5_000);
      }});
      yield worker.start();
      yield worker.join({timeoutUs: 1_000_000});
      yield* neverSet.wait();
    });
    expect(result.deadlock?.blocked).toEqual(['MainThread']);
    expect(result.metrics.wallTimeUs).toBeLessThan(10_000);
  });

  it('treats a negative timeout as 0, as Lib/threading.py does: no wait at all', () => {
    for (const timeoutUs of [0, -5_000]) {
      const {returnedAfterUs, aliveAfter} = joinWithTimeout(50_000, timeoutUs);
      expect(returnedAfterUs).toBe(0);
      expect(aliveAfter).toBe(true);
    }
  });

  it('raises RuntimeError("cannot join current thread"), with or without a timeout', () => {
    const machine = new Machine({cores: 1});
    const caught: string[] = [];
    machine.run(function* main() {
      for (const options of [{}, {timeoutUs: 1000}]) {
        try {
          yield machine.currentThread.join(options);
        } catch (error) {
          expect(error).toBeInstanceOf(RuntimeError);
          caught.push((error as Error).message);
        }
      }
      const notStarted = machine.thread({*target() {}});
      try {
        yield notStarted.join({timeoutUs: 1000});
      } catch (error) {
        caught.push((error as Error).message);
      }
    });
    expect(caught).toEqual(['cannot join current thread', 'cannot join current thread', 'cannot join thread before it is started']);
  });

  it('is no deadlock: a thread that waits for a lock the joiner holds gets it once the join times out', () => {
    const run = (timeoutUs: number | null) => {
      const machine = new Machine({cores: 2});
      const lock = machine.lock('L');
      return machine.run(function* main() {
        yield lock.acquire();
        const waiter = machine.thread({name: 'waiter', *target() {
          yield lock.acquire();
          yield lock.release();
        }});
        yield waiter.start();
        yield waiter.join({timeoutUs});
        yield lock.release();
        yield waiter.join();
      });
    };
    expect(run(null).deadlock?.cycle?.map((edge) => edge.thread).sort()).toEqual(['MainThread', 'waiter']);
    const timed = run(20_000);
    expect(timed.deadlock).toBeNull();
    expect(timed.metrics.wallTimeUs).toBeGreaterThanOrEqual(20_000);
  });

  it('rejects a timeout that is not an integer number of microseconds, naming timeoutUs', () => {
    const machine = new Machine({cores: 1});
    machine.run(function* main() {
      const t = machine.thread({*target() {}});
      expect(() => t.join({timeoutUs: 1.5})).toThrow('timeoutUs must be an integer number of microseconds or null, got 1.5');
    });
  });
});
