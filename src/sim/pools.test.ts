import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {
  FREE_THREADED_SINGLE_THREAD_SLOWDOWN,
  INTERPRETER_CLOSE_US,
  INTERPRETER_START_US,
  PICKLE_CALL_US,
  PIPE_MESSAGE_US,
  POOL_TASK_OVERHEAD_US,
  THREAD_START_US,
} from './constants';
import {PythonError} from './errors';
import {Machine} from './machine';
import {InterpreterPoolExecutor, Pool, ProcessPoolExecutor, ThreadPoolExecutor, asCompleted, defaultChunksize, wait, type Future} from './pools';
import {Payload, Process, START_METHODS, pickleCostUs, pickledSize, pyfunc, type PyFunction} from './processes';
import {cpu, sleep} from './threads';

const napper = pyfunc('nap', function* (ms: number) {
  yield sleep(ms * 1000);
  return ms;
});
const failing = pyfunc('fail', function* (ms: number): Generator<ReturnType<typeof sleep>, number, void> {
  yield sleep(ms * 1000);
  throw new PythonError('ValueError', `bad ${ms}`);
});

describe('Future and ThreadPoolExecutor', () => {
  it('defaults max_workers to min(32, cpu + 4) and rejects 0 with Python’s message', () => {
    expect(new ThreadPoolExecutor(new Machine({cores: 4})).maxWorkers).toBe(8);
    expect(new ThreadPoolExecutor(new Machine({cores: 64})).maxWorkers).toBe(32);
    expect(() => new ThreadPoolExecutor(new Machine({cores: 1}), {maxWorkers: 0})).toThrow('max_workers must be greater than 0');
  });

  it('starts workers lazily, one per submit while none is idle, up to max_workers', () => {
    const machine = new Machine({cores: 2});
    const counts: number[] = [];
    machine.run(function* main() {
      const pool = new ThreadPoolExecutor(machine, {maxWorkers: 3});
      counts.push(pool.threads.length);
      const first = yield* pool.submit(napper, 1);
      counts.push(pool.threads.length);
      yield* first.result();
      yield sleep(100);
      yield* pool.submit(napper, 1);
      counts.push(pool.threads.length);
      for (let i = 0; i < 5; i += 1) yield* pool.submit(napper, 1);
      counts.push(pool.threads.length);
      yield* pool.shutdown();
    });
    expect(counts).toEqual([0, 1, 1, 3]);
  });

  it('keeps a task’s exception in its Future until result() or exception() asks', () => {
    const machine = new Machine({cores: 2});
    const seen: string[] = [];
    const result = machine.run(function* main() {
      yield* new ThreadPoolExecutor(machine, {maxWorkers: 2}).within(function* (pool) {
        const f = yield* pool.submit(failing, 1);
        yield sleep(5000);
        seen.push(`done=${f.done()}`);
        seen.push(`exception=${(yield* f.exception())?.message}`);
        try {
          yield* f.result();
        } catch (e) {
          seen.push(`raised ${(e as PythonError).pythonType}: ${(e as Error).message}`);
        }
      });
    });
    expect(seen).toEqual(['done=true', 'exception=bad 1', 'raised ValueError: bad 1']);
    expect(result.exceptions).toEqual([]);
  });

  it('raises TimeoutError from result(timeout) and CancelledError after cancel()', () => {
    const machine = new Machine({cores: 2});
    const seen: string[] = [];
    machine.run(function* main() {
      yield* new ThreadPoolExecutor(machine, {maxWorkers: 1}).within(function* (pool) {
        const slow = yield* pool.submit(napper, 100);
        const queued = yield* pool.submit(napper, 1);
        try {
          yield* slow.result(10_000);
        } catch (e) {
          seen.push((e as PythonError).pythonType);
        }
        seen.push(`cancel running: ${slow.cancel()}`, `cancel queued: ${queued.cancel()}`);
        try {
          yield* queued.result();
        } catch (e) {
          seen.push((e as PythonError).pythonType);
        }
      });
    });
    expect(seen).toEqual(['TimeoutError', 'cancel running: false', 'cancel queued: true', 'CancelledError']);
  });

  it('runs a callback in the completing worker, or at once in the caller if already done', () => {
    const machine = new Machine({cores: 2});
    const ran: string[] = [];
    machine.run(function* main() {
      yield* new ThreadPoolExecutor(machine, {maxWorkers: 2, threadNamePrefix: 'w'}).within(function* (pool) {
        const quick = yield* pool.submit(napper, 1);
        const slow = yield* pool.submit(napper, 50);
        yield sleep(10_000);
        quick.addDoneCallback(() => ran.push(`quick in ${machine.currentThread.name}`));
        slow.addDoneCallback(() => ran.push(`slow in ${machine.currentThread.name}`));
      });
    });
    expect(ran).toEqual(['quick in MainThread', 'slow in w_1']);
  });

  it('map yields in input order and raises a call’s exception when iteration reaches it, cancelling the rest', () => {
    const machine = new Machine({cores: 2});
    const seen: string[] = [];
    const maybeFail = pyfunc('maybe', function* (ms: number) {
      yield sleep(ms * 1000);
      if (ms === 2) throw new PythonError('ValueError', 'two');
      return ms;
    });
    machine.run(function* main() {
      yield* new ThreadPoolExecutor(machine, {maxWorkers: 1}).within(function* (pool) {
        const results = yield* pool.map(maybeFail, [3, 1, 2, 5, 4]);
        try {
          for (let next; (next = yield* results.next()) !== null; ) seen.push(String(next.value));
        } catch (e) {
          seen.push(`raised ${(e as Error).message}`);
        }
        seen.push(results.futures.map((f) => f.state[0]).join(''));
      });
    });
    // The worker had already taken 5 when 2 failed: a running call cannot be cancelled; 4 can.
    expect(seen).toEqual(['3', '1', 'raised two', 'FFFRC']);
  });

  it('shutdown(cancel_futures=True) cancels queued calls; submit afterwards raises RuntimeError', () => {
    const machine = new Machine({cores: 2});
    const seen: string[] = [];
    machine.run(function* main() {
      const pool = new ThreadPoolExecutor(machine, {maxWorkers: 1});
      const fs: Future<number>[] = [];
      for (const ms of [5, 5, 5]) fs.push(yield* pool.submit(napper, ms));
      yield sleep(100);
      yield* pool.shutdown({wait: true, cancelFutures: true});
      seen.push(fs.map((f) => f.state).join(','));
      try {
        yield* pool.submit(napper, 1);
      } catch (e) {
        seen.push((e as Error).message);
      }
    });
    expect(seen).toEqual(['FINISHED,CANCELLED,CANCELLED', 'cannot schedule new futures after shutdown']);
  });

  it('wait() returns on FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED and a timeout', () => {
    const machine = new Machine({cores: 4});
    const got: string[] = [];
    machine.run(function* main() {
      yield* new ThreadPoolExecutor(machine, {maxWorkers: 4}).within(function* (pool) {
        const fs = [yield* pool.submit(napper, 30), yield* pool.submit(failing, 20), yield* pool.submit(napper, 10)];
        const show = (r: {done: Future<number>[]}) => `${Math.round(machine.now / 1000)}ms:${r.done.map((f) => fs.indexOf(f)).join('')}`;
        got.push(show(yield* wait(machine, fs, {returnWhen: 'FIRST_COMPLETED'})));
        got.push(show(yield* wait(machine, fs, {returnWhen: 'FIRST_EXCEPTION'})));
        got.push(show(yield* wait(machine, fs, {timeoutUs: 5000})));
        got.push(show(yield* wait(machine, fs)));
      });
    });
    expect(got).toEqual(['10ms:2', '20ms:12', '25ms:12', '30ms:012']);
  });

  it('as_completed yields in completion order and raises TimeoutError with Python’s message', () => {
    const machine = new Machine({cores: 4});
    const order: number[] = [];
    let message = '';
    machine.run(function* main() {
      yield* new ThreadPoolExecutor(machine, {maxWorkers: 4}).within(function* (pool) {
        const fs: Future<number>[] = [];
        for (const ms of [30, 10, 20]) fs.push(yield* pool.submit(napper, ms));
        const it = asCompleted(machine, fs);
        for (let f; (f = yield* it.next()) !== null; ) order.push(yield* f.result());
        const late: Future<number>[] = [yield* pool.submit(napper, 50), yield* pool.submit(napper, 1)];
        const timed = asCompleted(machine, late, 10_000);
        try {
          for (let f; (f = yield* timed.next()) !== null; ) order.push(yield* f.result());
        } catch (e) {
          message = (e as Error).message;
        }
      });
    });
    expect(order).toEqual([10, 20, 30, 1]);
    expect(message).toBe('1 (of 2) futures unfinished');
  });

  it('as_completed yields a failed future without raising: only result() raises (seed 004 says as_completed raises)', () => {
    const machine = new Machine({cores: 2});
    const seen: string[] = [];
    machine.run(function* main() {
      yield* new ThreadPoolExecutor(machine, {maxWorkers: 2}).within(function* (pool) {
        const it = asCompleted(machine, [yield* pool.submit(failing, 1), yield* pool.submit(napper, 2)]);
        for (let f; (f = yield* it.next()) !== null; ) {
          seen.push(`yielded ${f.name}`);
          try {
            seen.push(`result ${yield* f.result()}`);
          } catch (e) {
            seen.push(`result raised ${(e as Error).message}`);
          }
        }
      });
    });
    expect(seen).toEqual(['yielded fail#1', 'result raised bad 1', 'yielded nap#2', 'result 2']);
  });

  it('property: every submitted future ends FINISHED, and map returns inputs in order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({min: 0, max: 20}), {maxLength: 12}), fc.integer({min: 1, max: 4}), fc.integer({min: 1, max: 3}), (delays, workers, cores) => {
        const machine = new Machine({cores});
        let values: number[] = [];
        machine.run(function* main() {
          yield* new ThreadPoolExecutor(machine, {maxWorkers: workers}).within(function* (pool) {
            const results = yield* pool.map(napper, delays);
            for (let next; (next = yield* results.next()) !== null; ) values.push(next.value);
            expect(results.futures.every((f) => f.state === 'FINISHED')).toBe(true);
          });
        });
        expect(values).toEqual(delays);
      }),
      {numRuns: 60},
    );
  });
});

