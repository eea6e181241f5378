/**
 * Futures and pools, mirroring CPython's Lib/concurrent/futures/_base.py (Future, wait,
 * as_completed), thread.py (ThreadPoolExecutor), interpreter.py (InterpreterPoolExecutor, 3.14),
 * process.py (ProcessPoolExecutor) and Lib/multiprocessing/pool.py (Pool: apply_async, map with
 * chunksize, imap).
 *
 * Blocking calls are generators: `const value = yield* future.result()`. Callbacks are plain
 * functions that run, as in CPython, in the thread that completes the future (a pool worker, the
 * process pool's manager thread, the Pool's result handler), or at once in the caller if the
 * future is already done. Each callback run is traced as `callback` with the thread that ran it.
 *
 * Simplifications, said once: ProcessPoolExecutor's queue feeder thread is folded into its manager
 * thread (one parent thread pickles calls and unpickles results); Pool has a task handler and a
 * result handler thread but no worker handler (workers are never replaced).
 */
import {INTERPRETER_CLOSE_US, INTERPRETER_START_US, PIPE_MESSAGE_US, PIPE_NS_PER_BYTE, POOL_TASK_OVERHEAD_US} from './constants';
import {PythonError, RuntimeError, ValueError} from './errors';
import {Lock} from './locks';
import {Waiter, type Machine, type OsProcess, type SubInterpreter} from './machine';
import {defaultStartMethod, launch, nextProcessNumber, pickleCostUs, pickledSize, picklingError, type PyFunction, type PythonVersion, type StartMethod} from './processes';
import {cpu, type PyThread, type Step} from './threads';

export type FutureState = 'PENDING' | 'RUNNING' | 'CANCELLED' | 'FINISHED';
export type Blocking<R> = Generator<Step, R, void>;

const cancelledError = (): PythonError => new PythonError('CancelledError', '');

/** concurrent.futures.Future. */
export class Future<R = unknown> {
  state: FutureState = 'PENDING';
  private value: R | undefined;
  private error: PythonError | null = null;
  private readonly callbacks: Array<(future: Future<R>) => void> = [];
  /** Waiters of result()/exception()/wait()/as_completed(), told of every change. */
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly machine: Machine,
    readonly name: string,
  ) {}

  done(): boolean {
    return this.state === 'CANCELLED' || this.state === 'FINISHED';
  }

  running(): boolean {
    return this.state === 'RUNNING';
  }

  cancelled(): boolean {
    return this.state === 'CANCELLED';
  }

  /** Only a pending future can be cancelled; a running or finished one returns False. */
  cancel(): boolean {
    if (this.state === 'RUNNING' || this.state === 'FINISHED') return false;
    if (this.state === 'PENDING') {
      this.state = 'CANCELLED';
      this.finish();
    }
    return true;
  }

  /** Executor side: PENDING → RUNNING; false if it was cancelled. */
  setRunningOrNotifyCancel(): boolean {
    if (this.state === 'CANCELLED') return false;
    if (this.state !== 'PENDING') throw new RuntimeError(`Future in unexpected state`);
    this.state = 'RUNNING';
    return true;
  }

  setResult(value: R): void {
    // concurrent.futures.InvalidStateError's message in _base.py.
    if (this.done()) throw new PythonError('InvalidStateError', `${this.state}: ${this.name}`);
    this.value = value;
    this.state = 'FINISHED';
    this.finish();
  }

  setException(error: PythonError): void {
    if (this.done()) throw new PythonError('InvalidStateError', `${this.state}: ${this.name}`);
    this.error = error;
    this.state = 'FINISHED';
    this.finish();
  }

  /** The value of a future that finished without an exception (for the pool's own callbacks). */
  finishedValue(): R {
    if (this.state !== 'FINISHED' || this.error !== null) throw new Error(`${this.name} has no value`);
    return this.value as R;
  }

  /** The exception the call raised, or null: it stays here until someone asks. */
  get storedException(): PythonError | null {
    return this.error;
  }

  addDoneCallback(callback: (future: Future<R>) => void): void {
    if (this.done()) this.runCallback(callback);
    else this.callbacks.push(callback);
  }

  /** `yield* f.result(timeoutUs)`: the value, or the call's exception raised here. */
  *result(timeoutUs: number | null = null): Blocking<R> {
    yield* this.waitDone(timeoutUs);
    if (this.state === 'CANCELLED') throw cancelledError();
    if (this.error !== null) throw this.error;
    return this.value as R;
  }

  /** `yield* f.exception(timeoutUs)`: the call's exception (not raised), or null. */
  *exception(timeoutUs: number | null = null): Blocking<PythonError | null> {
    yield* this.waitDone(timeoutUs);
    if (this.state === 'CANCELLED') throw cancelledError();
    return this.error;
  }

  /** Register a listener told of completion; returns the function that removes it. */
  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private *waitDone(timeoutUs: number | null): Blocking<void> {
    if (this.done()) return;
    const waiter = new Waiter(this.machine, `${this.name}.waiter`);
    const stop = this.listen(() => waiter.notify());
    const notified = yield* waiter.wait(timeoutUs);
    stop();
    // Python 3.11+: concurrent.futures.TimeoutError is the builtin TimeoutError, raised without a message.
    if (!notified) throw new PythonError('TimeoutError', '');
  }

  private finish(): void {
    for (const listener of [...this.listeners]) listener();
    for (const callback of this.callbacks.splice(0)) this.runCallback(callback);
  }

  private runCallback(callback: (future: Future<R>) => void): void {
    let thread = 'MainThread';
    try {
      thread = this.machine.currentThread.name;
    } catch {
      // Completed from outside any program (a cancel by shutdown at exit): attribute it to the main thread.
    }
    this.machine.record('callback', thread, {future: this.name});
    callback(this);
  }
}

