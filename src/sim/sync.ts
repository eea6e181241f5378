/**
 * threading.Semaphore, BoundedSemaphore, Event, Condition and Barrier (Lib/threading.py) and
 * queue.Queue (Lib/queue.py), on the simulated Machine.
 *
 * As in CPython, each is a counter, a flag or a deque plus FIFO lists of waiters, and every
 * blocking call parks on a one-shot waiter of its own (Condition.wait's `waiter =
 * _allocate_lock()`, here the Machine's Waiter). A notify pops waiters from the front and wakes
 * them; a woken thread re-checks its predicate when it runs and, if another thread got there
 * first, waits again at the back, as CPython's `while` loops do. The internal lock each class
 * holds for a few bytecodes is not modelled: code between two yields runs at one instant.
 *
 * Calls that may block are generators: `const item = yield* q.get()`, `yield* sem.acquire()`.
 * Calls that never block are plain calls: `sem.release()`, `event.set()`, `cond.notify()`.
 * Timeouts are integer microseconds; null means wait forever (Python's None). A blocked thread
 * appears in the deadlock report with what it waits for (locks.ts, describeWaits).
 * Trace kind: `sync` (actor: the primitive's name; details: action, thread, and the counter); a
 * parked thread's wake-up also shows as a `lock` acquire of its one-shot waiter.
 */
import {PythonError, RuntimeError, ValueError} from './errors';
import {RLock, type AcquireOptions, type AcquireStep, type Lock} from './locks';
import {Waiter, type Machine} from './machine';
import type {Step, ThreadProgram} from './threads';

// ValueError lives in errors.ts, since locks.ts raises it too; it is still importable from here.
export {ValueError};

/** threading.BrokenBarrierError, a RuntimeError subclass; raised without a message. */
export class BrokenBarrierError extends RuntimeError {
  override readonly pythonType: string = 'threading.BrokenBarrierError';

  constructor() {
    super('');
    this.name = 'BrokenBarrierError';
  }
}

/** queue.Full, raised without a message. */
export class QueueFull extends PythonError {
  constructor() {
    super('queue.Full', '');
  }
}

/** queue.Empty (defined in the C module _queue), raised without a message. */
export class QueueEmpty extends PythonError {
  constructor() {
    super('_queue.Empty', '');
  }
}

export type Timeout = number | null;

function checkTimeout(timeoutUs: Timeout, parameter: string): void {
  if (timeoutUs !== null && !Number.isInteger(timeoutUs)) {
    throw new RangeError(`${parameter} must be an integer number of microseconds or null, got ${String(timeoutUs)}`);
  }
}

/**
 * The timeout loop of Lib/threading.py (Semaphore.acquire, Condition.wait_for): the first wait
 * gets the whole timeout, each later one what is left until the deadline, and none once it passed.
 */
class Deadline {
  private deadline: number | null = null;

  constructor(
    private readonly machine: Machine,
    private readonly timeoutUs: Timeout,
  ) {}

  /** How long the next wait may last (null: forever), or 'expired'. */
  next(): Timeout | 'expired' {
    if (this.timeoutUs === null) return null;
    if (this.deadline === null) {
      this.deadline = this.machine.now + this.timeoutUs;
      return this.timeoutUs;
    }
    const left = this.deadline - this.machine.now;
    return left <= 0 ? 'expired' : left;
  }
}

/** A FIFO of parked waiters: the `_waiters` deque of Lib/threading.py's Condition. */
class WaitList {
  private readonly waiters: Waiter[] = [];

  constructor(
    private readonly machine: Machine,
    private readonly what: {kind: string; name: string},
  ) {}

  get length(): number {
    return this.waiters.length;
  }

  /** Park the running thread until notified or timed out; true if notified. */
  *wait(timeoutUs: Timeout): Generator<Step, boolean, void> {
    return yield* this.park(this.enlist(), timeoutUs);
  }