describe('ProcessPoolExecutor', () => {
  it('defaults max_workers to the core count and runs CPU-bound calls in parallel', () => {
    const machine = new Machine({cores: 4});
    const work = pyfunc('work', function* (x: number) {
      yield cpu(500_000);
      return x * 2;
    });
    let values: number[] = [];
    const result = machine.run(function* main() {
      yield* new ProcessPoolExecutor(machine, {startMethod: 'fork'}).within(function* (pool) {
        expect(pool.maxWorkers).toBe(4);
        const results = yield* pool.map(work, [1, 2, 3, 4]);
        for (let next; (next = yield* results.next()) !== null; ) values.push(next.value);
      });
    });
    expect(values).toEqual([2, 4, 6, 8]);
    expect(result.metrics.wallTimeUs).toBeLessThan(560_000);
    expect(result.processes.filter((p) => p.pid !== 1).map((p) => p.exitcode)).toEqual([0, 0, 0, 0]);
  });

  it('puts a lambda’s PicklingError and a task’s exception into their Futures', () => {
    const machine = new Machine({cores: 2});
    const seen: string[] = [];
    const lambda = pyfunc('<lambda>', function* () {
      return 1;
    });
    machine.run(function* main() {
      yield* new ProcessPoolExecutor(machine, {maxWorkers: 2, startMethod: 'fork'}).within(function* (pool) {
        const bad = yield* pool.submit(lambda);
        const raising = yield* pool.submit(failing, 1);
        for (const f of [bad, raising]) {
          const error = yield* f.exception();
          seen.push(`${error?.pythonType}: ${error?.message.replace(/0x[0-9a-f]+/, '0x…')}`);
        }
      });
    });
    expect(seen).toEqual(["PicklingError: Can't pickle <function <lambda> at 0x…>: attribute lookup <lambda> on __main__ failed", 'ValueError: bad 1']);
  });

  it('starts every worker at the first submit with fork, and on demand with spawn', () => {
    const count = (startMethod: 'fork' | 'spawn') => {
      const machine = new Machine({cores: 4});
      let started = 0;
      machine.run(function* main() {
        yield* new ProcessPoolExecutor(machine, {startMethod}).within(function* (pool) {
          yield* (yield* pool.submit(napper, 1)).result();
          started = pool.processes.length;
        });
      });
      return started;
    };
    expect(count('fork')).toBe(4);
    expect(count('spawn')).toBe(1);
  });

  it('never starts more than max_workers when many threads submit at once (submit holds _shutdown_lock)', () => {
    for (const startMethod of START_METHODS) {
      const machine = new Machine({cores: 8});
      const work = pyfunc('work', function* (x: number) {
        yield cpu(1000);
        return x;
      });
      let names: string[] = [];
      const values: number[] = [];
      const result = machine.run(function* main() {
        const pool = new ProcessPoolExecutor(machine, {startMethod});
        const submitters = Array.from({length: 16}, (_, i) => machine.thread({*target() {
          values.push(yield* (yield* pool.submit(work, i)).result());
        }}));
        for (const t of submitters) yield t.start();
        for (const t of submitters) yield t.join();
        yield* pool.shutdown();
        names = pool.processes.map((p) => p.name);
      });
      const prefix = {fork: 'ForkProcess', spawn: 'SpawnProcess', forkserver: 'ForkServerProcess'}[startMethod];
      expect(names, startMethod).toEqual(Array.from({length: 8}, (_, i) => `${prefix}-${i + 1}`));
      expect(result.processes.filter((p) => p.pid !== 1), startMethod).toHaveLength(8);
      expect([...values].sort((a, b) => a - b), startMethod).toEqual(Array.from({length: 16}, (_, i) => i));
    }
  });

  it('numbers its workers from multiprocessing’s process counter, shared with Process and Pool', () => {
    const machine = new Machine({cores: 2});
    const names: string[] = [];
    machine.run(function* main() {
      const first = new Process(machine, {target: napper, args: [1], startMethod: 'fork'});
      names.push(first.name);
      yield* first.start();
      const pool = yield* Pool.create(machine, {processes: 1, startMethod: 'fork'});
      names.push(...pool.processes.map((p) => p.name));
      pool.terminate();
      yield* new ProcessPoolExecutor(machine, {maxWorkers: 2, startMethod: 'fork'}).within(function* (executor) {
        yield* (yield* executor.submit(napper, 1)).result();
        names.push(...executor.processes.map((p) => p.name));
      });
      yield* first.join();
    });
    expect(names).toEqual(['Process-1', 'ForkPoolWorker-2', 'ForkProcess-3', 'ForkProcess-4']);
  });
});