export type ReturnWhen = 'FIRST_COMPLETED' | 'FIRST_EXCEPTION' | 'ALL_COMPLETED';

/** wait()'s DoneAndNotDoneFutures, as arrays in the order the futures were given (Python returns sets). */
export interface DoneAndNotDone<R> {
  done: Future<R>[];
  notDone: Future<R>[];
}

function split<R>(fs: readonly Future<R>[]): DoneAndNotDone<R> {
  return {done: fs.filter((f) => f.done()), notDone: fs.filter((f) => !f.done())};
}

function satisfied<R>(fs: readonly Future<R>[], returnWhen: ReturnWhen): boolean {
  const {done, notDone} = split(fs);
  if (notDone.length === 0) return true;
  if (returnWhen === 'FIRST_COMPLETED') return done.length > 0;
  if (returnWhen === 'FIRST_EXCEPTION') return done.some((f) => !f.cancelled() && f.storedException !== null);
  return false;
}

/** concurrent.futures.wait(fs, timeout, return_when). */
export function* wait<R>(machine: Machine, fs: readonly Future<R>[], options: {timeoutUs?: number | null; returnWhen?: ReturnWhen} = {}): Blocking<DoneAndNotDone<R>> {
  const {timeoutUs = null, returnWhen = 'ALL_COMPLETED'} = options;
  if (!['FIRST_COMPLETED', 'FIRST_EXCEPTION', 'ALL_COMPLETED'].includes(returnWhen)) {
    throw new PythonError('ValueError', `Invalid return condition: ${String(returnWhen)}`);
  }
  if (!satisfied(fs, returnWhen)) {
    const waiter = new Waiter(machine, 'wait.waiter');
    const stops = fs.map((f) => f.listen(() => (satisfied(fs, returnWhen) ? waiter.notify() : undefined)));
    yield* waiter.wait(timeoutUs);
    for (const stop of stops) stop();
  }
  return split(fs);
}

/**
 * concurrent.futures.as_completed(fs, timeout): finished futures first, then each as it
 * completes. Use: `const it = asCompleted(m, fs); for (let f; (f = yield* it.next()) !== null; ) …`.
 */
export function asCompleted<R>(machine: Machine, fs: readonly Future<R>[], timeoutUs: number | null = null) {
  const start = machine.now;
  const pending = [...new Set(fs)];
  const ready: Future<R>[] = [];
  let waiter: Waiter | null = null;
  const stops = pending.map((f) =>
    f.listen(() => {
      if (!ready.includes(f)) ready.push(f);
      waiter?.notify();
    }),
  );
  for (const f of pending) if (f.done()) ready.push(f);
  return {
    *next(): Blocking<Future<R> | null> {
      for (;;) {
        const next = ready.shift();
        if (next !== undefined) {
          pending.splice(pending.indexOf(next), 1);
          return next;
        }
        if (pending.length === 0) {
          for (const stop of stops) stop();
          return null;
        }
        const left = timeoutUs === null ? null : timeoutUs - (machine.now - start);
        waiter = new Waiter(machine, 'as_completed.waiter');
        if (left === null || left > 0) yield* waiter.wait(left);
        if (ready.length === 0 && timeoutUs !== null && machine.now - start >= timeoutUs) {
          throw new PythonError('TimeoutError', `${pending.length} (of ${fs.length}) futures unfinished`);
        }
      }
    },
  };
}

/** A FIFO that threads block on (queue.SimpleQueue in the thread pool; a pipe's reading end across processes). */
export class Channel<T> {
  private readonly items: T[] = [];
  private readonly waiters: Waiter[] = [];

  constructor(
    private readonly machine: Machine,
    readonly name: string,
  ) {}

  get size(): number {
    return this.items.length;
  }

  put(item: T): void {
    this.items.push(item);
    this.waiters.shift()?.notify();
  }

  /** Take everything queued, without blocking (shutdown(cancel_futures=True) drains the queue this way). */
  drain(): T[] {
    return this.items.splice(0);
  }

  *get(): Blocking<T> {
    while (this.items.length === 0) {
      const waiter = new Waiter(this.machine, `${this.name}.get`);
      this.waiters.push(waiter);
      yield* waiter.wait();
    }
    return this.items.shift() as T;
  }
}