  /** Join the queue of waiters (a notify from now on is kept for it) without parking yet. */
  enlist(): Waiter {
    const waiter = new Waiter(this.machine, `${this.what.kind} ${this.what.name}`, this.what);
    this.waiters.push(waiter);
    return waiter;
  }

  /** Park on an enlisted waiter. A timeout of 0 or less only polls, as Condition.wait does. */
  *park(waiter: Waiter, timeoutUs: Timeout): Generator<Step, boolean, void> {
    const notified = yield* waiter.wait(timeoutUs === null ? null : Math.max(0, timeoutUs));
    if (!notified) this.waiters.splice(this.waiters.indexOf(waiter), 1);
    return notified;
  }

  notify(n = 1): void {
    for (const waiter of this.waiters.splice(0, n)) waiter.notify();
  }

  notifyAll(): void {
    this.notify(this.waiters.length);
  }
}

/** threading.Semaphore: a counter; acquire() blocks while it is 0. No owner: any thread may release. */
export class Semaphore {
  readonly name: string;
  protected count: number;
  protected readonly machine: Machine;
  private readonly waiters: WaitList;

  constructor(machine: Machine, value = 1, name = 'Semaphore') {
    if (!Number.isInteger(value)) throw new RangeError(`value must be an integer, got ${String(value)}`);
    if (value < 0) throw new ValueError('semaphore initial value must be >= 0');
    this.machine = machine;
    this.count = value;
    this.name = name;
    this.waiters = new WaitList(machine, {kind: 'semaphore', name});
  }

  /** The counter (`_value`): how many more acquires succeed without blocking. */
  get value(): number {
    return this.count;
  }

  /** `const ok = yield* sem.acquire({blocking, timeoutUs})`; false if non-blocking or timed out. */
  *acquire({blocking = true, timeoutUs = null}: {blocking?: boolean; timeoutUs?: Timeout} = {}): Generator<Step, boolean, void> {
    checkTimeout(timeoutUs, 'timeoutUs');
    if (!blocking && timeoutUs !== null) throw new ValueError("can't specify timeout for non-blocking acquire");
    const wait = new Deadline(this.machine, timeoutUs);
    while (this.count === 0) {
      if (!blocking) return false;
      const waitUs = wait.next();
      if (waitUs === 'expired') return false;
      yield* this.waiters.wait(waitUs);
    }
    this.count -= 1;
    this.machine.record('sync', this.name, {action: 'acquire', thread: this.machine.currentThread.name, value: this.count});
    return true;
  }

  /** Add n to the counter and wake up to n waiters. */
  release(n = 1): void {
    if (!Number.isInteger(n)) throw new RangeError(`n must be an integer, got ${String(n)}`);
    if (n < 1) throw new ValueError('n must be one or more');
    this.count += n;
    this.machine.record('sync', this.name, {action: 'release', thread: this.machine.currentThread.name, value: this.count});
    this.waiters.notify(n);
  }
}

/** threading.BoundedSemaphore: a release that would take the counter above its initial value raises. */
export class BoundedSemaphore extends Semaphore {
  private readonly initialValue: number;

  constructor(machine: Machine, value = 1, name = 'BoundedSemaphore') {
    super(machine, value, name);
    this.initialValue = value;
  }

  override release(n = 1): void {
    if (Number.isInteger(n) && n >= 1 && this.count + n > this.initialValue) throw new ValueError('Semaphore released too many times');
    super.release(n);
  }
}

/** `with sem:` — `yield* withSemaphore(sem, function* () { ... })`. Releases even if the body raises. */
export function* withSemaphore(semaphore: Semaphore, body: () => ThreadProgram): ThreadProgram {
  yield* semaphore.acquire();
  try {
    yield* body();
  } finally {
    semaphore.release();
  }
}

/** threading.Event: a flag; wait() blocks until it is set. */
export class Event {
  readonly name: string;
  private flag = false;
  private readonly waiters: WaitList;

