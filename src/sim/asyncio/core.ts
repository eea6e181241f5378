/**
 * asyncio's core, mirroring CPython's Lib/asyncio: Future (futures.py), Task with __step,
 * __wakeup and cancel (tasks.py), Handle and TimerHandle (events.py), and the event loop whose
 * iteration is BaseEventLoop._run_once (base_events.py) over a selector (selector_events.py).
 *
 * The loop is one Python thread on the kernel: while a callback runs, virtual time advances by
 * its cost and nothing else in the loop happens; while the selector sleeps, the network and the
 * default executor's threads go on. Coroutines are generators: `yield* future` is `await future`
 * (Future.__await__ yields the future itself), `yield* coro()` awaits a coroutine inline, and
 * `yield cpu(us)` / `yield blockingCall(us)` keep the loop's thread busy without suspending.
 *
 * Trace kinds: `loop` (one per _run_once iteration), `fd` (a ready event), `task` (a task ends),
 * `executor` (a pool thread starts / ends a job), `slow-callback` (a handle over
 * slow_callback_duration, as debug mode logs "Executing <...> took 1.000 seconds").
 */
import {ASYNCIO_HANDLE_US, ASYNCIO_TASK_BYTES, MAXIMUM_SELECT_TIMEOUT_US, SLOW_CALLBACK_DURATION_US} from '../constants';
import {PythonError, RuntimeError} from '../errors';
import {BinaryHeap} from '../heap';
import {assertNonNegativeInteger, Environment, type ProcessGenerator, type TraceValue} from '../kernel';
import {EVENT_READ, IoSystem, makeSelector, type BaseSelector, type SelectorKind, type SelectResult, type Socket} from '../selectors';

export class CancelledError extends PythonError {
  constructor(message = '') {
    super('CancelledError', message);
  }
}

export class TimeoutError extends PythonError {
  constructor(message = '') {
    super('TimeoutError', message);
  }
}

export class InvalidStateError extends PythonError {
  constructor(message: string) {
    super('InvalidStateError', message);
  }
}

/** ExceptionGroup; its message is what str() shows: "unhandled errors in a TaskGroup (1 sub-exception)". */
export class ExceptionGroup extends PythonError {
  constructor(
    readonly reason: string,
    readonly exceptions: PythonError[],
  ) {
    super('ExceptionGroup', `${reason} (${exceptions.length} sub-exception${exceptions.length === 1 ? '' : 's'})`);
  }
}

/** Work that keeps the loop's thread busy inside a coroutine: Python code, or a blocking call such as time.sleep. */
export interface CoroOp {
  kind: 'cpu' | 'blocking';
  us: number;
  label: string;
}

/** What a coroutine may yield: a future to wait for, busy work, or null (a bare yield, as asyncio.sleep(0)). */
export type Awaitable = Future<unknown> | CoroOp | null;
export type Coro<T = unknown> = Generator<Awaitable, T, unknown>;

export function cpu(us: number, label = 'python'): CoroOp {
  assertNonNegativeInteger(us, 'cpu(us)');
  return {kind: 'cpu', us, label};
}

/** A blocking call inside a coroutine (time.sleep, requests.get): the whole loop stalls for `us`. */
export function blockingCall(us: number, label = 'time.sleep'): CoroOp {
  assertNonNegativeInteger(us, 'blockingCall(us)');
  return {kind: 'blocking', us, label};
}

/** A callback that keeps the loop busy returns how long and what to do next. */
export interface Continuation {
  us: number;
  resume: () => Continuation | void;
}

/** A handle's callback; it is called with the handle's argument (as Handle(callback, args)) and owner task. */
type Callback = (argument: any, owner: Task<unknown> | null) => Continuation | void;

/**
 * What a handle is called in the trace and the stepper: a string, or a function of the handle's
 * argument and owner that makes it only when asked. Most handles are never shown, and making two
 * strings per task was a large share of a 10,000-task run.
 */
export type Label = string | ((argument: any, owner: Task<unknown> | null) => string);

/** events.Handle: a callback in the ready queue. */
export class Handle {
  cancelled = false;

  constructor(
    private readonly labelled: Label,
    readonly callback: Callback,
    /** The task whose step this is: _format_handle shows the task, not the callback. */
    readonly owner: Task<unknown> | null = null,
    /** Passed to the callback, as Handle._args: a done callback gets its future without a closure. */
    readonly argument: unknown = undefined,
  ) {}

  get label(): string {
    return typeof this.labelled === 'string' ? this.labelled : this.labelled(this.argument, this.owner);
  }