/** Time to move `bytes` bytes through a pipe between processes. */
export function pipeCostUs(bytes: number): number {
  return PIPE_MESSAGE_US + Math.ceil(bytes * PIPE_NS_PER_BYTE / 1000);
}

function checkMaxWorkers(value: number): void {
  if (!Number.isInteger(value)) throw new RangeError(`max_workers must be an integer, got ${String(value)}`);
  if (value <= 0) throw new PythonError('ValueError', 'max_workers must be greater than 0');
}

interface WorkItem {
  future: Future<unknown>;
  fn: PyFunction;
  args: unknown[];
}

/** Executor.map's keyword arguments. */
export interface MapOptions {
  /** For the whole map, from the call on (null: none); each result waits only what is left of it. */
  timeoutUs?: number | null;
  /** Items per call sent to a worker process; ProcessPoolExecutor only (default 1). ThreadPoolExecutor ignores it, as CPython does. */
  chunksize?: number;
}

/** What Executor.map returns: the futures it submitted (one per chunk), and next() giving each result in input order. */
export interface MapResults<R> {
  readonly futures: readonly Future<unknown>[];
  next(): Blocking<{value: R} | null>;
}

/**
 * result_iterator of Executor.map (_base.py): each future's result in order, the timeout counted
 * from `startedAt`. When a wait raises (the call's exception, or TimeoutError), the future waited
 * on (_result_or_cancel) and every later one are cancelled; a running call cannot be. `unpack`
 * turns one result into the values it carries (a chunk's list: _chain_from_iterable_of_lists).
 */
function mapResults<V, R>(machine: Machine, startedAt: number, fs: readonly Future<V>[], timeoutUs: number | null, unpack: (value: V) => R[]): MapResults<R> {
  let index = 0;
  const buffered: R[] = [];
  return {
    futures: fs as readonly Future<unknown>[],
    *next(): Blocking<{value: R} | null> {
      if (buffered.length === 0) {
        if (index >= fs.length) return null;
        const future = fs[index++];
        try {
          const left = timeoutUs === null ? null : Math.max(0, timeoutUs - (machine.now - startedAt));
          buffered.push(...unpack(yield* future.result(left)));
        } catch (error) {
          for (const rest of fs.slice(index - 1)) rest.cancel();
          throw error;
        }
      }
      return {value: buffered.shift() as R};
    },
  };
}

/** What `with Executor() as ex:` and map share between the two executors. */
abstract class Executor {
  protected shutdownCalled = false;

  abstract submit<A extends unknown[], R>(fn: PyFunction<A, R>, ...args: A): Blocking<Future<R>>;
  abstract shutdown(options?: {wait?: boolean; cancelFutures?: boolean}): Blocking<void>;

  /**
   * Executor.map: submits every call at once, then yields results in input order; the exception
   * of a call is raised when iteration reaches it, and the calls not yet started are cancelled.
   * `chunksize` is ignored here, as in _base.py; ProcessPoolExecutor overrides this.
   */
  *map<A, R>(fn: PyFunction<[A], R>, items: readonly A[], options: MapOptions = {}): Blocking<MapResults<R>> {
    const machine = this.machineOf();
    // end_time is fixed before the first submit, which may start workers.
    const startedAt = machine.now;
    const fs: Future<R>[] = [];
    for (const item of items) fs.push(yield* this.submit(fn, item));
    return mapResults(machine, startedAt, fs, options.timeoutUs ?? null, (value) => [value]);
  }

  /** `with Executor() as ex: body(ex)`: shutdown(wait=True) on the way out, even after an exception. */
  *within<R>(body: (executor: this) => Blocking<R>): Blocking<R> {
    try {
      return yield* body(this);
    } finally {
      yield* this.shutdown({wait: true});
    }
  }

  protected abstract machineOf(): Machine;

  protected checkOpen(): void {
    if (this.shutdownCalled) throw new RuntimeError('cannot schedule new futures after shutdown');
  }
}

/** ThreadPoolExecutor._counter per machine: shared by InterpreterPoolExecutor, which inherits it. */
const executorCounters = new WeakMap<Machine, number>();

function nextExecutorNumber(machine: Machine): number {
  const number = executorCounters.get(machine) ?? 0;
  executorCounters.set(machine, number + 1);
  return number;
}

/**
 * What a worker thread runs its calls in (thread.py's WorkerContext, 3.14): set up when the worker
 * starts, every call run through it, torn down when the worker exits.
 */
interface WorkerContext {
  initialize(): Blocking<void>;
  run(item: WorkItem): Blocking<unknown>;
  finalize(): Blocking<void>;
}

/** A thread pool's context: the call runs in the worker thread itself. */
const inThread: WorkerContext = {
  *initialize() {},
  run: (item) => item.fn.call(...item.args),
  *finalize() {},
};

/** concurrent.futures.ThreadPoolExecutor. */
export class ThreadPoolExecutor extends Executor {
  readonly maxWorkers: number;
  readonly threads: PyThread[] = [];
  private readonly queue: Channel<WorkItem | null>;
  private readonly prefix: string;
  /** _idle_semaphore's value: workers waiting for work. */
  private idle = 0;
  private submitted = 0;