  constructor(
    private readonly machine: Machine,
    name = 'Event',
  ) {
    this.name = name;
    this.waiters = new WaitList(machine, {kind: 'event', name});
  }

  isSet(): boolean {
    return this.flag;
  }

  set(): void {
    this.flag = true;
    this.machine.record('sync', this.name, {action: 'set', thread: this.machine.currentThread.name});
    this.waiters.notifyAll();
  }

  clear(): void {
    this.flag = false;
    this.machine.record('sync', this.name, {action: 'clear', thread: this.machine.currentThread.name});
  }

  /** `const flag = yield* event.wait(timeoutUs)`: true if set (or set while waiting), false on timeout. */
  *wait(timeoutUs: Timeout = null): Generator<Step, boolean, void> {
    checkTimeout(timeoutUs, 'timeoutUs');
    if (this.flag) return true;
    return yield* this.waiters.wait(timeoutUs);
  }
}

/**
 * threading.Condition: a lock (an RLock unless one is given) plus waiters. wait() releases the
 * lock completely (all of an RLock's levels), parks, and re-acquires it before returning, with no
 * timeout on the re-acquire, as Lib/threading.py does.
 */
export class Condition {
  readonly name: string;
  readonly lock: Lock | RLock;
  private readonly waiters: WaitList;

  constructor(
    private readonly machine: Machine,
    lock?: Lock | RLock,
    name = 'Condition',
  ) {
    this.name = name;
    this.lock = lock ?? new RLock(`${name}.lock`);
    this.waiters = new WaitList(machine, {kind: 'condition', name});
  }

  /** `yield cond.acquire()` or `yield* cond.acquire({blocking, timeoutUs})`: the underlying lock's acquire (`with cond:` is `withLock(cond.lock, ...)`). */
  acquire(options: AcquireOptions = {}): AcquireStep {
    return this.lock.acquire(options);
  }

  release(): Step {
    return this.lock.release();
  }

  /** Condition._is_owned: an RLock must be held by this thread; a plain Lock only has to be locked. */
  private isOwned(): boolean {
    return this.lock instanceof RLock ? this.lock.owner === this.machine.currentThread : this.lock.locked;
  }

  /** `const notified = yield* cond.wait(timeoutUs)`: false if the timeout passed first. */
  *wait(timeoutUs: Timeout = null): Generator<Step, boolean, void> {
    checkTimeout(timeoutUs, 'timeoutUs');
    if (!this.isOwned()) throw new RuntimeError('cannot wait on un-acquired lock');
    const levels = this.lock instanceof RLock ? this.lock.count : 1;
    // Enlist before letting go of the lock, so a notify that comes in between is not lost.
    const waiter = this.waiters.enlist();
    for (let level = 0; level < levels; level += 1) yield this.lock.release();
    const notified = yield* this.waiters.park(waiter, timeoutUs);
    for (let level = 0; level < levels; level += 1) yield this.lock.acquire();
    return notified;
  }

  /** Condition.wait_for: wait until predicate() is true or the timeout passes; returns the last predicate value. */
  *waitFor(predicate: () => boolean, timeoutUs: Timeout = null): Generator<Step, boolean, void> {
    checkTimeout(timeoutUs, 'timeoutUs');
    const wait = new Deadline(this.machine, timeoutUs);
    let result = predicate();
    while (!result) {
      const waitUs = wait.next();
      if (waitUs === 'expired') break;
      yield* this.wait(waitUs);
      result = predicate();
    }
    return result;
  }

  notify(n = 1): void {
    if (!this.isOwned()) throw new RuntimeError('cannot notify on un-acquired lock');
    this.machine.record('sync', this.name, {action: 'notify', thread: this.machine.currentThread.name, n, waiters: this.waiters.length});
    this.waiters.notify(n);
  }

  notifyAll(): void {
    this.notify(this.waiters.length);
  }
}

