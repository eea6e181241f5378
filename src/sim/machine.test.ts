import {describe, expect, it} from 'vitest';
import {EVAL_BREAKER_CHECK_US, FREE_THREADED_SINGLE_THREAD_SLOWDOWN, SWITCH_INTERVAL_US} from './constants';
import {RuntimeError} from './errors';
import {Machine, type InterpreterMode, type SubInterpreter} from './machine';
import {Process, pyfunc} from './processes';
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

  /** Two threads each running 20 ms of bytecode as steps of `stepUs`: when each first ran, and the run. */
  const tinySteps = (stepUs: number) => {
    const machine = new Machine({cores: 2});
    const firstRanAt: {[name: string]: number} = {};
    const result = machine.run(function* main() {
      const workers = ['A', 'B'].map((name) => machine.thread({name, *target() {
        firstRanAt[name] = machine.now;
        for (let done = 0; done < 20_000; done += stepUs) yield cpu(stepUs);
      }}));
      for (const w of workers) yield w.start();
      for (const w of workers) yield w.join();
    });
    return {firstRanAt, result};
  };

  it('honours a drop request at a step boundary: a loop of 1 us steps hands over as one long step does', () => {
    for (const stepUs of [1, 10, 20_000]) {
      const {firstRanAt, result} = tinySteps(stepUs);
      // B asks after one switch interval and gets the GIL within an eval-breaker check of that.
      expect(firstRanAt.B, `cpu(${stepUs}) steps`).toBeGreaterThanOrEqual(SWITCH_INTERVAL_US);
      expect(firstRanAt.B, `cpu(${stepUs}) steps`).toBeLessThan(SWITCH_INTERVAL_US + 200);
      expect(result.metrics.gilForcedDrops, `cpu(${stepUs}) steps`).toBe(result.metrics.gilDropRequests);
      expect(result.metrics.gilForcedDrops, `cpu(${stepUs}) steps`).toBeGreaterThan(3);
    }
  });

  it('drops after EVAL_BREAKER_CHECK_US of bytecode past the request, counted across steps', () => {
    const {result} = tinySteps(1);
    const gil = result.trace.filter((r) => r.kind === 'gil');
    const request = gil.findIndex((r) => r.details.action === 'drop-request');
    const drop = gil.slice(request).find((r) => r.details.action === 'drop' && r.details.forced === true)!;
    expect(drop.time - gil[request].time).toBe(EVAL_BREAKER_CHECK_US);
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

describe("mode 'free-threaded-gil': a free-threaded build with its GIL switched back on", () => {
  /** `threads` threads each running `perThreadUs` of bytecode on 4 cores. */
  const crunch = (mode: InterpreterMode, threads: number, perThreadUs: number, freeThreadedVersion?: '3.13' | '3.14') => {
    const machine = new Machine({cores: 4, mode, freeThreadedVersion});
    return machine.run(function* main() {
      const workers = Array.from({length: threads}, () => machine.thread({*target() {
        yield cpu(perThreadUs);
      }}));
      for (const w of workers) yield w.start();
      for (const w of workers) yield w.join();
    });
  };

  it('pays the free-threaded slowdown and still takes turns under a GIL', () => {
    for (const version of ['3.13', '3.14'] as const) {
      const slowdown = 1 + FREE_THREADED_SINGLE_THREAD_SLOWDOWN[version];
      const alone = crunch('free-threaded-gil', 1, 100_000, version);
      expect(alone.threads.find((t) => t.name !== 'MainThread')?.cpuTimeUs, version).toBe(Math.round(100_000 * slowdown));
      const four = crunch('free-threaded-gil', 4, 100_000, version);
      // One at a time: at least the four threads' work end to end, where the GIL-less build runs them side by side.
      expect(four.metrics.wallTimeUs, version).toBeGreaterThanOrEqual(4 * 100_000 * slowdown);
      expect(four.metrics.gilHandoffs, version).toBeGreaterThan(30);
      expect(crunch('free-threaded', 4, 100_000, version).metrics.wallTimeUs, version).toBeLessThan(1.1 * 100_000 * slowdown);
    }
    expect(crunch('free-threaded-gil', 4, 100_000).metrics.wallTimeUs).toBeGreaterThan(crunch('gil', 4, 100_000).metrics.wallTimeUs * 1.05);
  });

  it('rejects an unknown mode, listing the three', () => {
    expect(() => new Machine({cores: 1, mode: 'nogil' as InterpreterMode})).toThrow('mode must be one of "gil", "free-threaded", "free-threaded-gil", got nogil');
  });
});

describe('subinterpreters (PEP 684): a GIL per interpreter', () => {
  /** Two threads, each running 100 ms of bytecode where `place` puts it: a subinterpreter, or the main interpreter (null). */
  const twoThreads = (mode: InterpreterMode, place: (machine: Machine) => [SubInterpreter | null, SubInterpreter | null]) => {
    const machine = new Machine({cores: 2, mode});
    const result = machine.run(function* main() {
      const [first, second] = place(machine);
      const workers = [first, second].map((interpreter, index) => machine.thread({name: `w${index}`, *target() {
        if (interpreter !== null) yield interpreter.enter();
        yield cpu(100_000);
        if (interpreter !== null) yield interpreter.leave();
      }}));
      for (const w of workers) yield w.start();
      for (const w of workers) yield w.join();
    });
    return {result};
  };

  it('runs bytecode in two subinterpreters in parallel, and takes turns in one', () => {
    const own = twoThreads('gil', (machine) => [machine.createInterpreter(), machine.createInterpreter()]);
    expect(own.result.metrics.wallTimeUs).toBeLessThan(110_000);
    const shared = twoThreads('gil', (machine) => {
      const interpreter = machine.createInterpreter();
      return [interpreter, interpreter];
    });
    expect(shared.result.metrics.wallTimeUs).toBeGreaterThanOrEqual(200_000);
    // One thread in the main interpreter and one in a subinterpreter do not share a GIL either.
    expect(twoThreads('gil', (machine) => [null, machine.createInterpreter()]).result.metrics.wallTimeUs).toBeLessThan(110_000);
  });

  it('numbers interpreters from 1 per process, and traces a subinterpreter GIL with its id', () => {
    const {result} = twoThreads('gil', (machine) => [machine.createInterpreter(), machine.createInterpreter()]);
    const takes = result.trace.filter((r) => r.kind === 'gil' && r.details.action === 'take' && 'interpreter' in r.details);
    expect(takes.map((r) => `${r.actor} ${String(r.details.interpreter)}`).sort()).toEqual(['w0 1', 'w1 2']);
    // The main interpreter's GIL records are unchanged: no interpreter key.
    expect(result.trace.filter((r) => r.kind === 'gil' && r.actor === 'MainThread').every((r) => !('interpreter' in r.details))).toBe(true);
  });

  it('releases the GIL of the interpreter a thread leaves', () => {
    const machine = new Machine({cores: 2});
    let mainRanAt = -1;
    machine.run(function* main() {
      const interpreter = machine.createInterpreter();
      const worker = machine.thread({name: 'w', *target() {
        yield interpreter.enter();
        yield interpreter.leave();
        // Back in the main interpreter: this bytecode needs the main GIL.
        yield cpu(50_000);
      }});
      yield worker.start();
      yield sleep(1000);
      yield cpu(10);
      mainRanAt = machine.now;
      yield worker.join();
    });
    // The main thread waited for the worker's turn on the main GIL (about one switch interval).
    expect(mainRanAt).toBeGreaterThanOrEqual(SWITCH_INTERVAL_US);
  });

  it('refuses to let a thread enter an interpreter of another process', () => {
    const machine = new Machine({cores: 2});
    expect(() =>
      machine.run(function* main() {
        const interpreter = machine.createInterpreter();
        const child = new Process(machine, {name: 'child', startMethod: 'fork', target: pyfunc('enter', function* () {
          yield interpreter.enter();
        })});
        yield* child.start();
        yield* child.join();
      }),
    ).toThrow('thread child/MainThread cannot enter interpreter 1 of MainProcess: it belongs to another process');
  });

  it('has no GIL in a subinterpreter of a free-threaded build, and one with its GIL back on', () => {
    const free = twoThreads('free-threaded', (machine) => {
      const interpreter = machine.createInterpreter();
      return [interpreter, interpreter];
    });
    expect(free.result.metrics.wallTimeUs).toBeLessThan(1.1 * 100_000 * (1 + FREE_THREADED_SINGLE_THREAD_SLOWDOWN['3.14']));
    const withGil = twoThreads('free-threaded-gil', (machine) => {
      const interpreter = machine.createInterpreter();
      return [interpreter, interpreter];
    });
    expect(withGil.result.metrics.wallTimeUs).toBeGreaterThanOrEqual(2 * 100_000 * (1 + FREE_THREADED_SINGLE_THREAD_SLOWDOWN['3.14']));
  });
});