  constructor(
    protected readonly machine: Machine,
    options: {maxWorkers?: number; threadNamePrefix?: string} = {},
  ) {
    super();
    // 3.8+: min(32, (os.process_cpu_count() or 1) + 4) (3.13 reads process_cpu_count, before it cpu_count).
    this.maxWorkers = options.maxWorkers ?? Math.min(32, machine.coreCount + 4);
    checkMaxWorkers(this.maxWorkers);
    // `thread_name_prefix or "ThreadPoolExecutor-%d" % self._counter()`: only a default name takes a number.
    this.prefix = options.threadNamePrefix || `${this.executorKind}-${nextExecutorNumber(machine)}`;
    this.queue = new Channel(machine, `${this.prefix}.queue`);
  }

  /** The class name in the default thread name prefix. */
  protected get executorKind(): string {
    return 'ThreadPoolExecutor';
  }

  /** A new worker's context (prepare_context's create_context). */
  protected newWorkerContext(): WorkerContext {
    return inThread;
  }

  protected machineOf(): Machine {
    return this.machine;
  }

  *submit<A extends unknown[], R>(fn: PyFunction<A, R>, ...args: A): Blocking<Future<R>> {
    this.checkOpen();
    this.submitted += 1;
    const future = new Future<R>(this.machine, `${fn.qualname}#${this.submitted}`);
    this.queue.put({future: future as Future<unknown>, fn: fn as PyFunction, args});
    yield* this.adjustThreadCount();
    return future;
  }

  /** _adjust_thread_count: reuse an idle worker if one is waiting, else start one while below max_workers. */
  private *adjustThreadCount(): Blocking<void> {
    if (this.idle > 0) {
      this.idle -= 1;
      return;
    }
    if (this.threads.length >= this.maxWorkers) return;
    const pool = this;
    const thread = this.machine.thread({
      name: `${this.prefix}_${this.threads.length}`,
      *target() {
        yield* pool.worker();
      },
    });
    this.threads.push(thread);
    yield thread.start();
  }

  private *worker(): Blocking<void> {
    const context = this.newWorkerContext();
    yield* context.initialize();
    for (;;) {
      const item = yield* this.queue.get();
      if (item === null) {
        // Wake the next worker so that every one sees the shutdown.
        this.queue.put(null);
        yield* context.finalize();
        return;
      }
      yield* runWorkItem(item, context);
      this.idle += 1;
    }
  }

  *shutdown(options: {wait?: boolean; cancelFutures?: boolean} = {}): Blocking<void> {
    const {wait: block = true, cancelFutures = false} = options;
    this.shutdownCalled = true;
    if (cancelFutures) {
      for (const item of this.queue.drain()) item?.future.cancel();
    }
    this.queue.put(null);
    if (block) for (const thread of this.threads) yield thread.join();
  }
}

function* runWorkItem(item: WorkItem, context: WorkerContext): Blocking<void> {
  if (!item.future.setRunningOrNotifyCancel()) return;
  yield cpu(POOL_TASK_OVERHEAD_US);
  let value: unknown;
  try {
    value = yield* context.run(item);
  } catch (error) {
    if (!(error instanceof PythonError)) throw error;
    item.future.setException(error);
    return;
  }
  item.future.setResult(value);
}

/** What pickle could not take when crossing interpreters (Python/crossinterp.c, _PyPickle_GetXIData, 3.14). */
const notShareable = (): PythonError => new PythonError('NotShareableError', 'object could not be pickled');

/**
 * An InterpreterPoolExecutor worker's context (interpreter.py WorkerContext, 3.14): the worker
 * thread creates a subinterpreter with its own GIL, runs every call in it with Interpreter.call,
 * and closes it on exit. A call crosses by pickle: the function (by reference) and its arguments
 * are pickled in the main interpreter and unpickled in the worker's, the return value or the
 * exception the other way; no pipe, the bytes stay in the process.
 */
class InterpreterWorkerContext implements WorkerContext {
  private interpreter: SubInterpreter | null = null;

  constructor(private readonly machine: Machine) {}

  /** interpreters.create(): the thread switches into the new interpreter to start it. */
  *initialize(): Blocking<void> {
    const interpreter = this.machine.createInterpreter();
    this.interpreter = interpreter;
    yield interpreter.enter();
    yield cpu(INTERPRETER_START_US);
    yield interpreter.leave();
  }