  /** Handle._run. */
  run(): Continuation | void {
    return this.callback(this.argument, this.owner);
  }

  /** As base_events._format_handle prints it in the slow-callback warning. */
  format(): string {
    return this.owner !== null ? this.owner.repr() : `<Handle ${this.label}>`;
  }

  cancel(): void {
    this.cancelled = true;
  }
}

/** events.TimerHandle: a callback in the timer heap, due at `when`. */
export class TimerHandle extends Handle {
  /** Still in the heap (cleared when popped), as TimerHandle._scheduled. */
  scheduled = true;

  constructor(
    readonly when: number,
    readonly sequence: number,
    label: Label,
    callback: Callback,
    private readonly loop: EventLoop,
    argument: unknown,
  ) {
    super(label, callback, null, argument);
  }

  cancel(): void {
    if (!this.cancelled && this.scheduled) this.loop.timerCancelled();
    super.cancel();
  }
}

type FutureState = 'PENDING' | 'CANCELLED' | 'FINISHED';

/** futures.Future. Done callbacks are scheduled with call_soon, never run inline. */
export class Future<T> {
  protected state: FutureState = 'PENDING';
  private value: T | undefined;
  private error: PythonError | null = null;
  protected cancelMessage = '';
  /**
   * Done callbacks, as the handles call_soon will queue, each called with this future. Most
   * futures have one callback or none, so one is kept without an array.
   */
  private callbacks: Handle | Handle[] | null = null;

  constructor(
    readonly loop: EventLoop,
    readonly name: string,
  ) {}

  done(): boolean {
    return this.state !== 'PENDING';
  }

  cancelled(): boolean {
    return this.state === 'CANCELLED';
  }

  result(): T {
    if (this.state === 'CANCELLED') throw new CancelledError(this.cancelMessage);
    if (this.state === 'PENDING') throw new InvalidStateError('Result is not set.');
    if (this.error !== null) throw this.error;
    return this.value as T;
  }

  exception(): PythonError | null {
    if (this.state === 'CANCELLED') throw new CancelledError(this.cancelMessage);
    if (this.state === 'PENDING') throw new InvalidStateError('Exception is not set.');
    return this.error;
  }

  setResult(value: T): void {
    if (this.state !== 'PENDING') throw new InvalidStateError(`${this.state}: ${this.repr()}`);
    this.value = value;
    this.state = 'FINISHED';
    this.scheduleCallbacks();
  }

  setException(error: PythonError): void {
    if (this.state !== 'PENDING') throw new InvalidStateError(`${this.state}: ${this.repr()}`);
    this.error = error;
    this.state = 'FINISHED';
    this.scheduleCallbacks();
  }

  cancel(message = ''): boolean {
    return this.markCancelled(message);
  }

  addDoneCallback(callback: (future: this, owner: Task<unknown> | null) => Continuation | void, owner: Task<unknown> | null = null): void {
    const label = owner !== null ? wakeupLabel : doneCallbackLabel;
    if (this.done()) {
      this.loop.callSoon(callback, label, owner, this);
      return;
    }
    const handle = new Handle(label, callback, owner, this);
    if (this.callbacks === null) this.callbacks = handle;
    else if (Array.isArray(this.callbacks)) this.callbacks.push(handle);
    else this.callbacks = [this.callbacks, handle];
  }

  removeDoneCallback(callback: (future: this) => Continuation | void): number {
    if (this.callbacks === null) return 0;
    const handles = Array.isArray(this.callbacks) ? this.callbacks : [this.callbacks];
    const kept = handles.filter((handle) => handle.callback !== callback);
    this.callbacks = kept.length === 0 ? null : kept;
    return handles.length - kept.length;
  }

  repr(): string {
    return `<${this instanceof Task ? 'Task' : 'Future'} ${this.state.toLowerCase()} name='${this.name}'>`;
  }

  /** Future.__await__: suspend until done (the task waits on this future), then return or raise. */
  [Symbol.iterator](): Generator<Future<T>, T, unknown> {
    return new FutureIter(this);
  }

  protected markCancelled(message: string): boolean {
    if (this.state !== 'PENDING') return false;
    this.state = 'CANCELLED';
    this.cancelMessage = message;
    this.scheduleCallbacks();
    return true;
  }

  private scheduleCallbacks(): void {
    const callbacks = this.callbacks;
    this.callbacks = null;
    if (callbacks === null) return;
    if (Array.isArray(callbacks)) for (const handle of callbacks) this.loop.enqueue(handle);
    else this.loop.enqueue(callbacks);
  }
}