describe('InterpreterPoolExecutor', () => {
  const crunch = pyfunc('crunch', function* (us: number) {
    yield cpu(us);
    return us;
  });

  /** Wall time of `calls` calls of crunch(us) through a pool of `maxWorkers` on 4 cores, and their results. */
  const timeMap = (Executor: typeof ThreadPoolExecutor, calls: number, us: number, maxWorkers = 4) => {
    const machine = new Machine({cores: 4});
    const values: number[] = [];
    const result = machine.run(function* main() {
      yield* new Executor(machine, {maxWorkers}).within(function* (pool) {
        const results = yield* pool.map(crunch, Array.from({length: calls}, () => us));
        for (let next; (next = yield* results.next()) !== null; ) values.push(next.value);
      });
    });
    return {wallUs: result.metrics.wallTimeUs, values};
  };

  it('defaults max_workers as ThreadPoolExecutor does, and names its threads from the counter the two share', () => {
    expect(new InterpreterPoolExecutor(new Machine({cores: 4})).maxWorkers).toBe(8);
    expect(new InterpreterPoolExecutor(new Machine({cores: 64})).maxWorkers).toBe(32);
    expect(() => new InterpreterPoolExecutor(new Machine({cores: 1}), {maxWorkers: 0})).toThrow('max_workers must be greater than 0');
    const machine = new Machine({cores: 2});
    const names: string[] = [];
    machine.run(function* main() {
      const pools = [
        new ThreadPoolExecutor(machine),
        new InterpreterPoolExecutor(machine),
        new InterpreterPoolExecutor(machine, {threadNamePrefix: 'calc'}),
        new ThreadPoolExecutor(machine),
      ];
      for (const pool of pools) {
        yield* (yield* pool.submit(napper, 1)).result();
        yield* pool.shutdown();
        names.push(...pool.threads.map((t) => t.name));
      }
    });
    expect(names).toEqual(['ThreadPoolExecutor-0_0', 'InterpreterPoolExecutor-1_0', 'calc_0', 'ThreadPoolExecutor-2_0']);
  });

  it('runs CPU-bound calls in parallel, each worker starting its interpreter once, where a thread pool takes turns', () => {
    const interpreters = timeMap(InterpreterPoolExecutor, 4, 500_000);
    expect(interpreters.values).toEqual([500_000, 500_000, 500_000, 500_000]);
    expect(interpreters.wallUs).toBeGreaterThanOrEqual(INTERPRETER_START_US + 500_000);
    expect(interpreters.wallUs).toBeLessThan(INTERPRETER_START_US + INTERPRETER_CLOSE_US + 520_000);
    expect(timeMap(ThreadPoolExecutor, 4, 500_000).wallUs).toBeGreaterThanOrEqual(4 * 500_000);
    // Eight calls on four workers: two rounds, still one start per worker.
    const twice = timeMap(InterpreterPoolExecutor, 8, 500_000);
    expect(twice.wallUs).toBeGreaterThanOrEqual(INTERPRETER_START_US + 2 * 500_000);
    expect(twice.wallUs).toBeLessThan(INTERPRETER_START_US + INTERPRETER_CLOSE_US + 1_040_000);
  });

  it('charges a worker its interpreter’s start and close, and pickling both ways for each call', () => {
    const echo = pyfunc('echo', function* (data: Payload) {
      yield cpu(1000);
      return data;
    });
    for (const bytes of [10, 1_000_000]) {
      const machine = new Machine({cores: 2});
      const result = machine.run(function* main() {
        yield* new InterpreterPoolExecutor(machine, {maxWorkers: 1}).within(function* (pool) {
          yield* (yield* pool.submit(echo, new Payload(bytes))).result();
        });
      });
      const argumentBytes = pickledSize([echo.module, echo.qualname, [new Payload(bytes)]]);
      const resultBytes = pickledSize(new Payload(bytes));
      const worker = result.threads.find((t) => t.name.startsWith('InterpreterPoolExecutor-'))!;
      expect(worker.cpuTimeUs, `${bytes} bytes`).toBe(
        INTERPRETER_START_US + INTERPRETER_CLOSE_US + POOL_TASK_OVERHEAD_US + 1000 + 2 * pickleCostUs(argumentBytes) + 2 * pickleCostUs(resultBytes),
      );
    }
  });

  it('fails a call whose function or result cannot be pickled with NotShareableError, and keeps a call’s own exception as it is', () => {
    const machine = new Machine({cores: 2});
    const seen: string[] = [];
    const lambda = pyfunc('<lambda>', function* () {
      return 1;
    });
    const returnsLambda = pyfunc('make_lambda', function* () {
      return lambda;
    });
    machine.run(function* main() {
      yield* new InterpreterPoolExecutor(machine, {maxWorkers: 2}).within(function* (pool) {
        for (const f of [yield* pool.submit(lambda), yield* pool.submit(returnsLambda), yield* pool.submit(failing, 1)]) {
          const error = yield* f.exception();
          seen.push(`${error?.pythonType}: ${error?.message}`);
        }
      });
    });
    expect(seen).toEqual(['NotShareableError: object could not be pickled', 'NotShareableError: object could not be pickled', 'ValueError: bad 1']);
  });

  it('runs its workers in parallel on a free-threaded build too, with no GIL to hand over', () => {
    const machine = new Machine({cores: 4, mode: 'free-threaded'});
    const result = machine.run(function* main() {
      yield* new InterpreterPoolExecutor(machine, {maxWorkers: 4}).within(function* (pool) {
        const results = yield* pool.map(crunch, [100_000, 100_000, 100_000, 100_000]);
        while ((yield* results.next()) !== null);
      });
    });
    expect(result.metrics.gilHandoffs).toBe(0);
    expect(result.metrics.wallTimeUs).toBeLessThan(1.1 * (INTERPRETER_START_US + INTERPRETER_CLOSE_US + 100_000) * (1 + FREE_THREADED_SINGLE_THREAD_SLOWDOWN['3.14']));
  });
});