  *run(item: WorkItem): Blocking<unknown> {
    const interpreter = this.interpreter!;
    if (picklingError([item.fn, item.args]) !== null) throw notShareable();
    const bytes = pickledSize([item.fn.module, item.fn.qualname, item.args]);
    yield cpu(pickleCostUs(bytes));
    yield interpreter.enter();
    yield cpu(pickleCostUs(bytes));
    let value: unknown = null;
    let error: PythonError | null = null;
    try {
      value = yield* item.fn.call(...item.args);
    } catch (raised) {
      if (!(raised instanceof PythonError)) throw raised;
      // The worker preserves the exception as it is (its __cause__, ExecutionFailed, is not modelled).
      error = raised;
    }
    const unshareable = error === null && picklingError(value) !== null;
    const backBytes = pickledSize(error === null ? value : [error.pythonType, error.message]);
    yield cpu(pickleCostUs(backBytes));
    yield interpreter.leave();
    if (unshareable) throw notShareable();
    yield cpu(pickleCostUs(backBytes));
    if (error !== null) throw error;
    return value;
  }

  /** Interpreter.close(), when the worker exits. */
  *finalize(): Blocking<void> {
    const interpreter = this.interpreter!;
    yield interpreter.enter();
    yield cpu(INTERPRETER_CLOSE_US);
    yield interpreter.leave();
    this.interpreter = null;
  }
}

/**
 * concurrent.futures.InterpreterPoolExecutor (3.14, Lib/concurrent/futures/interpreter.py; PEP 734):
 * a ThreadPoolExecutor, with its submit, map, shutdown and default max_workers, whose every worker
 * thread owns a subinterpreter with its own GIL (PEP 684), so CPU-bound Python calls run in
 * parallel. Each worker pays INTERPRETER_START_US when it starts, and each call pays pickling both
 * ways. Not modelled: initializer, the interpreters' memory, re-importing `__main__` in a worker.
 */
export class InterpreterPoolExecutor extends ThreadPoolExecutor {
  protected override get executorKind(): string {
    return 'InterpreterPoolExecutor';
  }

  protected override newWorkerContext(): WorkerContext {
    return new InterpreterWorkerContext(this.machine);
  }
}

/** A ProcessPoolExecutor call: fn(*args) from submit, or, from map, _process_chunk(fn, chunk) with one args tuple per call. */
interface ProcessWorkItem extends WorkItem {
  chunk: unknown[][] | null;
}

/** _process_chunk: `[fn(*args) for args in chunk]`; the first call that raises ends the chunk. */
function* processChunk(fn: PyFunction, chunk: unknown[][]): Blocking<unknown[]> {
  const values: unknown[] = [];
  for (const args of chunk) values.push(yield* fn.call(...args));
  return values;
}

type ManagerMessage = {kind: 'wakeup'} | {kind: 'result'; future: Future<unknown>; value: unknown; error: PythonError | null; bytes: number};

/** concurrent.futures.ProcessPoolExecutor. */
export class ProcessPoolExecutor extends Executor {
  readonly maxWorkers: number;
  readonly startMethod: StartMethod;
  readonly processes: OsProcess[] = [];
  private readonly pending: ProcessWorkItem[] = [];
  private readonly calls: Channel<(ProcessWorkItem & {bytes: number}) | null>;
  private readonly inbox: Channel<ManagerMessage>;
  /** Held by submit and shutdown: concurrent submitters start workers one at a time, never past max_workers. */
  private readonly shutdownLock = new Lock('ProcessPoolExecutor._shutdown_lock');
  private manager: PyThread | null = null;
  private inFlight = 0;
  private idleWorkers = 0;
  private submitted = 0;

  constructor(
    private readonly machine: Machine,
    options: {maxWorkers?: number; startMethod?: StartMethod; pythonVersion?: PythonVersion} = {},
  ) {
    super();
    // Default os.process_cpu_count() (3.13+) or os.cpu_count(); Windows caps it at 61.
    this.maxWorkers = options.maxWorkers ?? machine.coreCount;
    checkMaxWorkers(this.maxWorkers);
    this.startMethod = options.startMethod ?? defaultStartMethod(options.pythonVersion ?? '3.12');
    this.calls = new Channel(machine, 'call_queue');
    this.inbox = new Channel(machine, 'result_queue');
  }

  protected machineOf(): Machine {
    return this.machine;
  }

  *submit<A extends unknown[], R>(fn: PyFunction<A, R>, ...args: A): Blocking<Future<R>> {
    return yield* this.enqueue<R>(fn as PyFunction, args, null);
  }

  /**
   * ProcessPoolExecutor.map (process.py): the items go in chunks of `chunksize`, each submitted as
   * one call of _process_chunk(fn, chunk): pickled once, run by one worker, its results pickled
   * back as one list. Results come out in input order; a call that raises fails its whole chunk.
   */
  override *map<A, R>(fn: PyFunction<[A], R>, items: readonly A[], options: MapOptions = {}): Blocking<MapResults<R>> {
    const {timeoutUs = null, chunksize = 1} = options;
    if (!Number.isInteger(chunksize)) throw new RangeError(`chunksize must be an integer, got ${String(chunksize)}`);
    if (chunksize < 1) throw new ValueError('chunksize must be >= 1.');
    const startedAt = this.machine.now;
    const fs: Future<R[]>[] = [];
    for (let first = 0; first < items.length; first += chunksize) {
      const chunk = items.slice(first, first + chunksize).map((item) => [item]);
      fs.push(yield* this.enqueue<R[]>(fn as PyFunction, [], chunk));
    }
    return mapResults(this.machine, startedAt, fs, timeoutUs, (values) => values);
  }