export type TaskState = 'ready' | 'running' | 'waiting' | 'done' | 'failed' | 'cancelled';

/** tasks.Task: drives a coroutine, one __step per ready handle. */
export class Task<T> extends Future<T> {
  private futWaiter: Future<unknown> | null = null;
  private mustCancel = false;
  private cancelRequests = 0;

  constructor(
    loop: EventLoop,
    private readonly coro: Coro<T>,
    name: string,
  ) {
    super(loop, name);
    loop.taskCreated(this);
    loop.callSoon(taskStep, stepLabel, this);
  }

  get taskState(): TaskState {
    if (this.cancelled()) return 'cancelled';
    if (this.done()) return this.exception() === null ? 'done' : 'failed';
    if (this.loop.currentTask === this) return 'running';
    return this.futWaiter !== null && !this.futWaiter.done() ? 'waiting' : 'ready';
  }

  /** What the task waits on, for the trace. */
  get waitingOn(): string | null {
    return this.futWaiter?.name ?? null;
  }

  /** Task.cancel: cancel the awaited future, or make the next __step throw CancelledError. */
  cancel(message = ''): boolean {
    if (this.done()) return false;
    this.cancelRequests += 1;
    if (this.futWaiter !== null && this.futWaiter.cancel(message)) return true;
    this.mustCancel = true;
    this.cancelMessage = message;
    return true;
  }

  cancelling(): number {
    return this.cancelRequests;
  }

  uncancel(): number {
    if (this.cancelRequests > 0) this.cancelRequests -= 1;
    return this.cancelRequests;
  }

  /** @internal Task.__step, called by its handle. */
  step(error: PythonError | null): Continuation | void {
    if (this.done()) throw new InvalidStateError(`_step(): already done: ${this.repr()}`);
    if (this.mustCancel) {
      if (!(error instanceof CancelledError)) error = new CancelledError(this.cancelMessage);
      this.mustCancel = false;
    }
    this.futWaiter = null;
    return this.advance(error);
  }

  /** @internal Task.__wakeup, the done callback of the awaited future. */
  wakeup(future: Future<unknown>): Continuation | void {
    try {
      future.result();
    } catch (raised) {
      if (!(raised instanceof PythonError)) throw raised;
      return this.step(raised);
    }
    return this.step(null);
  }

  /** Send into (or throw into) the coroutine until it suspends, finishes, or does busy work. */
  private advance(error: PythonError | null): Continuation | void {
    this.loop.currentTask = this;
    try {
      let pending = error;
      for (;;) {
        let result: IteratorResult<Awaitable, T>;
        try {
          result = pending !== null ? this.coro.throw(pending) : this.coro.next();
        } catch (raised) {
          if (raised instanceof CancelledError) this.markCancelled(raised.message);
          else if (raised instanceof PythonError) this.setException(raised);
          else throw raised;
          this.loop.taskEnded(this);
          return;
        }
        pending = null;
        if (result.done) {
          this.setResult(result.value);
          this.loop.taskEnded(this);
          return;
        }
        const yielded = result.value;
        if (yielded === null) {
          this.loop.callSoon(taskStep, stepLabel, this);
          return;
        }
        if (yielded instanceof Future) {
          if (yielded === this) {
            pending = new RuntimeError(`Task cannot await on itself: ${this.repr()}`);
            continue;
          }
          yielded.addDoneCallback(taskWakeup, this);
          this.futWaiter = yielded;
          if (this.mustCancel && yielded.cancel(this.cancelMessage)) this.mustCancel = false;
          return;
        }
        return {us: yielded.us, resume: () => this.advance(null)};
      }
    } finally {
      this.loop.currentTask = null;
    }
  }
}

// Where CPython passes the bound methods self.__step and self.__wakeup, the handle carries its
// task as owner: two functions for all tasks instead of two closures per task.
const taskStep = (_argument: unknown, task: Task<unknown> | null): Continuation | void => task!.step(null);
const taskWakeup = (future: Future<unknown>, task: Task<unknown> | null): Continuation | void => task!.wakeup(future);
const stepLabel = (_argument: unknown, task: Task<unknown> | null): string => `Task.__step ${task!.name}`;
const wakeupLabel = (_argument: unknown, task: Task<unknown> | null): string => `Task.__wakeup ${task!.name}`;
const doneCallbackLabel = (future: Future<unknown>): string => `${future.name} done callback`;

/**
 * Future.__await__'s iterator (FutureIter in _asynciomodule.c): yields the future once, then
 * returns its result or raises. Written out rather than as a generator because every await goes
 * through one, and a plain object is several times cheaper to make and resume.
 */
