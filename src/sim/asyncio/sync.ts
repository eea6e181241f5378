/**
 * asyncio's synchronisation primitives and queue, mirroring CPython's Lib/asyncio/locks.py
 * (Lock, Event, Semaphore, BoundedSemaphore) and Lib/asyncio/queues.py (Queue): each waiter is a
 * future in a FIFO deque, woken by setting its result; a waiter cancelled after being woken passes
 * its turn on.
 */
import {PythonError, RuntimeError} from '../errors';
import {CancelledError, getRunningLoop, type Coro, type Future} from './core';

const valueError = (message: string): PythonError => new PythonError('ValueError', message);

function* waitFor(waiters: Future<unknown>[], name: string): Coro<void> {
  const future = getRunningLoop().createFuture<unknown>(name);
  waiters.push(future);
  try {
    yield* future;
  } finally {
    waiters.splice(waiters.indexOf(future), 1);
  }
}

export class Lock {
  private locked_ = false;
  private readonly waiters: Future<unknown>[] = [];

  constructor(readonly name = 'Lock') {}

  locked(): boolean {
    return this.locked_;
  }

  *acquire(): Coro<boolean> {
    if (!this.locked_ && this.waiters.every((w) => w.cancelled())) {
      this.locked_ = true;
      return true;
    }
    try {
      yield* waitFor(this.waiters, `${this.name}.acquire`);
    } catch (raised) {
      if (raised instanceof CancelledError && !this.locked_) this.wakeUpFirst();
      throw raised;
    }
    this.locked_ = true;
    return true;
  }

  release(): void {
    if (!this.locked_) throw new RuntimeError('Lock is not acquired.');
    this.locked_ = false;
    this.wakeUpFirst();
  }

  private wakeUpFirst(): void {
    const first = this.waiters[0];
    if (first !== undefined && !first.done()) first.setResult(true);
  }
}

export class Event {
  private value = false;
  private readonly waiters: Future<unknown>[] = [];

  constructor(readonly name = 'Event') {}

  isSet(): boolean {
    return this.value;
  }

  set(): void {
    if (this.value) return;
    this.value = true;
    for (const waiter of this.waiters) if (!waiter.done()) waiter.setResult(true);
  }

  clear(): void {
    this.value = false;
  }

  *wait(): Coro<boolean> {
    if (this.value) return true;
    yield* waitFor(this.waiters, `${this.name}.wait`);
    return true;
  }
}

export class Semaphore {
  protected value: number;
  private readonly waiters: Future<unknown>[] = [];

  constructor(
    value = 1,
    readonly name = 'Semaphore',
  ) {
    if (!Number.isInteger(value) || value < 0) throw valueError('Semaphore initial value must be >= 0');
    this.value = value;
  }

  locked(): boolean {
    return this.value === 0 || this.waiters.some((w) => !w.cancelled());
  }

  *acquire(): Coro<boolean> {
    if (!this.locked()) {
      this.value -= 1;
      return true;
    }
    const loop = getRunningLoop();
    const future = loop.createFuture<unknown>(`${this.name}.acquire`);
    this.waiters.push(future);
    try {
      yield* future;
    } catch (raised) {
      // Woken (a permit was handed to us) but cancelled before running: give the permit on.
      if (raised instanceof CancelledError && future.done() && !future.cancelled()) {
        this.value += 1;
        this.wakeUpNext();
      }
      throw raised;
    } finally {
      this.waiters.splice(this.waiters.indexOf(future), 1);
    }
    if (this.value > 0) this.wakeUpNext();
    return true;
  }

  release(): void {
    this.value += 1;
    this.wakeUpNext();
  }

  private wakeUpNext(): void {
    for (const waiter of this.waiters) {
      if (!waiter.done()) {
        this.value -= 1;
        waiter.setResult(true);
        return;
      }
    }
  }
}

export class BoundedSemaphore extends Semaphore {
  private readonly bound: number;

  constructor(value = 1, name = 'BoundedSemaphore') {
    super(value, name);
    this.bound = value;
  }

  release(): void {
    if (this.value >= this.bound) throw valueError('BoundedSemaphore released too many times');
    super.release();
  }
}

export class QueueEmpty extends PythonError {
  constructor() {
    super('QueueEmpty', '');
  }
}

export class QueueFull extends PythonError {
  constructor() {
    super('QueueFull', '');
  }
}

/** asyncio.Queue(maxsize): maxsize <= 0 means unbounded. */
export class Queue<T> {
  private readonly items: T[] = [];
  private readonly getters: Future<unknown>[] = [];
  private readonly putters: Future<unknown>[] = [];
  private unfinished = 0;
  private readonly finished = new Event('Queue.join');

  constructor(
    readonly maxsize = 0,
    readonly name = 'Queue',
  ) {
    if (!Number.isInteger(maxsize)) throw new RangeError(`maxsize must be an integer, got ${String(maxsize)}`);
    this.finished.set();
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

  *put(item: T): Coro<void> {
    while (this.full()) yield* this.waitTurn(this.putters, `${this.name}.put`, () => !this.full());
    this.putNowait(item);
  }

  putNowait(item: T): void {
    if (this.full()) throw new QueueFull();
    this.items.push(item);
    this.unfinished += 1;
    this.finished.clear();
    wakeUpNext(this.getters);
  }

  *get(): Coro<T> {
    while (this.empty()) yield* this.waitTurn(this.getters, `${this.name}.get`, () => !this.empty());
    return this.getNowait();
  }

  getNowait(): T {
    if (this.empty()) throw new QueueEmpty();
    const item = this.items.shift()!;
    wakeUpNext(this.putters);
    return item;
  }

  taskDone(): void {
    if (this.unfinished <= 0) throw valueError('task_done() called too many times');
    this.unfinished -= 1;
    if (this.unfinished === 0) this.finished.set();
  }

  *join(): Coro<void> {
    if (this.unfinished > 0) yield* this.finished.wait();
  }

  /** Wait as a getter or putter; if cancelled after being woken, wake the next one instead. */
  private *waitTurn(waiters: Future<unknown>[], name: string, canProceed: () => boolean): Coro<void> {
    const future = getRunningLoop().createFuture<unknown>(name);
    waiters.push(future);
    try {
      yield* future;
    } catch (raised) {
      future.cancel();
      const index = waiters.indexOf(future);
      if (index >= 0) waiters.splice(index, 1);
      if (canProceed() && !future.cancelled()) wakeUpNext(waiters);
      throw raised;
    }
  }
}

function wakeUpNext(waiters: Future<unknown>[]): void {
  while (waiters.length > 0) {
    const waiter = waiters.shift()!;
    if (!waiter.done()) {
      waiter.setResult(null);
      return;
    }
  }
}
