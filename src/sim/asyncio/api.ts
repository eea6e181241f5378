/**
 * asyncio's module-level API, mirroring CPython 3.12: sleep, create_task, gather, wait and
 * as_completed (Lib/asyncio/tasks.py), timeout and wait_for (timeouts.py, tasks.py), TaskGroup
 * (taskgroups.py), to_thread (threads.py) and run (runners.py). Times are integer microseconds.
 */
import {PythonError, RuntimeError} from '../errors';
import {assertNonNegativeInteger, type ProcessGenerator, type TraceRecord} from '../kernel';
import {
  CancelledError,
  currentTask,
  EventLoop,
  ExceptionGroup,
  Future,
  getRunningLoop,
  Task,
  TimeoutError,
  type Coro,
  type LoopIteration,
  type LoopOptions,
  type SlowCallback,
} from './core';
import {Queue} from './sync';

const sleepNames = new Map<number, string>();

/** "sleep(0.5)": formatting a float is the dearest part of a sleep, and programs reuse a few delays. */
function sleepName(delayUs: number): string {
  let name = sleepNames.get(delayUs);
  if (name === undefined) {
    name = `sleep(${delayUs / 1_000_000})`;
    if (sleepNames.size < 10_000) sleepNames.set(delayUs, name);
  }
  return name;
}

/** The future of a sleep, holding what it will be set to (as call_later's extra argument). */
class SleepFuture<T> extends Future<T> {
  constructor(
    loop: EventLoop,
    delayUs: number,
    readonly sleepResult: T,
  ) {
    super(loop, sleepName(delayUs));
  }
}

/** futures._set_result_unless_cancelled, the timer callback of a sleep: one function for every sleep. */
const setResultUnlessCancelled = (future: SleepFuture<unknown>): void => {
  if (!future.done()) future.setResult(future.sleepResult);
};
const setResultLabel = (future: SleepFuture<unknown>): string => `futures._set_result_unless_cancelled ${future.name}`;

/** asyncio.sleep(delay, result): a future set by a timer; sleep(0) is one bare yield. */
export function* sleep<T = undefined>(delayUs: number, result?: T): Coro<T | undefined> {
  assertNonNegativeInteger(delayUs, 'sleep(delayUs)');
  if (delayUs === 0) {
    yield null;
    return result;
  }
  const loop = getRunningLoop();
  const future = new SleepFuture<T | undefined>(loop, delayUs, result);
  const timer = loop.callLater(delayUs, setResultUnlessCancelled, setResultLabel, future);
  try {
    return yield* future;
  } finally {
    timer.cancel();
  }
}

export function createTask<T>(coro: Coro<T>, name?: string): Task<T> {
  return getRunningLoop().createTask(coro, name);
}

export function ensureFuture<T>(awaitable: Future<T> | Coro<T>): Future<T> {
  return awaitable instanceof Future ? awaitable : createTask(awaitable);
}

/** tasks._GatheringFuture: cancelling it cancels the children. */
class GatheringFuture<T> extends Future<T> {
  cancelRequested = false;

  constructor(
    loop: EventLoop,
    private readonly children: Future<unknown>[],
  ) {
    super(loop, 'gather');
  }

  cancel(message = ''): boolean {
    if (this.done()) return false;
    let cancelledAny = false;
    for (const child of this.children) if (child.cancel(message)) cancelledAny = true;
    if (cancelledAny) this.cancelRequested = true;
    return cancelledAny;
  }
}

export interface GatherOptions {
  returnExceptions?: boolean;
}

/**
 * asyncio.gather(*aws): results in argument order. Without return_exceptions the first exception
 * is set on the outer future at once, and the other awaitables are NOT cancelled: they run on.
 */