class FutureIter<T> implements Generator<Future<T>, T, unknown> {
  private yielded = false;

  constructor(private readonly future: Future<T>) {}

  next(): IteratorResult<Future<T>, T> {
    if (!this.yielded && !this.future.done()) {
      this.yielded = true;
      return {done: false, value: this.future};
    }
    return {done: true, value: this.future.result()};
  }

  /** An exception thrown into the awaiting coroutine surfaces at its await. */
  throw(error: unknown): IteratorResult<Future<T>, T> {
    throw error;
  }

  return(value: T): IteratorResult<Future<T>, T> {
    return {done: true, value};
  }

  [Symbol.iterator](): this {
    return this;
  }
}

/** A FIFO with O(1) popleft, as collections.deque for the ready queue. */
class Deque<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  popleft(): T {
    const item = this.items[this.head];
    this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  toArray(): T[] {
    return this.items.slice(this.head);
  }
}

/** One iteration of _run_once, as the trace and a stepper show it. */
export interface LoopIteration {
  index: number;
  startUs: number;
  endUs: number;
  /** Selector timeout: 0 if handles were ready, else until the earliest timer, null = none. */
  timeoutUs: number | null;
  waitedUs: number;
  selectCostUs: number;
  fdEvents: number[];
  /** Labels of the handles this iteration ran (those ready at the start of its run phase), the first 100. */
  ran: string[];
  /** How many handles it ran in all. */
  handlesRun: number;
  /** Timer heap after the iteration, earliest first. */
  timers: {when: number; label: string}[];
  /** Task states after the iteration (only while there are at most 100 tasks). */
  tasks: {name: string; state: TaskState; waitingOn: string | null}[] | null;
  liveTasks: number;
  cancelledTimersRemoved: number;
}

/** A timer as an observer sees it: due time and label. */
export interface TimerView {
  when: number;
  label: string;
}

/** A phase of _run_once, as a loop observer (a stepper) sees it. */
export type LoopPhase =
  | {phase: 'select'; iteration: number; timeoutUs: number | null; cancelledTimersRemoved: number}
  | {phase: 'selected'; iteration: number; waitedUs: number; costUs: number; fds: number[]; appended: string[]}
  | {phase: 'timers'; iteration: number; moved: TimerView[]}
  | {phase: 'handle'; iteration: number; handle: string; task: string | null; appended: string[]; timersAdded: TimerView[]; durationUs: number; warning: string | null};

/** The loop's state after a phase: copies, made only when an observer is set. */
export interface LoopView {
  timeUs: number;
  /** Labels of the ready queue, front first (a cancelled handle keeps its place until popped). */
  ready: string[];
  /** The timer heap, earliest first, without cancelled timers. */
  timers: TimerView[];
  /** fds registered for reading, with their callbacks. */
  readers: {fd: number; label: string}[];
  /** Every task the loop has had, in creation order, finished ones included. */
  tasks: {name: string; state: TaskState; waitingOn: string | null}[];
  stopping: boolean;
}

/** Called at each phase of every _run_once iteration (see LoopPhase); it must not change the loop. */
export type LoopObserver = (phase: LoopPhase, view: LoopView) => void;

export interface SlowCallback {
  handle: string;
  startUs: number;
  durationUs: number;
  warning: string;
}

export interface LoopOptions {
  /** Cores of the machine: the default executor has min(32, cores + 4) threads. Default 4. */
  cores?: number;
  /** The loop's selector: epoll (DefaultSelector on Linux), poll or select. */
  selector?: SelectorKind;
  /** loop.slow_callback_duration, microseconds. */
  slowCallbackDurationUs?: number;
  /** Cost of running one ready handle. */
  handleCostUs?: number;
  /** Executor threads (ThreadPoolExecutor max_workers); default min(32, cores + 4). */
  executorWorkers?: number;
  seed?: number;
  /** Sees every phase of _run_once; without one the loop makes no snapshots. */
  observer?: LoopObserver;
}

const MIN_SCHEDULED_TIMER_HANDLES = 100;
const MIN_CANCELLED_TIMER_HANDLES_FRACTION = 0.5;
const TASK_DETAIL_LIMIT = 100;

/** The default executor: concurrent.futures.ThreadPoolExecutor(thread_name_prefix='asyncio'). */
class DefaultExecutor {
  private readonly queue: {us: number; label: string; done: () => void}[] = [];
  private readonly idleWaiters: Array<() => void> = [];
  private idle: string[] = [];
  private threads = 0;
  busy = 0;