describe('multiprocessing.Pool', () => {
  it('computes map’s default chunksize as pool.py does', () => {
    expect(defaultChunksize(8, 4)).toBe(1);
    expect(defaultChunksize(100, 4)).toBe(7);
    expect(defaultChunksize(0, 4)).toBe(0);
  });

  it('map returns results in order; imap yields them one by one; apply_async calls back in the result handler', () => {
    const machine = new Machine({cores: 4});
    const seen: string[] = [];
    const square = pyfunc('square', function* (x: number) {
      yield cpu(1000 * (5 - x));
      return x * x;
    });
    machine.run(function* main() {
      const pool = yield* Pool.create(machine, {processes: 2, startMethod: 'fork'});
      expect(pool.processes.map((p) => p.name)).toEqual(['ForkPoolWorker-1', 'ForkPoolWorker-2']);
      seen.push((yield* pool.map(square, [1, 2, 3, 4], 2)).join(','));
      const it = yield* pool.imap(square, [3, 1]);
      for (let next; (next = yield* it.next()) !== null; ) seen.push(String(next.value));
      const async = yield* pool.applyAsync(square as never, [4], {callback: (v) => seen.push(`callback ${String(v)} in ${machine.currentThread.name}`)});
      seen.push(`got ${yield* async.get()}`, `successful ${async.successful()}`);
      pool.close();
      yield* pool.join();
    });
    expect(seen).toEqual(['1,4,9,16', '9', '1', 'callback 16 in Pool-result-handler', 'got 16', 'successful true']);
  });

  it('raises ValueError for join() on a running pool and for a chunksize of 0', () => {
    const machine = new Machine({cores: 2});
    const seen: string[] = [];
    machine.run(function* main() {
      const pool = yield* Pool.create(machine, {processes: 1, startMethod: 'fork'});
      for (const attempt of [() => pool.join(), () => pool.map(napper, [1], 0)]) {
        try {
          yield* attempt();
        } catch (e) {
          seen.push((e as Error).message);
        }
      }
      pool.terminate();
    });
    expect(seen).toEqual(['Pool is still running', 'Chunksize must be 1+, not 0']);
  });

  it('with Pool() as p: exiting terminates the workers, even with work left', () => {
    const machine = new Machine({cores: 2});
    const result = machine.run(function* main() {
      const pool = yield* Pool.create(machine, {processes: 2, startMethod: 'fork'});
      yield* pool.within(function* (p) {
        yield* p.applyAsync(napper as never, [1000]);
      });
    });
    expect(result.processes.filter((p) => p.pid !== 1).map((p) => p.exitcode)).toEqual([-15, -15]);
    expect(result.metrics.wallTimeUs).toBeLessThan(100_000);
  });
});