export function gather<T>(awaitables: Array<Future<T> | Coro<T>>, options?: {returnExceptions?: false}): Future<T[]>;
export function gather<T>(awaitables: Array<Future<T> | Coro<T>>, options: {returnExceptions: true}): Future<Array<T | PythonError>>;
export function gather<T>(awaitables: Array<Future<T> | Coro<T>>, options: GatherOptions = {}): Future<Array<T | PythonError>> {
  const loop = getRunningLoop();
  const returnExceptions = options.returnExceptions ?? false;
  if (awaitables.length === 0) {
    const outer = loop.createFuture<Array<T | PythonError>>('gather');
    outer.setResult([]);
    return outer;
  }
  const children = awaitables.map((a) => ensureFuture(a));
  const outer = new GatheringFuture<Array<T | PythonError>>(loop, children as Future<unknown>[]);
  let finished = 0;
  // As gather's _done_callback(fut): look only at the child that just finished, so gathering
  // n children costs O(n), not O(n²).
  const onChildDone = (child: Future<unknown>): void => {
    finished += 1;
    if (outer.done()) return;
    if (!returnExceptions && (child.cancelled() || child.exception() !== null)) {
      outer.setException(child.cancelled() ? new CancelledError() : child.exception()!);
      return;
    }
    if (finished === children.length) {
      const results = children.map((c) => (c.cancelled() ? new CancelledError() : (c.exception() ?? c.result())));
      if (outer.cancelRequested) outer.setException(new CancelledError());
      else outer.setResult(results);
    }
  };
  // A done callback is called with its future: onChildDone gets the child without a closure per child.
  for (const child of children) child.addDoneCallback(onChildDone as (future: Future<unknown>) => void);
  return outer;
}

export type ReturnWhen = 'FIRST_COMPLETED' | 'FIRST_EXCEPTION' | 'ALL_COMPLETED';

/** asyncio.wait(fs): returns (done, pending), each in the order given (Python returns sets). */
export function* wait<T>(futures: Future<T>[], options: {returnWhen?: ReturnWhen; timeoutUs?: number | null} = {}): Coro<{done: Future<T>[]; pending: Future<T>[]}> {
  const {returnWhen = 'ALL_COMPLETED', timeoutUs = null} = options;
  if (futures.some((f) => !(f instanceof Future))) throw new PythonError('TypeError', 'Passing coroutines is forbidden, use tasks explicitly.');
  if (futures.length === 0) throw new PythonError('ValueError', 'Set of Tasks/Futures is empty.');
  if (!['FIRST_COMPLETED', 'FIRST_EXCEPTION', 'ALL_COMPLETED'].includes(returnWhen)) throw new PythonError('ValueError', `Invalid return_when value: ${String(returnWhen)}`);
  if (timeoutUs !== null) assertNonNegativeInteger(timeoutUs, 'wait(timeoutUs)');
  const loop = getRunningLoop();
  const waiter = loop.createFuture<null>('wait');
  const timer = timeoutUs === null ? null : loop.callLater(timeoutUs, () => void (waiter.done() || waiter.setResult(null)), '_release_waiter');
  let counter = futures.length;
  const onCompletion = (future: Future<T>): void => {
    counter -= 1;
    const failed = returnWhen === 'FIRST_EXCEPTION' && !future.cancelled() && future.exception() !== null;
    if (counter <= 0 || returnWhen === 'FIRST_COMPLETED' || failed) {
      timer?.cancel();
      if (!waiter.done()) waiter.setResult(null);
    }
  };
  for (const future of futures) future.addDoneCallback(onCompletion);
  try {
    yield* waiter;
  } finally {
    timer?.cancel();
    for (const future of futures) future.removeDoneCallback(onCompletion);
  }
  return {done: futures.filter((f) => f.done()), pending: futures.filter((f) => !f.done())};
}

/** asyncio.as_completed(aws): one awaitable per input; each gives the next result to complete. */
export function asCompleted<T>(awaitables: Array<Future<T> | Coro<T>>, options: {timeoutUs?: number | null} = {}): Array<Coro<T>> {
  const {timeoutUs = null} = options;
  const loop = getRunningLoop();
  const todo = new Set(awaitables.map((a) => ensureFuture(a)));
  const done = new Queue<Future<T> | null>(0, 'as_completed');
  const timer =
    timeoutUs === null
      ? null
      : loop.callLater(
          timeoutUs,
          () => {
            for (const future of todo) {
              future.removeDoneCallback(onCompletion);
              done.putNowait(null);
            }
            todo.clear();
          },
          'as_completed._on_timeout',
        );
  const onCompletion = (future: Future<T>): void => {
    if (!todo.delete(future)) return;
    done.putNowait(future);
    if (todo.size === 0) timer?.cancel();
  };
  for (const future of todo) future.addDoneCallback(onCompletion);
  return [...todo].map(function* waitForOne(): Coro<T> {
    const future = yield* done.get();
    if (future === null) throw new TimeoutError();
    return future.result();
  });
}