  /** submit's body, under `with self._shutdown_lock:` as in process.py. */
  private *enqueue<R>(fn: PyFunction, args: unknown[], chunk: unknown[][] | null): Blocking<Future<R>> {
    yield this.shutdownLock.acquire();
    try {
      this.checkOpen();
      this.submitted += 1;
      const future = new Future<R>(this.machine, `${fn.qualname}#${this.submitted}`);
      this.pending.push({future: future as Future<unknown>, fn, args, chunk});
      yield* this.startWorkers();
      this.inbox.put({kind: 'wakeup'});
      return future;
    } finally {
      yield this.shutdownLock.release();
    }
  }

  /**
   * process.py: with fork every worker starts at the first submit, before the manager thread
   * exists (_launch_processes; forking a process that has threads is unsafe, cpython#90622);
   * with spawn and forkserver one more starts per submit while none is idle, up to max_workers
   * (_adjust_process_count).
   */
  private *startWorkers(): Blocking<void> {
    let wanted = this.maxWorkers;
    if (this.startMethod !== 'fork') {
      // _idle_worker_semaphore: released each time a worker's result comes back.
      if (this.idleWorkers > 0) {
        this.idleWorkers -= 1;
        wanted = this.processes.length;
      } else {
        wanted = Math.min(this.processes.length + 1, this.maxWorkers);
      }
    }
    while (this.processes.length < wanted) {
      const pool = this;
      const worker: PyFunction = {qualname: '_process_worker', module: 'concurrent.futures.process', call: () => pool.work()};
      // BaseProcess.__init__: the context's Process class name and the next of multiprocessing's _process_counter.
      const name = `${{fork: 'ForkProcess', spawn: 'SpawnProcess', forkserver: 'ForkServerProcess'}[this.startMethod]}-${nextProcessNumber(this.machine)}`;
      this.processes.push(yield* launch(this.machine, {name, daemon: false, method: this.startMethod, target: worker, args: []}));
    }
    if (this.manager === null) {
      const pool = this;
      this.manager = this.machine.thread({
        name: 'ExecutorManagerThread',
        *target() {
          yield* pool.manage();
        },
      });
      yield this.manager.start();
    }
  }

  /** The executor manager thread: keeps the call queue filled, and completes futures from results. */
  private *manage(): Blocking<void> {
    for (;;) {
      // _add_call_item_to_queue: at most max_workers + 1 calls queued ahead (EXTRA_QUEUED_CALLS).
      while (this.pending.length > 0 && this.calls.size < this.maxWorkers + 1) {
        const item = this.pending.shift()!;
        if (!item.future.setRunningOrNotifyCancel()) continue;
        // A chunk pickles as Pool's tasks do: the function's reference and one args tuple per call.
        const payload = item.chunk ?? item.args;
        const error = picklingError([item.fn, payload]);
        if (error !== null) {
          // _on_queue_feeder_error: the pickling error goes into the Future.
          item.future.setException(error);
          continue;
        }
        const bytes = pickledSize([item.fn.module, item.fn.qualname, payload]);
        yield cpu(pickleCostUs(bytes) + pipeCostUs(bytes));
        this.inFlight += 1;
        this.calls.put({...item, bytes});
      }
      if (this.shutdownCalled && this.pending.length === 0 && this.inFlight === 0) break;
      const message = yield* this.inbox.get();
      if (message.kind === 'result') {
        yield cpu(pickleCostUs(message.bytes));
        this.inFlight -= 1;
        this.idleWorkers += 1;
        if (message.error !== null) message.future.setException(message.error);
        else message.future.setResult(message.value);
      }
    }
    for (const _ of this.processes) this.calls.put(null);
    for (const process of this.processes) {
      if (!process.alive) continue;
      const waiter = new Waiter(this.machine, `${process.name}.join`);
      process.onExit.push(() => waiter.notify());
      yield* waiter.wait();
    }
  }

  /** _process_worker: get a call, unpickle it, run it, pickle the result or the exception back. */
  private *work(): Blocking<void> {
    for (;;) {
      const item = yield* this.calls.get();
      if (item === null) return;
      yield cpu(pickleCostUs(item.bytes) + pipeCostUs(item.bytes));
      let value: unknown = null;
      let error: PythonError | null = null;
      try {
        value = item.chunk === null ? yield* item.fn.call(...item.args) : yield* processChunk(item.fn, item.chunk);
      } catch (raised) {
        if (!(raised instanceof PythonError)) throw raised;
        error = raised;
      }
      const resultError = error === null ? picklingError(value) : null;
      const bytes = pickledSize(error === null ? value : [error.pythonType, error.message]);
      yield cpu(pickleCostUs(bytes) + pipeCostUs(bytes));
      this.inbox.put({kind: 'result', future: item.future, value, error: error ?? resultError, bytes});
    }
  }

