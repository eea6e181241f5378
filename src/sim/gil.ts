/**
 * The GIL, modelled on CPython's Python/ceval_gil.c (the "new GIL" of 3.2+, unchanged in
 * outline through 3.14):
 *
 * - take_gil: while the GIL is locked, a thread waits on a condition variable for at most the
 *   switch interval. If the wait times out and no switch happened meanwhile (switch_number
 *   unchanged), it sets the holder's drop request (the eval breaker's _PY_GIL_DROP_REQUEST_BIT)
 *   and waits again.
 * - The holder checks the eval breaker every few bytecodes and, seeing the request, drops the
 *   GIL. With FORCE_SWITCHING, a holder that dropped on request waits on switch_cond until
 *   another thread has taken the GIL, so it cannot retake it at once.
 * - drop_gil signals the condition variable: one waiter wakes, needs a core to run, and then
 *   races for the GIL with anyone else who wants it (a thread returning from I/O, for one).
 * - switch_number counts takes by a thread other than the last holder: the hand-offs.
 *
 * The Machine owns cores and thread states; this class owns only the GIL's own state and its
 * waiters' timers, and tells the Machine whom to wake through GilHost.
 */
import type {Environment, Scheduled, TraceValue} from './kernel';
import type {PyThread} from './threads';

export interface GilHost {
  /** A waiter was signalled: make it ready to run so it can try again. */
  wake(thread: PyThread): void;
  /** The drop request was set: the holder should notice it at its next eval-breaker check. */
  dropRequested(holder: PyThread): void;
}

/** The timer of a waiter still in drop_gil's COND_WAIT(switch_cond), not yet in take_gil. */
const NOT_TIMING: Scheduled = {time: Number.POSITIVE_INFINITY, cancel: () => undefined};

export class Gil {
  holder: PyThread | null = null;
  dropRequest = false;
  /** Hand-offs: takes by a thread other than the last holder (ceval_gil.c switch_number). */
  switchNumber = 0;
  takes = 0;
  dropRequests = 0;
  forcedDrops = 0;
  private lastHolder: PyThread | null = null;
  /** Threads waiting in take_gil, in the order they began waiting, each with its timeout. */
  private readonly waiters = new Map<PyThread, Scheduled>();
  /** A thread that dropped on request may not retake until switch_number moves past this. */
  private readonly forcedOut = new Map<PyThread, number>();

  constructor(
    private readonly env: Environment,
    private readonly switchIntervalUs: number,
    private readonly host: GilHost,
    /** A subinterpreter's id, added to this GIL's trace records; null for a process's main interpreter. */
    private readonly interpreter: number | null = null,
  ) {}

  /**
   * take_gil for a thread that is running on a core. Returns true if it now holds the GIL;
   * otherwise the thread is queued as a waiter and the caller must block it.
   */
  take(thread: PyThread): boolean {
    const mustWaitForSwitch = this.forcedOut.get(thread) === this.switchNumber;
    if (this.holder === null && !mustWaitForSwitch) {
      this.acquire(thread);
      return true;
    }
    this.wait(thread);
    return false;
  }

  /** drop_gil. `forced`: the holder drops because of a drop request (and then waits to retake). */
  drop(thread: PyThread, forced: boolean): void {
    this.holder = null;
    thread.holdsGil = false;
    this.record(thread, {action: 'drop', forced});
    if (forced) {
      this.forcedDrops += 1;
      this.dropRequest = false;
      this.forcedOut.set(thread, this.switchNumber);
      this.wait(thread);
    }
    this.signalOneWaiter();
  }

  private record(thread: PyThread, details: {[key: string]: TraceValue}): void {
    if (this.interpreter !== null) details.interpreter = this.interpreter;
    this.env.record('gil', thread.name, details);
  }

  private acquire(thread: PyThread): void {
    this.holder = thread;
    thread.holdsGil = true;
    this.takes += 1;
    this.forcedOut.delete(thread);
    if (this.lastHolder !== thread) {
      this.lastHolder = thread;
      this.switchNumber += 1;
      this.releaseForcedOut();
    }
    this.dropRequest = false;
    this.record(thread, {action: 'take', switchNumber: this.switchNumber});
  }

  private wait(thread: PyThread): void {
    if (this.waiters.has(thread)) return;
    const waitingForSwitch = this.forcedOut.get(thread) === this.switchNumber;
    this.waiters.set(thread, waitingForSwitch ? NOT_TIMING : this.startTimedWait(thread));
  }

  /** A switch happened: threads that dropped on request leave switch_cond and begin take_gil's timed wait. */
  private releaseForcedOut(): void {
    for (const [thread, timer] of this.waiters) {
      if (timer === NOT_TIMING) this.waiters.set(thread, this.startTimedWait(thread));
    }
  }

  private startTimedWait(thread: PyThread): Scheduled {
    const savedSwitchNumber = this.switchNumber;
    return this.env.schedule(this.switchIntervalUs, () => {
      // The timed wait returned and found the GIL free: go and take it.
      if (this.holder === null && this.forcedOut.get(thread) !== this.switchNumber) {
        this.waiters.delete(thread);
        this.host.wake(thread);
        return;
      }
      if (this.holder !== null && this.switchNumber === savedSwitchNumber && !this.dropRequest) {
        this.dropRequest = true;
        this.dropRequests += 1;
        this.record(thread, {action: 'drop-request', holder: this.holder.name});
        this.host.dropRequested(this.holder);
      }
      this.waiters.set(thread, this.startTimedWait(thread));
    });
  }

  /** COND_SIGNAL(gil->cond): wake the longest waiter that is allowed to take the GIL now. */
  private signalOneWaiter(): void {
    for (const [waiter, timer] of this.waiters) {
      if (this.forcedOut.get(waiter) === this.switchNumber) continue;
      timer.cancel();
      this.waiters.delete(waiter);
      this.host.wake(waiter);
      return;
    }
  }
}