/** `async with asyncio.timeout(delay):` — on expiry the task is cancelled and CancelledError becomes TimeoutError. */
export function* timeout<T>(delayUs: number | null, body: () => Coro<T>): Coro<T> {
  const task = currentTask();
  if (task === null) throw new RuntimeError('Timeout should be used inside a task');
  const cancellingBefore = task.cancelling();
  let expired = false;
  const timer =
    delayUs === null
      ? null
      : getRunningLoop().callLater(
          delayUs,
          () => {
            expired = true;
            task.cancel();
          },
          `Timeout._on_timeout ${task.name}`,
        );
  let result: T;
  try {
    result = yield* body();
  } catch (raised) {
    timer?.cancel();
    if (expired && task.uncancel() <= cancellingBefore && raised instanceof CancelledError) throw new TimeoutError();
    throw raised;
  }
  timer?.cancel();
  if (expired) task.uncancel();
  return result;
}

/** asyncio.wait_for(aw, timeout), as 3.12 implements it: the awaitable inside asyncio.timeout. */
export function* waitFor<T>(awaitable: Future<T> | Coro<T>, timeoutUs: number | null): Coro<T> {
  if (timeoutUs !== null) assertNonNegativeInteger(timeoutUs, 'waitFor(timeoutUs)');
  return yield* timeout(timeoutUs, function* () {
    return awaitable instanceof Future ? yield* awaitable : yield* awaitable;
  });
}

/** asyncio.TaskGroup: tasks created in it are awaited on exit; the first failure cancels the rest. */
export class TaskGroup {
  private readonly tasks = new Set<Task<unknown>>();
  private errors: PythonError[] = [];
  private aborting = false;
  private exiting = false;
  private parentCancelRequested = false;
  private onCompleted: Future<boolean> | null = null;

  constructor(
    private readonly loop: EventLoop,
    private readonly parent: Task<unknown>,
  ) {}

  createTask<T>(coro: Coro<T>, name?: string): Task<T> {
    if (this.exiting && this.tasks.size === 0) throw new RuntimeError('TaskGroup is finished');
    if (this.aborting) throw new RuntimeError('TaskGroup is shutting down');
    const task = this.loop.createTask(coro, name);
    this.tasks.add(task);
    task.addDoneCallback(() => this.onTaskDone(task));
    return task;
  }

  /** TaskGroup.__aexit__. */
  *exit(error: PythonError | null): Coro<void> {
    this.exiting = true;
    let propagateCancellation: CancelledError | null = error instanceof CancelledError ? error : null;
    if (error !== null && !this.aborting) this.abort();
    while (this.tasks.size > 0) {
      this.onCompleted = this.loop.createFuture<boolean>('TaskGroup._on_completed_fut');
      try {
        yield* this.onCompleted;
      } catch (raised) {
        if (!(raised instanceof CancelledError)) throw raised;
        if (!this.aborting) {
          propagateCancellation = raised;
          this.abort();
        }
      }
      this.onCompleted = null;
    }
    if (this.parentCancelRequested && this.parent.uncancel() === 0) propagateCancellation = null;
    if (propagateCancellation !== null && this.errors.length === 0) throw propagateCancellation;
    if (error !== null && !(error instanceof CancelledError)) this.errors.push(error);
    if (this.errors.length > 0) throw new ExceptionGroup('unhandled errors in a TaskGroup', this.errors);
  }

  private abort(): void {
    this.aborting = true;
    for (const task of this.tasks) if (!task.done()) task.cancel();
  }

