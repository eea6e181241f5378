/**
 * threading.Lock and threading.RLock, modelled on CPython 3.13+'s PyMutex (Python/lock.c) and
 * Modules/_threadmodule.c:
 *
 * - acquire() first tries without blocking, with the GIL held; if the lock is taken the thread
 *   parks (releasing the GIL) in a FIFO queue.
 * - release() wakes the first parked thread. If that thread has waited longer than
 *   TIME_TO_BE_FAIR (1 ms) the lock is handed to it directly; otherwise the lock becomes free and
 *   the woken thread races for it again (whoever runs first, including the releaser, may win).
 * - Lock.release() of an unlocked lock raises RuntimeError("release unlocked lock"); any thread
 *   may release a Lock. RLock.release() by a thread that does not own it raises
 *   RuntimeError("cannot release un-acquired lock").
 * - acquire(blocking=True, timeout=-1) returns a bool (lock_acquire_parse_args and
 *   _PyMutex_LockTimed): a non-blocking call only tries; a timed one parks until released or the
 *   timeout passes, then returns False without trying again. A thread woken by a release after
 *   its deadline tries once more, and gives up if it loses that race.
 *
 * The owner is kept for both kinds because the wait-for graph (waitForCycle) needs it.
 */
import {LOCK_FAIRNESS_US} from './constants';
import {RuntimeError, ValueError} from './errors';
import type {PyThread, Step} from './threads';

/** Lock.acquire's arguments: Python's `blocking=True, timeout=-1`, the timeout in microseconds (-1: none). */
export interface AcquireOptions {
  blocking?: boolean;
  timeoutUs?: number;
}

/**
 * The step of one acquire() call. `yield lock.acquire()` performs it and ignores the outcome;
 * `const ok = yield* lock.acquire({timeoutUs})` performs it and returns Python's bool.
 */
export class AcquireStep {
  readonly kind = 'acquire';
  /** Set by the machine when the call returns: true if the lock was taken. */
  acquired = false;

  constructor(
    readonly lock: Lock,
    /** -1: wait as long as it takes; 0: only try (blocking=False is timeout 0, as in CPython). */
    readonly timeoutUs: number,
  ) {}

  *[Symbol.iterator](): Generator<Step, boolean, void> {
    yield this;
    return this.acquired;
  }
}

/**
 * lock_acquire_parse_args of Modules/_threadmodule.c. The negative-timeout message is 3.13's
 * (3.11 and 3.12 say "timeout value must be positive").
 */
function acquireTimeout({blocking = true, timeoutUs = -1}: AcquireOptions): number {
  if (typeof blocking !== 'boolean') throw new RangeError(`blocking must be a boolean, got ${String(blocking)}`);
  if (!Number.isInteger(timeoutUs)) throw new RangeError(`timeoutUs must be an integer number of microseconds (-1: no timeout), got ${String(timeoutUs)}`);
  if (!blocking && timeoutUs !== -1) throw new ValueError("can't specify a timeout for a non-blocking call");
  if (timeoutUs < 0 && timeoutUs !== -1) throw new ValueError('timeout value must be a non-negative number');
  return blocking ? timeoutUs : 0;
}

export class Lock {
  readonly name: string;
  owner: PyThread | null = null;
  /** Lock hand-offs: acquisitions by a different thread than the previous owner. */
  handoffs = 0;
  acquisitions = 0;
  protected readonly waiters: PyThread[] = [];
  /** When each parked thread becomes owed a direct hand-off; set on its first park, kept on re-parks. */
  private readonly fairAt = new Map<PyThread, number>();
  /** The thread a release handed the lock to: its pending acquire completes without taking it again. */
  protected handedOffTo: PyThread | null = null;
  private previousOwner: PyThread | null = null;

  constructor(name: string) {
    this.name = name;
  }

  get locked(): boolean {
    return this.owner !== null;
  }

  /** What a thread parked here waits for, as the deadlock report names it. */
  describeWait(): {kind: string; name: string} {
    return {kind: 'lock', name: this.name};
  }

  /** `yield lock.acquire()`, or `const ok = yield* lock.acquire({blocking, timeoutUs})` for Python's bool. */
  acquire(options: AcquireOptions = {}): AcquireStep {
    return new AcquireStep(this, acquireTimeout(options));
  }

  /** `yield lock.release()` in a program. */
  release(): Step {
    return {kind: 'release', lock: this};
  }

  /** Try to take the lock for `thread` without blocking; true if it now holds it. */
  tryAcquire(thread: PyThread): boolean {
    if (this.handedOffTo === thread) {
      this.handedOffTo = null;
      this.fairAt.delete(thread);
      return true;
    }
    if (this.owner !== null) return false;
    this.take(thread);
    return true;
  }

  /** Park `thread` until a release wakes it. */
  park(thread: PyThread, nowUs: number): void {
    if (!this.fairAt.has(thread)) this.fairAt.set(thread, nowUs + LOCK_FAIRNESS_US);
    this.waiters.push(thread);
  }