describe('Executor.map(fn, items, {timeoutUs, chunksize})', () => {
  /** ProcessPoolExecutor(2, fork).map(fn, items, {chunksize}): the results (or the error that ended iteration), the map's futures and the run. */
  function processMap(items: number[], chunksize: number, fn: PyFunction<[number], number>) {
    const machine = new Machine({cores: 2});
    const seen = {values: [] as (number | string)[], futures: 0};
    const result = machine.run(function* main() {
      yield* new ProcessPoolExecutor(machine, {maxWorkers: 2, startMethod: 'fork'}).within(function* (pool) {
        const results = yield* pool.map(fn, items, {chunksize});
        seen.futures = results.futures.length;
        try {
          for (let next; (next = yield* results.next()) !== null; ) seen.values.push(next.value);
        } catch (error) {
          seen.values.push(`raised ${(error as PythonError).pythonType}: ${(error as Error).message}`);
        }
      });
    });
    return {...seen, result};
  }

  it('ProcessPoolExecutor sends the items in chunks, each run whole by one worker; results keep input order', () => {
    const ranIn: string[] = [];
    let machineOf: Machine | null = null;
    const items = Array.from({length: 10}, (_, i) => i);
    const triple = pyfunc('triple', function* (x: number) {
      ranIn[x] = machineOf!.currentProcess.name;
      yield cpu(1000);
      return 3 * x;
    });
    const machine = new Machine({cores: 2});
    machineOf = machine;
    const values: number[] = [];
    let futures = 0;
    machine.run(function* main() {
      yield* new ProcessPoolExecutor(machine, {maxWorkers: 2, startMethod: 'fork'}).within(function* (pool) {
        const results = yield* pool.map(triple, items, {chunksize: 4});
        futures = results.futures.length;
        for (let next; (next = yield* results.next()) !== null; ) values.push(next.value);
      });
    });
    expect(values).toEqual(items.map((x) => 3 * x));
    expect(futures).toBe(3);
    for (const chunk of [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]) expect(new Set(chunk.map((x) => ranIn[x])).size).toBe(1);
    expect(new Set(ranIn).size).toBe(2);
  });

  it('pickles once per chunk: the parent’s pickling time falls by at least the fixed cost of every round saved', () => {
    const tiny = pyfunc('tiny', function* (x: number) {
      yield cpu(1);
      return x;
    });
    const items = Array.from({length: 100}, (_, i) => i);
    const managerCpu = (chunksize: number): number => {
      const {result, values, futures} = processMap(items, chunksize, tiny);
      expect(values).toEqual(items);
      expect(futures).toBe(Math.ceil(items.length / chunksize));
      return result.threads.find((t) => t.name === 'ExecutorManagerThread')!.cpuTimeUs;
    };
    // Each round: pickle the call and write it to the pipe, then unpickle the result.
    const saved = managerCpu(1) - managerCpu(10);
    expect(saved).toBeGreaterThanOrEqual(90 * (2 * PICKLE_CALL_US + PIPE_MESSAGE_US));
  });

  it('a call that raises fails its whole chunk: iteration stops before the chunk, as _process_chunk has no partial result', () => {
    const failsOnFour = pyfunc('fails_on_four', function* (x: number) {
      yield cpu(100);
      if (x === 4) throw new PythonError('ValueError', 'four');
      return x;
    });
    expect(processMap([1, 2, 3, 4, 5, 6], 1, failsOnFour).values).toEqual([1, 2, 3, 'raised ValueError: four']);
    expect(processMap([1, 2, 3, 4, 5, 6], 2, failsOnFour).values).toEqual([1, 2, 'raised ValueError: four']);
    // The chunk's call pickles the function by reference: a lambda fails the first chunk.
    const lambda = pyfunc('<lambda>', function* (x: number) {
      yield cpu(1);
      return x;
    });
    expect(processMap([1, 2, 3], 2, lambda).values).toEqual([expect.stringMatching(/^raised PicklingError: Can't pickle <function <lambda>/)]);
  });

  it('ProcessPoolExecutor refuses a chunksize below 1 with Python’s ValueError; ThreadPoolExecutor ignores chunksize', () => {
    const machine = new Machine({cores: 2});
    const messages: string[] = [];
    let threadFutures = 0;
    machine.run(function* main() {
      const pool = new ProcessPoolExecutor(machine, {maxWorkers: 1, startMethod: 'fork'});
      for (const chunksize of [0, -1]) {
        try {
          yield* pool.map(napper, [1, 2], {chunksize});
        } catch (error) {
          messages.push(`${(error as PythonError).pythonType}: ${(error as Error).message}`);
        }
      }
      expect(() => pool.map(napper, [1], {chunksize: 1.5}).next()).toThrow('chunksize must be an integer, got 1.5');
      yield* new ThreadPoolExecutor(machine, {maxWorkers: 2}).within(function* (threads) {
        const results = yield* threads.map(napper, [1, 2, 3], {chunksize: 0});
        threadFutures = results.futures.length;
        while ((yield* results.next()) !== null);
      });
    });
    expect(messages).toEqual(['ValueError: chunksize must be >= 1.', 'ValueError: chunksize must be >= 1.']);
    expect(threadFutures).toBe(3);
  });

  it('a timeout raises TimeoutError and cancels the future waited on and every later one (_result_or_cancel)', () => {
    const machine = new Machine({cores: 2});
    let ran = 0;
    const counted = pyfunc('counted', function* (ms: number) {
      ran += 1;
      yield sleep(ms * 1000);
      return ms;
    });
    const seen: string[] = [];
    machine.run(function* main() {
      yield* new ThreadPoolExecutor(machine, {maxWorkers: 1}).within(function* (pool) {
        yield* pool.submit(napper, 100);
        const results = yield* pool.map(counted, [1, 2], {timeoutUs: 10_000});
        try {
          yield* results.next();
        } catch (error) {
          seen.push((error as PythonError).pythonType);
        }
        seen.push(results.futures.map((f) => f.state).join(' '));
      });
    });
    expect(seen).toEqual(['TimeoutError', 'CANCELLED CANCELLED']);
    expect(ran).toBe(0);
  });

  it('counts the timeout from the call of map, before its submits start the workers', () => {
    const machine = new Machine({cores: 2});
    let raisedAfterUs = -1;
    const halfMs = pyfunc('half_ms', function* () {
      yield sleep(500);
      return 0;
    });
    machine.run(function* main() {
      yield* new ThreadPoolExecutor(machine, {maxWorkers: 10}).within(function* (pool) {
        const calledAt = machine.now;
        // Ten submits start ten threads: about THREAD_START_US each, before any result is awaited.
        const results = yield* pool.map(halfMs, Array.from({length: 10}, () => undefined), {timeoutUs: 1000});
        expect(machine.now - calledAt).toBeGreaterThan(10 * THREAD_START_US - 1);
        try {
          while ((yield* results.next()) !== null);
        } catch {
          raisedAfterUs = machine.now - calledAt;
        }
      });
    });
    expect(raisedAfterUs).toBeGreaterThanOrEqual(1000);
    expect(raisedAfterUs).toBeLessThan(1100);
  });
});