  constructor(
    private readonly loop: EventLoop,
    readonly maxWorkers: number,
  ) {}

  submit(us: number, label: string, done: () => void): void {
    this.queue.push({us, label, done});
    // ThreadPoolExecutor._adjust_thread_count: a new thread only when none is idle.
    if (this.idle.length === 0 && this.threads < this.maxWorkers) this.idle.push(`asyncio_${this.threads++}`);
    this.dispatch();
  }

  get peakThreads(): number {
    return this.threads;
  }

  /** executor.shutdown(wait=True): `callback` once every job has finished. */
  whenIdle(callback: () => void): void {
    if (this.busy === 0 && this.queue.length === 0) callback();
    else this.idleWaiters.push(callback);
  }

  private dispatch(): void {
    while (this.queue.length > 0 && this.idle.length > 0) {
      const job = this.queue.shift()!;
      const thread = this.idle.shift()!;
      this.busy += 1;
      const env = this.loop.env;
      env.record('executor', thread, {action: 'start', job: job.label});
      // Blocking work that releases the GIL (I/O, sleep): it runs beside the loop.
      env.schedule(job.us, () => {
        env.record('executor', thread, {action: 'end', job: job.label});
        this.busy -= 1;
        this.idle.push(thread);
        job.done();
        this.dispatch();
        if (this.busy === 0 && this.queue.length === 0) for (const waiter of this.idleWaiters.splice(0)) waiter();
      });
    }
  }
}

let runningLoop: EventLoop | null = null;

/** asyncio.get_running_loop(). */
export function getRunningLoop(): EventLoop {
  if (runningLoop === null) throw new RuntimeError('no running event loop');
  return runningLoop;
}

/** asyncio.current_task(). */
export function currentTask(): Task<unknown> | null {
  return getRunningLoop().currentTask;
}

/** The selector event loop (selector_events.BaseSelectorEventLoop over base_events.BaseEventLoop). */
export class EventLoop {
  readonly env: Environment;
  readonly io: IoSystem;
  readonly selector: BaseSelector;
  readonly iterations: LoopIteration[] = [];
  readonly slowCallbacks: SlowCallback[] = [];
  readonly executor: DefaultExecutor;
  currentTask: Task<unknown> | null = null;
  private handlesRunTotal = 0;
  private readonly ready = new Deque<Handle>();
  /** loop._scheduled: timers by (when, sequence), kept with heapq in CPython. */
  private readonly scheduled = new BinaryHeap<TimerHandle>(timerBefore);
  private readonly readers = new Map<number, Handle>();
  private readonly tasks = new Set<Task<unknown>>();
  private readonly selfPipe: Socket;
  private readonly slowCallbackDurationUs: number;
  private readonly handleCostUs: number;
  private timerCancelledCount = 0;
  private timerSequence = 0;
  private futureCount = 0;
  private taskCount = 0;
  private stopping = false;
  private peakLiveTasks = 0;
  private fdEvents: number[] = [];
  private readonly observer: LoopObserver | null;
  /** Every task, kept only for the observer (the loop itself forgets finished tasks). */
  private readonly observedTasks: Task<unknown>[] = [];