  *shutdown(options: {wait?: boolean; cancelFutures?: boolean} = {}): Blocking<void> {
    const {wait: block = true, cancelFutures = false} = options;
    yield this.shutdownLock.acquire();
    this.shutdownCalled = true;
    if (cancelFutures) for (const item of this.pending.splice(0)) item.future.cancel();
    this.inbox.put({kind: 'wakeup'});
    yield this.shutdownLock.release();
    if (block && this.manager !== null) yield this.manager.join();
  }
}

/** multiprocessing.pool.AsyncResult (ApplyResult): ready, successful, get, wait. */
export class AsyncResult<R> {
  constructor(readonly future: Future<R>) {}

  ready(): boolean {
    return this.future.done();
  }

  /** Python raises ValueError("<AsyncResult …> not ready") before the result is ready. */
  successful(): boolean {
    if (!this.ready()) throw new PythonError('ValueError', `${this.future.name} not ready`);
    return this.future.storedException === null;
  }

  *get(timeoutUs: number | null = null): Blocking<R> {
    return yield* this.future.result(timeoutUs);
  }

  *wait(timeoutUs: number | null = null): Blocking<void> {
    try {
      yield* this.future.exception(timeoutUs);
    } catch (error) {
      if (!(error instanceof PythonError) || error.pythonType !== 'TimeoutError') throw error;
    }
  }
}

interface PoolTask {
  future: Future<unknown[]>;
  fn: PyFunction;
  chunk: unknown[];
  bytes: number;
}

/** Pool.map's default chunk size (pool.py _map_async): ceil(len / (4 × processes)). */
export function defaultChunksize(items: number, processes: number): number {
  if (items === 0) return 0;
  return Math.ceil(items / (processes * 4));
}

/** multiprocessing.Pool(processes). Create it with `yield* Pool.create(machine, ...)`: its workers start at once. */
export class Pool {
  readonly processes: OsProcess[] = [];
  private state: 'RUN' | 'CLOSE' | 'TERMINATE' = 'RUN';
  private readonly tasks: Channel<PoolTask | null>;
  private readonly results: Channel<{task: PoolTask; value: unknown[] | null; error: PythonError | null; bytes: number} | null>;
  private readonly handlers: PyThread[] = [];
  private taskCount = 0;
  private outstanding = 0;

  private constructor(
    private readonly machine: Machine,
    readonly size: number,
    readonly startMethod: StartMethod,
  ) {
    this.tasks = new Channel(machine, 'Pool.inqueue');
    this.results = new Channel(machine, 'Pool.outqueue');
  }

  static *create(machine: Machine, options: {processes?: number; startMethod?: StartMethod; pythonVersion?: PythonVersion} = {}): Blocking<Pool> {
    const size = options.processes ?? machine.coreCount;
    if (!Number.isInteger(size)) throw new RangeError(`processes must be an integer, got ${String(size)}`);
    if (size < 1) throw new PythonError('ValueError', 'Number of processes must be at least 1');
    const pool = new Pool(machine, size, options.startMethod ?? defaultStartMethod(options.pythonVersion ?? '3.12'));
    const prefix = {fork: 'ForkPoolWorker', spawn: 'SpawnPoolWorker', forkserver: 'ForkServerPoolWorker'}[pool.startMethod];
    for (let started = 0; started < size; started += 1) {
      const worker: PyFunction = {qualname: 'worker', module: 'multiprocessing.pool', call: () => pool.work()};
      // pool.py names each worker Process(...).name with 'Process' replaced by 'PoolWorker': the number is _process_counter's.
      pool.processes.push(yield* launch(machine, {name: `${prefix}-${nextProcessNumber(machine)}`, daemon: true, method: pool.startMethod, target: worker, args: []}));
    }
    const resultHandler = machine.thread({
      name: 'Pool-result-handler',
      daemon: true,
      *target() {
        yield* pool.handleResults();
      },
    });
    pool.handlers.push(resultHandler);
    yield resultHandler.start();
    return pool;
  }

  private checkRunning(): void {
    if (this.state !== 'RUN') throw new PythonError('ValueError', 'Pool not running');
  }

  /** Queue one task (a chunk of calls); the caller pays for pickling it, as the task handler thread would. */
  private *put(fn: PyFunction, chunk: unknown[], callback?: (value: unknown[]) => void, errorCallback?: (error: PythonError) => void): Blocking<Future<unknown[]>> {
    this.taskCount += 1;
    const future = new Future<unknown[]>(this.machine, `${fn.qualname}#${this.taskCount}`);
    future.addDoneCallback((done) => {
      const error = done.storedException;
      if (error === null) callback?.(done.finishedValue());
      else errorCallback?.(error);
    });
    const error = picklingError([fn, chunk]);
    if (error !== null) {
      future.setException(error);
      return future;
    }
    const bytes = pickledSize([fn.module, fn.qualname, chunk]);
    yield cpu(pickleCostUs(bytes) + pipeCostUs(bytes));
    this.outstanding += 1;
    this.tasks.put({future, fn, chunk, bytes});
    return future;
  }