  /** Take `thread` out of the queue when its timed acquire gives up; true if it was parked here. */
  withdraw(thread: PyThread): boolean {
    this.fairAt.delete(thread);
    const index = this.waiters.indexOf(thread);
    if (index >= 0) this.waiters.splice(index, 1);
    return index >= 0;
  }

  /** Release on behalf of `thread`; returns the parked thread to wake, if any. */
  releaseBy(thread: PyThread, nowUs: number): PyThread | null {
    if (this.owner === null) throw new RuntimeError('release unlocked lock');
    this.checkReleaser(thread);
    return this.freeAndWake(nowUs);
  }

  protected checkReleaser(_thread: PyThread): void {
    // Any thread may release a threading.Lock.
  }

  protected take(thread: PyThread): void {
    this.owner = thread;
    this.acquisitions += 1;
    if (this.previousOwner !== null && this.previousOwner !== thread) this.handoffs += 1;
    this.previousOwner = thread;
    this.fairAt.delete(thread);
  }

  protected freeAndWake(nowUs: number): PyThread | null {
    this.owner = null;
    const woken = this.waiters.shift() ?? null;
    if (woken !== null && nowUs >= (this.fairAt.get(woken) ?? Number.POSITIVE_INFINITY)) {
      this.take(woken);
      this.handedOffTo = woken;
    }
    return woken;
  }
}

export class RLock extends Lock {
  /** Recursion depth of the owner. */
  count = 0;

  override tryAcquire(thread: PyThread): boolean {
    // A hand-off already made `thread` the owner at depth 1: its acquire is that one level, not a second.
    if (this.owner === thread && this.handedOffTo !== thread) {
      this.count += 1;
      return true;
    }
    return super.tryAcquire(thread);
  }

  override releaseBy(thread: PyThread, nowUs: number): PyThread | null {
    this.checkReleaser(thread);
    this.count -= 1;
    return this.count > 0 ? null : this.freeAndWake(nowUs);
  }

  protected override checkReleaser(thread: PyThread): void {
    if (this.owner !== thread) throw new RuntimeError('cannot release un-acquired lock');
  }

  protected override take(thread: PyThread): void {
    super.take(thread);
    this.count = 1;
  }
}

/** One edge of the wait-for graph: `thread` waits for `waitsFor`, which `heldBy` must let go of. */
export interface WaitForEdge {
  thread: string;
  waitsFor: {kind: 'lock' | 'join'; name: string};
  heldBy: string;
}

/**
 * Find a cycle in the wait-for graph of blocked threads. Each blocked thread waits for one thing
 * (a lock's owner, or a thread it joins), so following the single outgoing edge from each
 * thread finds every cycle.
 */
export function waitForCycle(blocked: readonly PyThread[]): WaitForEdge[] | null {
  const edgeOf = (thread: PyThread): {edge: WaitForEdge; next: PyThread} | null => {
    const on = thread.blockedOn;
    if (on?.reason === 'lock' && on.lock?.owner) {
      return {edge: {thread: thread.name, waitsFor: {kind: 'lock', name: on.lock.name}, heldBy: on.lock.owner.name}, next: on.lock.owner};
    }
    if (on?.reason === 'join' && on.thread) {
      return {edge: {thread: thread.name, waitsFor: {kind: 'join', name: on.thread.name}, heldBy: on.thread.name}, next: on.thread};
    }
    return null;
  };
  for (const start of blocked) {
    const path: PyThread[] = [];
    let current: PyThread | null = start;
    while (current !== null && !path.includes(current)) {
      path.push(current);
      current = edgeOf(current)?.next ?? null;
    }
    if (current !== null) {
      const cycleStart = path.indexOf(current);
      return path.slice(cycleStart).map((thread) => edgeOf(thread)!.edge);
    }
  }
  return null;
}

/** What one blocked thread waits for; `heldBy` is null when nothing owns it (an Event, a Queue, a Semaphore). */
export interface BlockedWait {
  thread: string;
  waitsFor: {kind: string; name: string};
  heldBy: string | null;
}

/**
 * Every blocked thread and what it waits for: a lock (and its owner), a thread it joins, or a
 * Condition, Event, Semaphore, Barrier or Queue (sync.ts), which have no owner to point at.
 */
export function describeWaits(blocked: readonly PyThread[]): BlockedWait[] {
  return blocked.map((thread) => {
    const on = thread.blockedOn;
    if (on?.reason === 'lock' && on.lock) return {thread: thread.name, waitsFor: on.lock.describeWait(), heldBy: on.lock.owner?.name ?? null};
    if (on?.reason === 'join' && on.thread) return {thread: thread.name, waitsFor: {kind: 'join', name: on.thread.name}, heldBy: on.thread.name};
    return {thread: thread.name, waitsFor: {kind: on?.reason ?? 'unknown', name: on?.reason ?? 'unknown'}, heldBy: null};
  });
}