  private onTaskDone(task: Task<unknown>): void {
    this.tasks.delete(task);
    if (this.onCompleted !== null && this.tasks.size === 0 && !this.onCompleted.done()) this.onCompleted.setResult(true);
    if (task.cancelled()) return;
    const error = task.exception();
    if (error === null) return;
    this.errors.push(error);
    if (!this.aborting && !this.parentCancelRequested) {
      this.abort();
      this.parentCancelRequested = true;
      this.parent.cancel();
    }
  }
}

/** `async with asyncio.TaskGroup() as tg:` — the body gets the group. */
export function* taskGroup<T>(body: (group: TaskGroup) => Coro<T>): Coro<T> {
  const parent = currentTask();
  if (parent === null) throw new RuntimeError('TaskGroup cannot determine the parent task');
  const group = new TaskGroup(getRunningLoop(), parent);
  let result: T | undefined;
  let error: PythonError | null = null;
  try {
    result = yield* body(group);
  } catch (raised) {
    if (!(raised instanceof PythonError)) throw raised;
    error = raised;
  }
  yield* group.exit(error);
  return result as T;
}

/** asyncio.to_thread(func): `us` of blocking work (I/O, sleep: the GIL is released) in the default executor. */
export function* toThread<T>(us: number, label: string, result: T): Coro<T> {
  return yield* getRunningLoop().runInExecutor(us, label, result);
}

export interface AsyncioRun<T> {
  result: T | undefined;
  /** The exception main() raised, if any (asyncio.run would propagate it). */
  exception: PythonError | null;
  wallTimeUs: number;
  /** Kernel events the run took. */
  events: number;
  /** Handles (callbacks) the loop ran. */
  callbacks: number;
  iterations: LoopIteration[];
  slowCallbacks: SlowCallback[];
  peakTaskBytes: number;
  executorThreads: number;
  trace: TraceRecord[];
}

/**
 * asyncio.run(main()): a new loop runs the main task to completion, then cancels what is left
 * (runners._cancel_all_tasks) and waits for the default executor (shutdown_default_executor).
 */
export function run<T>(main: () => Coro<T>, options: LoopOptions = {}): AsyncioRun<T> {
  const loop = new EventLoop(options);
  let task: Task<T> | null = null;
  const started = loop.createFuture<null>('asyncio.run');
  // The main task is created once the loop runs, so main() can reach the running loop.
  loop.callSoon(() => {
    task = loop.createTask(main());
    task.addDoneCallback(() => started.setResult(null));
  }, 'asyncio.run: create main task');
  loop.execute(
    (function* shutdown(): ProcessGenerator<void> {
      yield* loop.runUntilComplete(started);
      const leftovers = loop.allTasks.filter((t) => !t.done());
      if (leftovers.length > 0) {
        for (const leftover of leftovers) leftover.cancel();
        yield* loop.runUntilComplete(gatherOn(loop, leftovers));
      }
      const drained = loop.createFuture<null>('shutdown_default_executor');
      loop.executor.whenIdle(() => loop.callSoonThreadsafe(() => drained.setResult(null), 'shutdown_default_executor'));
      yield* loop.runUntilComplete(drained);
    })(),
  );
  let result: T | undefined;
  let exception: PythonError | null = null;
  try {
    result = (task as Task<T> | null)!.result();
  } catch (raised) {
    if (!(raised instanceof PythonError)) throw raised;
    exception = raised;
  }
  return {
    result,
    exception,
    wallTimeUs: loop.time(),
    events: loop.env.eventsProcessed,
    callbacks: loop.callbacksRun,
    iterations: loop.iterations,
    slowCallbacks: loop.slowCallbacks,
    peakTaskBytes: loop.peakTaskBytes,
    executorThreads: loop.executor.peakThreads,
    trace: loop.env.trace,
  };
}

/** A future done when every one of `futures` is (runners._cancel_all_tasks gathers them). */
function gatherOn(loop: EventLoop, futures: Future<unknown>[]): Future<null> {
  const all = loop.createFuture<null>('_cancel_all_tasks');
  let remaining = futures.length;
  for (const future of futures) future.addDoneCallback(() => void (--remaining === 0 && all.setResult(null)));
  return all;
}
