import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {PythonError} from '../errors';
import {
  asCompleted,
  blockingCall,
  BoundedSemaphore,
  CancelledError,
  createTask,
  Event,
  ExceptionGroup,
  gather,
  getRunningLoop,
  Lock,
  Queue,
  QueueEmpty,
  run,
  Semaphore,
  sleep,
  taskGroup,
  timeout,
  TimeoutError,
  toThread,
  wait,
  waitFor,
  type Coro,
  type Task,
} from '../asyncio';

const S = 1_000_000;

function* fetch(label: string, delayUs: number, log?: string[]): Coro<string> {
  yield* sleep(delayUs);
  log?.push(label);
  return `data from ${label}`;
}

function* fail(delayUs: number, message: string): Coro<string> {
  yield* sleep(delayUs);
  throw new PythonError('ValueError', message);
}

describe('asyncio event loop', () => {
  it('gather runs 1 s, 2 s and 0.5 s concurrently: about 2 s, results in argument order', () => {
    const completed: string[] = [];
    const outcome = run(function* main() {
      return yield* gather([fetch('url1', 1 * S, completed), fetch('url2', 2 * S, completed), fetch('url3', S / 2, completed)]);
    });
    expect(outcome.result).toEqual(['data from url1', 'data from url2', 'data from url3']);
    expect(completed).toEqual(['url3', 'url1', 'url2']);
    expect(outcome.wallTimeUs).toBeGreaterThanOrEqual(2 * S);
    expect(outcome.wallTimeUs).toBeLessThan(2 * S + 1000);
  });

  it('gather without return_exceptions raises the first error and does NOT cancel the others', () => {
    const completed: string[] = [];
    const outcome = run(function* main() {
      const slow = createTask(fetch('slow', 2 * S, completed));
      try {
        yield* gather([fail(S, 'boom'), slow]);
      } catch (raised) {
        expect((raised as PythonError).message).toBe('boom');
        expect(slow.done()).toBe(false);
      }
      return yield* slow;
    });
    expect(outcome.result).toBe('data from slow');
    expect(completed).toEqual(['slow']);
  });

  it('gather with return_exceptions returns errors in place', () => {
    const outcome = run(function* main() {
      return yield* gather([fetch('a', 10), fail(20, 'bad')], {returnExceptions: true});
    });
    expect(outcome.result?.[0]).toBe('data from a');
    expect((outcome.result?.[1] as PythonError).pythonType).toBe('ValueError');
  });

  it('cancel delivers CancelledError at the task’s next await', () => {
    const seen: string[] = [];
    const outcome = run(function* main() {
      const task = createTask(
        (function* worker(): Coro<void> {
          try {
            yield* sleep(10 * S);
          } catch (raised) {
            seen.push((raised as PythonError).pythonType);
            throw raised;
          }
        })(),
      );
      yield* sleep(S);
      expect(task.cancel()).toBe(true);
      expect(task.done()).toBe(false);
      try {
        yield* task;
      } catch (raised) {
        seen.push(`awaiter got ${(raised as PythonError).pythonType}`);
      }
      return task.cancelled();
    });
    expect(outcome.result).toBe(true);
    expect(seen).toEqual(['CancelledError', 'awaiter got CancelledError']);
    expect(outcome.wallTimeUs).toBeLessThan(1.01 * S);
  });

  it('wait: FIRST_COMPLETED returns after the first; a timeout returns what is done by then', () => {
    const outcome = run(function* main() {
      const tasks = [createTask(fetch('1', S)), createTask(fetch('2', 2 * S)), createTask(fetch('3', 3 * S))];
      const first = yield* wait(tasks, {returnWhen: 'FIRST_COMPLETED'});
      const firstAt = getRunningLoop().time();
      const second = yield* wait(tasks, {timeoutUs: 1.5 * S});
      return {first: [first.done.length, first.pending.length, firstAt], second: [second.done.length, second.pending.length, getRunningLoop().time()]};
    });
    expect(outcome.result!.first.slice(0, 2)).toEqual([1, 2]);
    expect(outcome.result!.first[2]).toBeLessThan(1.01 * S);
    expect(outcome.result!.second.slice(0, 2)).toEqual([2, 1]);
    expect(outcome.result!.second[2]).toBeGreaterThanOrEqual(2.5 * S);
    // asyncio.run cancels the 3 s task that is still pending when main returns.
    expect(outcome.wallTimeUs).toBeLessThan(2.6 * S);
  });

  it('as_completed gives results in completion order', () => {
    const outcome = run(function* main() {
      const order: string[] = [];
      for (const next of asCompleted([fetch('a', 3000), fetch('b', 1000), fetch('c', 2000)])) order.push(yield* next);
      return order;
    });
    expect(outcome.result).toEqual(['data from b', 'data from c', 'data from a']);
  });

  it('TaskGroup: a failure cancels the siblings and raises an ExceptionGroup', () => {
    let sibling: Task<string> | null = null;
    const outcome = run(function* main() {
      yield* taskGroup(function* (group) {
        group.createTask(fail(S, 'x'));
        sibling = group.createTask(fetch('slow', 5 * S));
      });
    });
    expect(outcome.exception).toBeInstanceOf(ExceptionGroup);
    expect(outcome.exception!.message).toBe('unhandled errors in a TaskGroup (1 sub-exception)');
    expect((outcome.exception as ExceptionGroup).exceptions[0].message).toBe('x');
    expect(sibling!.cancelled()).toBe(true);
    expect(outcome.wallTimeUs).toBeLessThan(1.01 * S);
  });

  it('timeout and wait_for raise TimeoutError and cancel the inner work', () => {
    const outcome = run(function* main() {
      const errors: string[] = [];
      try {
        yield* waitFor(fetch('slow', 2 * S), S / 10);
      } catch (raised) {
        errors.push((raised as PythonError).pythonType);
      }
      try {
        yield* timeout(S / 10, () => fetch('slow', 2 * S));
      } catch (raised) {
        errors.push((raised as PythonError).pythonType);
      }
      const fast = yield* waitFor(fetch('fast', 1000), S);
      return {errors, fast, at: getRunningLoop().time()};
    });
    expect(outcome.result!.errors).toEqual(['TimeoutError', 'TimeoutError']);
    expect(outcome.result!.fast).toBe('data from fast');
    expect(outcome.result!.at).toBeLessThan(0.3 * S);
    expect(new TimeoutError().pythonType).toBe('TimeoutError');
  });

  it('Semaphore(3) keeps at most 3 of 10 coroutines inside', () => {
    let inside = 0;
    let peak = 0;
    const outcome = run(function* main() {
      const semaphore = new Semaphore(3);
      function* limited(): Coro<void> {
        yield* semaphore.acquire();
        inside += 1;
        peak = Math.max(peak, inside);
        yield* sleep(S);
        inside -= 1;
        semaphore.release();
      }
      yield* gather(Array.from({length: 10}, () => limited()));
    });
    expect(peak).toBe(3);
    expect(outcome.wallTimeUs).toBeGreaterThanOrEqual(4 * S);
    expect(outcome.wallTimeUs).toBeLessThan(4 * S + 10_000);
  });

  it('Lock, BoundedSemaphore, Queue and Event misuse raise Python’s messages', () => {
    const outcome = run(function* main() {
      const messages: string[] = [];
      const attempt = (action: () => void): void => {
        try {
          action();
        } catch (raised) {
          messages.push(`${(raised as PythonError).pythonType}: ${(raised as PythonError).message}`);
        }
      };
      attempt(() => new Lock().release());
      attempt(() => new BoundedSemaphore(1).release());
      attempt(() => new Queue<number>(1).getNowait());
      attempt(() => new Queue<number>().taskDone());
      attempt(() => new Semaphore(-1));
      return messages;
    });
    expect(outcome.result).toEqual([
      'RuntimeError: Lock is not acquired.',
      'ValueError: BoundedSemaphore released too many times',
      'QueueEmpty: ',
      'ValueError: task_done() called too many times',
      'ValueError: Semaphore initial value must be >= 0',
    ]);
    expect(new QueueEmpty().pythonType).toBe('QueueEmpty');
  });

  it('Queue(maxsize=2): a producer waits while full; Event wakes every waiter; Lock serialises', () => {
    const log: string[] = [];
    run(function* main() {
      const queue = new Queue<number>(2);
      const event = new Event();
      const lock = new Lock();
      function* producer(): Coro<void> {
        for (let item = 0; item < 4; item += 1) {
          yield* queue.put(item);
          log.push(`put ${item} size ${queue.qsize()}`);
        }
      }
      function* consumer(): Coro<void> {
        yield* event.wait();
        for (let count = 0; count < 4; count += 1) {
          const item = yield* queue.get();
          yield* lock.acquire();
          yield* sleep(10);
          lock.release();
          log.push(`got ${item}`);
          queue.taskDone();
        }
      }
      const consumerTask = createTask(consumer());
      const producerTask = createTask(producer());
      yield* sleep(100);
      event.set();
      yield* queue.join();
      yield* gather([consumerTask, producerTask]);
    });
    expect(log.slice(0, 2)).toEqual(['put 0 size 1', 'put 1 size 2']);
    expect(log.filter((line) => line.startsWith('got'))).toEqual(['got 0', 'got 1', 'got 2', 'got 3']);
  });

  it('a blocking call in a coroutine stalls the loop and is reported as a slow callback', () => {
    const ticks: number[] = [];
    const outcome = run(function* main() {
      const ticker = createTask(
        (function* tick(): Coro<void> {
          for (let index = 0; index < 5; index += 1) {
            ticks.push(getRunningLoop().time());
            yield* sleep(S / 10);
          }
        })(),
        'ticker',
      );
      yield* sleep(S / 20);
      yield blockingCall(S);
      yield* ticker;
    });
    expect(outcome.slowCallbacks).toHaveLength(1);
    expect(outcome.slowCallbacks[0].warning).toBe("Executing <Task pending name='Task-1'> took 1.000 seconds");
    // The ticker's 0.1 s rhythm has a 1 s hole while the loop is blocked.
    expect(ticks[1] - ticks[0]).toBeGreaterThan(S);
  });

  it('to_thread: a pool thread does blocking work while the loop keeps running', () => {
    const ticks: number[] = [];
    const outcome = run(function* main() {
      const worker = createTask(toThread(S, 'time.sleep(1)', 'done'));
      for (let index = 0; index < 5; index += 1) {
        ticks.push(getRunningLoop().time());
        yield* sleep(S / 10);
      }
      return yield* worker;
    });
    expect(outcome.result).toBe('done');
    expect(outcome.slowCallbacks).toHaveLength(0);
    expect(ticks[4] - ticks[0]).toBeLessThan(0.45 * S);
    expect(outcome.wallTimeUs).toBeLessThan(1.01 * S);
    expect(outcome.executorThreads).toBe(1);
    expect(outcome.trace.some((r) => r.kind === 'executor' && r.actor === 'asyncio_0')).toBe(true);
  });

  it('_run_once: timeout 0 while handles are ready; runs only the handles ready at its start', () => {
    const outcome = run(function* main() {
      yield null; // asyncio.sleep(0): __step is scheduled again, for the next iteration
      yield* sleep(S);
    });
    const iterations = outcome.iterations;
    expect(iterations[0].timeoutUs).toBe(0);
    expect(iterations[0].ran).toEqual(['asyncio.run: create main task']);
    expect(iterations[1].ran).toEqual(['Task.__step Task-1']);
    expect(iterations[2].ran).toEqual(['Task.__step Task-1']);
    const sleeping = iterations.find((it) => it.waitedUs > 0.9 * S)!;
    expect(sleeping.timeoutUs).toBeGreaterThan(0.99 * S);
    expect(iterations[2].tasks).toEqual([{name: 'Task-1', state: 'waiting', waitingOn: 'sleep(1)'}]);
    expect(iterations[2].timers).toHaveLength(1);
  });

  it('removes cancelled timers from the heap head, and rebuilds it when most are cancelled', () => {
    const outcome = run(function* main() {
      const loop = getRunningLoop();
      const timers = Array.from({length: 200}, (_, index) => loop.callLater(S + index, () => undefined));
      for (const timer of timers.slice(0, 150)) timer.cancel();
      yield* sleep(10);
    });
    expect(outcome.iterations.some((it) => it.cancelledTimersRemoved === 150)).toBe(true);
  });

  it('counts memory per task and is deterministic', () => {
    const program = (): Coro<void> =>
      (function* main(): Coro<void> {
        yield* gather(Array.from({length: 1000}, (_, index) => sleep(S + index)));
      })();
    const first = run(program);
    expect(first.peakTaskBytes).toBeGreaterThan(1000 * 1024);
    expect(JSON.stringify(first.trace)).toBe(JSON.stringify(run(program).trace));
  });

  it('property: gather of random sleeps takes the longest sleep plus only loop overhead, and the clock never runs back', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({min: 0, max: 2 * S}), {minLength: 1, maxLength: 30}), (delays) => {
        const outcome = run(function* main() {
          return yield* gather(delays.map((d) => sleep(d, d)));
        });
        expect(outcome.result).toEqual(delays);
        expect(outcome.wallTimeUs).toBeGreaterThanOrEqual(Math.max(...delays));
        expect(outcome.wallTimeUs).toBeLessThan(Math.max(...delays) + 200 * (delays.length + 5));
        outcome.iterations.forEach((it, index) => {
          expect(it.endUs).toBeGreaterThanOrEqual(it.startUs);
          if (index > 0) expect(it.startUs).toBeGreaterThanOrEqual(outcome.iterations[index - 1].endUs);
          expect(it.timers.map((t) => t.when)).toEqual([...it.timers.map((t) => t.when)].sort((a, b) => a - b));
        });
      }),
      {numRuns: 60},
    );
  });

  it('refuses asyncio.run inside a running loop, and reports a future that is never set', () => {
    const nested = run(function* main() {
      try {
        run(function* inner() {});
      } catch (raised) {
        return (raised as PythonError).message;
      }
      return 'no error';
    });
    expect(nested.result).toBe('asyncio.run() cannot be called from a running event loop');
    expect(() =>
      run(function* main() {
        yield* getRunningLoop().createFuture<number>();
      }),
    ).toThrow(/a future is never set/);
    expect(new CancelledError().pythonType).toBe('CancelledError');
  });
});