/**
 * threading.Barrier: `parties` threads call wait(); the last to arrive releases them all, and
 * each gets its arrival index (0 … parties-1). A wait that times out, an action that raises, or
 * abort() breaks the barrier: every waiter, and every later caller until reset(), gets
 * BrokenBarrierError. Simplification: the barrier is ready for the next round at once, without
 * CPython's "draining" state (new arrivals there wait until the released threads have left).
 */
export class Barrier {
  readonly name: string;
  readonly parties: number;
  private readonly action: (() => void) | null;
  private readonly defaultTimeoutUs: Timeout;
  private brokenFlag = false;
  /** Outcome slots of the threads waiting in the current round. */
  private arrived: {outcome: 'waiting' | 'passed' | 'broken'}[] = [];
  private readonly waiters: WaitList;

  constructor(
    private readonly machine: Machine,
    parties: number,
    options: {action?: () => void; timeoutUs?: Timeout; name?: string} = {},
  ) {
    if (!Number.isInteger(parties) || parties < 1) throw new RangeError(`parties must be a positive integer, got ${String(parties)}`);
    checkTimeout(options.timeoutUs ?? null, 'timeoutUs');
    this.parties = parties;
    this.name = options.name ?? 'Barrier';
    this.action = options.action ?? null;
    this.defaultTimeoutUs = options.timeoutUs ?? null;
    this.waiters = new WaitList(machine, {kind: 'barrier', name: this.name});
  }

  get nWaiting(): number {
    return this.arrived.length;
  }

  get broken(): boolean {
    return this.brokenFlag;
  }

  /** `const index = yield* barrier.wait(timeoutUs)`; the barrier's own timeout when none is given. */
  *wait(timeoutUs: Timeout = null): Generator<Step, number, void> {
    checkTimeout(timeoutUs, 'timeoutUs');
    if (this.brokenFlag) throw new BrokenBarrierError();
    const index = this.arrived.length;
    const thread = this.machine.currentThread.name;
    if (index + 1 === this.parties) {
      try {
        this.action?.();
      } catch (raised) {
        this.breakBarrier('action raised');
        throw raised;
      }
      this.machine.record('sync', this.name, {action: 'pass', thread, parties: this.parties});
      for (const slot of this.arrived) slot.outcome = 'passed';
      this.arrived = [];
      this.waiters.notifyAll();
      return index;
    }
    const slot: {outcome: 'waiting' | 'passed' | 'broken'} = {outcome: 'waiting'};
    this.arrived.push(slot);
    this.machine.record('sync', this.name, {action: 'arrive', thread, index});
    yield* this.waiters.wait(timeoutUs ?? this.defaultTimeoutUs);
    if (slot.outcome === 'waiting') this.breakBarrier(`${thread} timed out`);
    if (slot.outcome !== 'passed') throw new BrokenBarrierError();
    return index;
  }

  /** Put the barrier into the broken state: current and future waiters get BrokenBarrierError. */
  abort(): void {
    this.breakBarrier('abort');
  }

  /** Back to the initial state; threads waiting now get BrokenBarrierError. */
  reset(): void {
    if (this.arrived.length > 0) this.breakBarrier('reset');
    this.brokenFlag = false;
  }

  private breakBarrier(why: string): void {
    this.brokenFlag = true;
    this.machine.record('sync', this.name, {action: 'broken', why});
    for (const slot of this.arrived) slot.outcome = 'broken';
    this.arrived = [];
    this.waiters.notifyAll();
  }
}

/**
 * queue.Queue: a FIFO of at most `maxsize` items (0 or less: unbounded) with the conditions
 * not_empty, not_full and all_tasks_done of Lib/queue.py. put() counts an unfinished task;
 * task_done() counts one done; join() waits until none is left.
 */
export class Queue<T = unknown> {
  readonly name: string;
  readonly maxsize: number;
  /** The most items the queue has held at once. */
  peakSize = 0;
  private readonly items: T[] = [];
  private unfinishedTasks = 0;
  private readonly notEmpty: WaitList;
  private readonly notFull: WaitList;
  private readonly allTasksDone: WaitList;