  /** pool.apply_async(fn, args, callback=..., error_callback=...): callbacks run in the result handler thread. */
  *applyAsync<R>(fn: PyFunction<unknown[], R>, args: unknown[] = [], options: {callback?: (value: R) => void; errorCallback?: (error: PythonError) => void} = {}): Blocking<AsyncResult<R>> {
    this.checkRunning();
    const future = yield* this.put(fn as PyFunction, [args], (values) => options.callback?.(values[0] as R), options.errorCallback);
    const single = new Future<R>(this.machine, future.name);
    future.addDoneCallback((done) => {
      const error = done.storedException;
      if (error !== null) single.setException(error);
      else single.setResult(done.finishedValue()[0] as R);
    });
    return new AsyncResult(single);
  }

  /** pool.map(fn, items, chunksize): blocks until every chunk is done; results in input order; the first failed chunk's exception is raised. */
  *map<A, R>(fn: PyFunction<[A], R>, items: readonly A[], chunksize: number | null = null): Blocking<R[]> {
    this.checkRunning();
    const size = chunksize ?? defaultChunksize(items.length, this.size);
    if (items.length > 0 && (!Number.isInteger(size) || size < 1)) throw new PythonError('ValueError', `Chunksize must be 1+, not ${String(size)}`);
    const chunks: Future<unknown[]>[] = [];
    for (let start = 0; start < items.length; start += size) chunks.push(yield* this.put(fn as PyFunction, items.slice(start, start + size).map((item) => [item])));
    const values: R[] = [];
    for (const chunk of chunks) values.push(...((yield* chunk.result()) as R[]));
    return values;
  }

  /** pool.imap(fn, items, chunksize=1): an iterator whose next() blocks for the next result in order. */
  *imap<A, R>(fn: PyFunction<[A], R>, items: readonly A[], chunksize = 1) {
    this.checkRunning();
    if (!Number.isInteger(chunksize) || chunksize < 1) throw new PythonError('ValueError', `Chunksize must be 1+, not ${String(chunksize)}`);
    const chunks: Future<unknown[]>[] = [];
    for (let start = 0; start < items.length; start += chunksize) chunks.push(yield* this.put(fn as PyFunction, items.slice(start, start + chunksize).map((item) => [item])));
    const buffered: R[] = [];
    let next = 0;
    return {
      *next(): Blocking<{value: R} | null> {
        if (buffered.length === 0 && next < chunks.length) buffered.push(...((yield* chunks[next++].result()) as R[]));
        return buffered.length === 0 ? null : {value: buffered.shift() as R};
      },
    };
  }

  close(): void {
    if (this.state === 'RUN') this.state = 'CLOSE';
    // The task handler sends one sentinel per worker once the queue is drained.
    for (const _ of this.processes) this.tasks.put(null);
  }

  /** Kills the workers at once, finished or not; `with Pool() as p:` calls this on exit (pool.py __exit__). */
  terminate(): void {
    this.state = 'TERMINATE';
    for (const process of this.processes) this.machine.killProcess(process, -15);
    this.results.put(null);
  }

  /** pool.join(): only after close() or terminate(). */
  *join(): Blocking<void> {
    if (this.state === 'RUN') throw new PythonError('ValueError', 'Pool is still running');
    for (const process of this.processes) {
      if (!process.alive) continue;
      const waiter = new Waiter(this.machine, `${process.name}.join`);
      process.onExit.push(() => waiter.notify());
      yield* waiter.wait();
    }
    this.results.put(null);
  }

  /** `with Pool(n) as pool: body(pool)`: terminate() on exit. */
  *within<R>(body: (pool: Pool) => Blocking<R>): Blocking<R> {
    try {
      return yield* body(this);
    } finally {
      this.terminate();
    }
  }

  /** pool.py worker(): get a task, run each call of the chunk, put the list of results back. */
  private *work(): Blocking<void> {
    for (;;) {
      const task = yield* this.tasks.get();
      if (task === null) return;
      yield cpu(pickleCostUs(task.bytes) + pipeCostUs(task.bytes));
      const values: unknown[] = [];
      let error: PythonError | null = null;
      for (const args of task.chunk) {
        try {
          values.push(yield* task.fn.call(...(args as unknown[])));
        } catch (raised) {
          if (!(raised instanceof PythonError)) throw raised;
          error = raised;
          break;
        }
      }
      const bytes = pickledSize(error === null ? values : [error.pythonType, error.message]);
      yield cpu(pickleCostUs(bytes) + pipeCostUs(bytes));
      this.results.put({task, value: error === null ? values : null, error, bytes});
    }
  }

  /** The result handler thread: unpickles each result and completes its future (callbacks run here). */
  private *handleResults(): Blocking<void> {
    for (;;) {
      const result = yield* this.results.get();
      if (result === null) return;
      yield cpu(pickleCostUs(result.bytes));
      this.outstanding -= 1;
      if (result.error !== null) result.task.future.setException(result.error);
      else result.task.future.setResult(result.value!);
    }
  }
}