  constructor(options: LoopOptions = {}) {
    const {cores = 4, selector = 'epoll', slowCallbackDurationUs = SLOW_CALLBACK_DURATION_US, handleCostUs = ASYNCIO_HANDLE_US, seed = 0} = options;
    if (!Number.isInteger(cores) || cores < 1) throw new RangeError(`cores must be a positive integer, got ${String(cores)}`);
    assertNonNegativeInteger(slowCallbackDurationUs, 'slowCallbackDurationUs');
    assertNonNegativeInteger(handleCostUs, 'handleCostUs');
    const workers = options.executorWorkers ?? Math.min(32, cores + 4);
    if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`executorWorkers must be a positive integer, got ${String(workers)}`);
    this.env = new Environment({seed});
    this.io = new IoSystem(this.env);
    if (selector === 'epoll') this.io.openFiles(1); // the epoll instance is itself an fd
    this.selector = makeSelector(selector, this.env);
    this.slowCallbackDurationUs = slowCallbackDurationUs;
    this.handleCostUs = handleCostUs;
    this.executor = new DefaultExecutor(this, workers);
    this.observer = options.observer ?? null;
    // _make_self_pipe: call_soon_threadsafe writes a byte here to wake the selector.
    this.selfPipe = this.io.socket();
    this.io.socket();
    this.selfPipe.setblocking(false);
    this.addReader(this.selfPipe, () => this.readFromSelf(), '_read_from_self');
  }

  time(): number {
    return this.env.now;
  }

  get peakTaskBytes(): number {
    return this.peakLiveTasks * ASYNCIO_TASK_BYTES;
  }

  /** Handles run so far: the loop's callbacks, the unit CPython's own loop is measured in. */
  get callbacksRun(): number {
    return this.handlesRunTotal;
  }

  get liveTasks(): number {
    return this.tasks.size;
  }

  get allTasks(): Task<unknown>[] {
    return [...this.tasks];
  }

  callSoon(callback: Callback, label: Label = 'callback', owner: Task<unknown> | null = null, argument: unknown = undefined): Handle {
    const handle = new Handle(label, callback, owner, argument);
    this.ready.push(handle);
    return handle;
  }

  /** @internal call_soon of a handle made beforehand (a future's done callback). */
  enqueue(handle: Handle): void {
    this.ready.push(handle);
  }

  /** From another thread: append, then write to the self-pipe so a sleeping selector wakes up. */
  callSoonThreadsafe(callback: Callback, label = 'callback'): Handle {
    const handle = this.callSoon(callback, label);
    this.selfPipe.deliver(1, false);
    return handle;
  }

  callLater(delayUs: number, callback: Callback, label: Label = 'timer', argument: unknown = undefined): TimerHandle {
    assertNonNegativeInteger(delayUs, 'delay');
    return this.callAt(this.time() + delayUs, callback, label, argument);
  }

  callAt(when: number, callback: Callback, label: Label = 'timer', argument: unknown = undefined): TimerHandle {
    const timer = new TimerHandle(when, this.timerSequence++, label, callback, this, argument);
    this.scheduled.push(timer);
    return timer;
  }

  createFuture<T>(name = `Future-${++this.futureCount}`): Future<T> {
    return new Future<T>(this, name);
  }

  createTask<T>(coro: Coro<T>, name?: string): Task<T> {
    return new Task<T>(this, coro, name ?? `Task-${++this.taskCount}`);
  }

  addReader(socket: Socket, callback: Callback, label: string): void {
    const handle = new Handle(label, callback);
    const existing = this.readers.get(socket.fd);
    this.readers.set(socket.fd, handle);
    if (existing === undefined) this.selector.register(socket, EVENT_READ, handle);
    else this.selector.modify(socket, EVENT_READ, handle);
  }

  removeReader(socket: Socket): boolean {
    if (!this.readers.delete(socket.fd)) return false;
    this.selector.unregister(socket);
    return true;
  }

  /** loop.sock_recv: try now; on EAGAIN, add a reader and wait for the selector to report the fd. */
  *sockRecv(socket: Socket, bufsize: number): Coro<number> {
    if (socket.blocking) throw new PythonError('ValueError', 'the socket must be non-blocking');
    const future = this.createFuture<number>(`sock_recv(fd=${socket.fd})`);
    const attempt = (): void => {
      if (future.done()) return;
      try {
        future.setResult(socket.recv(bufsize));
      } catch (raised) {
        if (!(raised instanceof PythonError)) throw raised;
        if (raised.pythonType !== 'BlockingIOError') future.setException(raised);
      }
    };
    attempt();
    if (!future.done()) {
      this.addReader(socket, attempt, `_sock_recv fd=${socket.fd}`);
      future.addDoneCallback(() => {
        this.removeReader(socket);
      });
    }
    return yield* future;
  }

  /** loop.run_in_executor(None, func): a pool thread does `us` of blocking work; the result comes back threadsafe. */
  runInExecutor<T>(us: number, label: string, result: T): Future<T> {
    assertNonNegativeInteger(us, 'runInExecutor(us)');
    const future = this.createFuture<T>(`run_in_executor(${label})`);
    this.executor.submit(us, label, () =>
      this.callSoonThreadsafe(() => {
        if (!future.done()) future.setResult(result);
      }, `_copy_future_state ${label}`),
    );
    return future;
  }

  stop(): void {
    this.stopping = true;
  }

  /** loop.run_until_complete(future), as a step of the loop thread's program (see execute). */
  *runUntilComplete(future: Future<unknown>): ProcessGenerator<void> {
    future.addDoneCallback(() => this.stop());
    yield* this.runForever();
  }

  /** Run the loop thread's program on the kernel to its end; the run stops there. */
  execute(program: ProcessGenerator<void>): void {
    if (runningLoop !== null) throw new RuntimeError('asyncio.run() cannot be called from a running event loop');
    let finished = false;
    this.env.process(program).onTrigger(() => {
      finished = true;
      this.env.stop();
    });
    runningLoop = this;
    try {
      this.env.run();
    } finally {
      runningLoop = null;
    }
    if (!finished) throw new Error('the event loop waits for an fd that nothing will ever make ready (the program would hang)');
  }

  /** True once nothing can ever make progress again: no ready handle, timer, executor job or waiting reader with a peer. */
  private get idleForever(): boolean {
    return this.ready.length === 0 && this.scheduled.size === 0 && this.executor.busy === 0 && this.readers.size <= 1 && !this.selfPipe.readable;
  }

  private *runForever(): ProcessGenerator<void> {
    for (;;) {
      if (!this.stopping && this.idleForever) {
        // A real loop would sleep in select() for ever; the simulation reports it instead.
        throw new Error('the event loop has nothing left to wait for: a future is never set (the program would hang)');
      }
      yield* this.runOnce();
      if (this.stopping) break;
    }
    this.stopping = false;
  }

  timerCancelled(): void {
    this.timerCancelledCount += 1;
  }

  taskCreated(task: Task<unknown>): void {
    this.tasks.add(task);
    if (this.observer !== null) this.observedTasks.push(task);
    this.peakLiveTasks = Math.max(this.peakLiveTasks, this.tasks.size);
  }

  taskEnded(task: Task<unknown>): void {
    this.tasks.delete(task);
    this.env.record('task', task.name, {state: task.taskState});
  }

  /** BaseEventLoop._run_once. */
  private *runOnce(): ProcessGenerator<void> {
    const startUs = this.time();
    const observer = this.observer;
    const iteration = this.iterations.length;
    let cancelledTimersRemoved = 0;
    const scheduledCount = this.scheduled.size;
    if (scheduledCount > MIN_SCHEDULED_TIMER_HANDLES && this.timerCancelledCount / scheduledCount > MIN_CANCELLED_TIMER_HANDLES_FRACTION) {
      // Many cancelled timers: rebuild the heap without them.
      this.scheduled.retain((timer) => {
        if (timer.cancelled) timer.scheduled = false;
        return !timer.cancelled;
      });
      cancelledTimersRemoved = scheduledCount - this.scheduled.size;
      this.timerCancelledCount = 0;
    } else {
      while (this.scheduled.peek()?.cancelled) {
        this.timerCancelledCount -= 1;
        this.scheduled.pop()!.scheduled = false;
        cancelledTimersRemoved += 1;
      }
    }

    let timeoutUs: number | null = null;
    if (this.ready.length > 0 || this.stopping) timeoutUs = 0;
    else if (this.scheduled.size > 0) timeoutUs = Math.min(Math.max(0, this.scheduled.peek()!.when - this.time()), MAXIMUM_SELECT_TIMEOUT_US);

    if (observer !== null) this.notify(observer, {phase: 'select', iteration, timeoutUs, cancelledTimersRemoved});
    // Threads may append (call_soon_threadsafe) while select waits: the observer counts them with the fd callbacks.
    const readyBeforeSelect = this.ready.length;
    const selected = (yield this.selector.select(timeoutUs)) as SelectResult;
    this.fdEvents = [];
    for (const [key, mask] of selected.events) {
      const handle = key.data as Handle;
      if (mask & EVENT_READ) {
        this.env.record('fd', `fd ${key.fd}`, {event: 'readable', handle: handle.label});
        this.fdEvents.push(key.fd);
        if (handle.cancelled) this.removeReader(key.fileobj);
        else this.ready.push(handle);
      }
    }

    if (observer !== null) {
      const appended = this.readyFrom(readyBeforeSelect).map((handle) => handle.label);
      this.notify(observer, {phase: 'selected', iteration, waitedUs: selected.waitedUs, costUs: selected.costUs, fds: this.fdEvents, appended});
    }
    const readyBeforeTimers = this.ready.length;

    // Timers due by now (end_time = time() + clock_resolution; 1 ns resolution is below our 1 us grain).
    while (this.scheduled.size > 0 && this.scheduled.peek()!.when <= this.time()) {
      const timer = this.scheduled.pop()!;
      timer.scheduled = false;
      this.ready.push(timer);
    }

    if (observer !== null) {
      const moved = this.readyFrom(readyBeforeTimers).map((handle) => ({when: (handle as TimerHandle).when, label: handle.label}));
      this.notify(observer, {phase: 'timers', iteration, moved});
    }

    // Run exactly the handles ready now; callbacks they schedule wait for the next iteration.
    const ntodo = this.ready.length;
    const ran: string[] = [];
    let handlesRun = 0;
    const env = this.env;
    for (let index = 0; index < ntodo; index += 1) {
      const handle = this.ready.popleft();
      if (handle.cancelled) continue;
      handlesRun += 1;
      if (ran.length < TASK_DETAIL_LIMIT) ran.push(handle.label);
      const handleStart = this.time();
      const readyBeforeRun = this.ready.length;
      const timerSequenceBeforeRun = this.timerSequence;
      let next = handle.run();
      // The loop's thread is busy; elapse() passes the time without the heap when nothing else is due.
      if (this.handleCostUs > 0 && !env.elapse(this.handleCostUs)) yield env.timeout(this.handleCostUs);
      while (next !== undefined) {
        if (!env.elapse(next.us)) yield env.timeout(next.us);
        next = next.resume();
      }
      const durationUs = this.time() - handleStart;
      let warning: string | null = null;
      if (durationUs >= this.slowCallbackDurationUs) {
        warning = `Executing ${handle.format()} took ${(durationUs / 1_000_000).toFixed(3)} seconds`;
        this.slowCallbacks.push({handle: handle.label, startUs: handleStart, durationUs, warning});
        this.env.record('slow-callback', 'event-loop', {handle: handle.label, durationUs, warning});
      }
      if (observer !== null) {
        const appended = this.readyFrom(readyBeforeRun).map((added) => added.label);
        const timersAdded = this.scheduled.earliest(TASK_DETAIL_LIMIT, (t) => t.sequence >= timerSequenceBeforeRun && !t.cancelled).map(timerView);
        this.notify(observer, {phase: 'handle', iteration, handle: handle.label, task: handle.owner?.name ?? null, appended, timersAdded, durationUs, warning});
      }
    }
    this.handlesRunTotal += handlesRun;
    this.recordIteration({startUs, timeoutUs, selected, ran, handlesRun, cancelledTimersRemoved});
  }

  private recordIteration(parts: {startUs: number; timeoutUs: number | null; selected: SelectResult; ran: string[]; handlesRun: number; cancelledTimersRemoved: number}): void {
    // Only the earliest TASK_DETAIL_LIMIT are shown: taken from the heap in order, not by sorting every timer each iteration.
    const timers = this.scheduled.earliest(TASK_DETAIL_LIMIT, (t) => !t.cancelled);
    const tasks = this.tasks.size <= TASK_DETAIL_LIMIT ? [...this.tasks].map((t) => ({name: t.name, state: t.taskState, waitingOn: t.waitingOn})) : null;
    const iteration: LoopIteration = {
      index: this.iterations.length,
      startUs: parts.startUs,
      endUs: this.time(),
      timeoutUs: parts.timeoutUs,
      waitedUs: parts.selected.waitedUs,
      selectCostUs: parts.selected.costUs,
      fdEvents: this.fdEvents,
      ran: parts.ran,
      handlesRun: parts.handlesRun,
      timers: timers.map((t) => ({when: t.when, label: t.label})),
      tasks,
      liveTasks: this.tasks.size,
      cancelledTimersRemoved: parts.cancelledTimersRemoved,
    };
    this.iterations.push(iteration);
    this.env.record('loop', 'event-loop', {...iteration, tasks: (tasks ?? null) as TraceValue} as {[key: string]: TraceValue});
  }

  /** The handles appended to the ready queue after it held `count`. */
  private readyFrom(count: number): Handle[] {
    return this.ready.toArray().slice(count);
  }

  private notify(observer: LoopObserver, phase: LoopPhase): void {
    observer(phase, {
      timeUs: this.time(),
      ready: this.ready.toArray().map((handle) => (handle.cancelled ? `${handle.label} (cancelled)` : handle.label)),
      timers: this.scheduled.earliest(TASK_DETAIL_LIMIT, (t) => !t.cancelled).map(timerView),
      readers: [...this.readers].sort(([a], [b]) => a - b).map(([fd, handle]) => ({fd, label: handle.label})),
      tasks: this.observedTasks.map((task) => ({name: task.name, state: task.taskState, waitingOn: task.waitingOn})),
      stopping: this.stopping,
    });
  }

  private readFromSelf(): void {
    while (this.selfPipe.readable && this.selfPipe.recv(4096) > 0);
  }
}

const timerView = (timer: TimerHandle): TimerView => ({when: timer.when, label: timer.label});
const timerBefore = (a: TimerHandle, b: TimerHandle): boolean => a.when < b.when || (a.when === b.when && a.sequence < b.sequence);