  constructor(
    private readonly machine: Machine,
    maxsize = 0,
    name = 'Queue',
  ) {
    if (!Number.isInteger(maxsize)) throw new RangeError(`maxsize must be an integer, got ${String(maxsize)}`);
    this.maxsize = maxsize;
    this.name = name;
    this.notEmpty = new WaitList(machine, {kind: 'queue', name: `${name}.not_empty`});
    this.notFull = new WaitList(machine, {kind: 'queue', name: `${name}.not_full`});
    this.allTasksDone = new WaitList(machine, {kind: 'queue', name: `${name}.all_tasks_done`});
  }

  qsize(): number {
    return this.items.length;
  }

  empty(): boolean {
    return this.items.length === 0;
  }

  full(): boolean {
    return this.maxsize > 0 && this.items.length >= this.maxsize;
  }

  get unfinished(): number {
    return this.unfinishedTasks;
  }

  /** `yield* q.put(item, {block, timeoutUs})`: raises queue.Full if it cannot within the timeout. */
  *put(item: T, {block = true, timeoutUs = null}: {block?: boolean; timeoutUs?: Timeout} = {}): Generator<Step, void, void> {
    checkTimeout(timeoutUs, 'timeoutUs');
    if (this.maxsize > 0) yield* this.waitUntil(() => !this.full(), this.notFull, block, timeoutUs, () => new QueueFull());
    this.items.push(item);
    this.unfinishedTasks += 1;
    this.peakSize = Math.max(this.peakSize, this.items.length);
    this.machine.record('sync', this.name, {action: 'put', thread: this.machine.currentThread.name, size: this.items.length});
    this.notEmpty.notify();
  }

  putNowait(item: T): void {
    runToEnd(this.put(item, {block: false}));
  }

  /** `const item = yield* q.get({block, timeoutUs})`: raises queue.Empty if nothing comes within the timeout. */
  *get({block = true, timeoutUs = null}: {block?: boolean; timeoutUs?: Timeout} = {}): Generator<Step, T, void> {
    checkTimeout(timeoutUs, 'timeoutUs');
    yield* this.waitUntil(() => !this.empty(), this.notEmpty, block, timeoutUs, () => new QueueEmpty());
    const item = this.items.shift() as T;
    this.machine.record('sync', this.name, {action: 'get', thread: this.machine.currentThread.name, size: this.items.length});
    this.notFull.notify();
    return item;
  }

  getNowait(): T {
    return runToEnd(this.get({block: false}));
  }

  taskDone(): void {
    if (this.unfinishedTasks <= 0) throw new ValueError('task_done() called too many times');
    this.unfinishedTasks -= 1;
    if (this.unfinishedTasks === 0) this.allTasksDone.notifyAll();
  }

  /** `yield* q.join()`: block until every item put has been marked done. */
  *join(): Generator<Step, void, void> {
    while (this.unfinishedTasks > 0) yield* this.allTasksDone.wait(null);
  }

  /** The loop of Queue.put / Queue.get: wait on `list` until `ready()`, honouring block and timeout. */
  private *waitUntil(ready: () => boolean, list: WaitList, block: boolean, timeoutUs: Timeout, error: () => PythonError): Generator<Step, void, void> {
    if (!block) {
      if (!ready()) throw error();
      return;
    }
    if (timeoutUs === null) {
      while (!ready()) yield* list.wait(null);
      return;
    }
    if (timeoutUs < 0) throw new ValueError("'timeout' must be a non-negative number");
    const deadline = this.machine.now + timeoutUs;
    while (!ready()) {
      const remaining = deadline - this.machine.now;
      if (remaining <= 0) throw error();
      yield* list.wait(remaining);
    }
  }
}

/** Run a generator that cannot yield (a non-blocking put or get) and return its value. */
function runToEnd<R>(generator: Generator<Step, R, void>): R {
  const result = generator.next();
  if (!result.done) throw new Error('a non-blocking queue call tried to block');
  return result.value;
}
