/**
 * One machine running one CPython process: N cores, an OS scheduler, the process's threads and
 * its GIL (or none, for a free-threaded 3.13t/3.14t build).
 *
 * The OS side mirrors a Linux scheduler at the level a learner sees: a FIFO run queue of ready
 * threads, a free core runs the next one (paying a context switch when the core last ran another
 * thread), and a thread whose time slice is over yields its core if someone is waiting. The Python
 * side mirrors the interpreter loop (Python/ceval.c): bytecode needs the GIL; every blocking call
 * releases it around the wait and takes it back afterwards (Py_BEGIN/END_ALLOW_THREADS).
 *
 * Trace kinds: `state` (every thread state change, with the core when it starts running),
 * `gil` (take, drop, drop-request), `lock` (acquire, release), `exception`, `exit`, `deadlock`.
 */
import {
  CONTEXT_SWITCH_US,
  EVAL_BREAKER_CHECK_US,
  IO_JITTER_US,
  OS_TIME_SLICE_US,
  SWITCH_INTERVAL_US,
  THREAD_START_US,
  THREAD_STACK_RESERVE_BYTES,
  THREAD_STACK_RESIDENT_BYTES,
  TIMER_SLACK_US,
} from './constants';
import {PythonError, RuntimeError} from './errors';
import {Gil} from './gil';
import {Environment, type TraceRecord} from './kernel';
import {Lock, RLock, waitForCycle, type WaitForEdge} from './locks';
import {PyThread, type BlockReason, type Step, type ThreadState, type ThreadTarget} from './threads';

export type InterpreterMode = 'gil' | 'free-threaded';

export interface MachineOptions {
  /** Number of cores: a positive integer. */
  cores: number;
  /** `gil` (default CPython) or `free-threaded` (3.13t / 3.14t, no GIL). */
  mode?: InterpreterMode;
  /** sys.setswitchinterval, in microseconds. */
  switchIntervalUs?: number;
  /** Seed of the PRNG behind I/O jitter and timer slack. */
  seed?: number;
}

export interface ThreadReport {
  name: string;
  ident: number;
  daemon: boolean;
  state: ThreadState;
  cpuTimeUs: number;
}

export interface RunMetrics {
  wallTimeUs: number;
  totalCpuTimeUs: number;
  /** GIL takes by a different thread than the last holder (switch_number). 0 when free-threaded. */
  gilHandoffs: number;
  gilDropRequests: number;
  gilForcedDrops: number;
  contextSwitches: number;
  lockHandoffs: {[lockName: string]: number};
  peakReservedBytes: number;
  peakResidentBytes: number;
}

export interface DeadlockReport {
  /** The cycle in the wait-for graph, or null if threads are stuck without one (a lock whose owner exited). */
  cycle: WaitForEdge[] | null;
  /** Every thread that can never run again. */
  blocked: string[];
}

export interface RunResult {
  metrics: RunMetrics;
  threads: ThreadReport[];
  deadlock: DeadlockReport | null;
  /** Exceptions that ended a thread (threading.excepthook would print them). */
  exceptions: {thread: string; type: string; message: string}[];
  /** Daemon threads still alive when the interpreter exited. */
  abandonedDaemons: string[];
  trace: TraceRecord[];
}

interface Core {
  thread: PyThread | null;
  lastThread: PyThread | null;
  sliceStartedAt: number;
}

export class Machine {
  readonly mode: InterpreterMode;
  private readonly env: Environment;
  private readonly gil: Gil | null;
  private readonly cores: Core[];
  private readonly runQueue: PyThread[] = [];
  private readonly threads: PyThread[] = [];
  private readonly locks: Lock[] = [];
  private readonly exceptions: RunResult['exceptions'] = [];
  private contextSwitches = 0;
  private reservedBytes = 0;
  private residentBytes = 0;
  private peakReservedBytes = 0;
  private peakResidentBytes = 0;
  private hasRun = false;

  constructor(options: MachineOptions) {
    const {cores, mode = 'gil', switchIntervalUs = SWITCH_INTERVAL_US, seed = 0} = options;
    if (!Number.isInteger(cores) || cores < 1) throw new RangeError(`cores must be a positive integer, got ${String(cores)}`);
    if (!Number.isInteger(switchIntervalUs) || switchIntervalUs < 1) {
      throw new RangeError(`switchIntervalUs must be a positive integer, got ${String(switchIntervalUs)}`);
    }
    if (mode !== 'gil' && mode !== 'free-threaded') throw new RangeError(`mode must be "gil" or "free-threaded", got ${String(mode)}`);
    this.mode = mode;
    this.env = new Environment({seed});
    this.cores = Array.from({length: cores}, () => ({thread: null, lastThread: null, sliceStartedAt: 0}));
    this.gil =
      mode === 'gil'
        ? new Gil(this.env, switchIntervalUs, {
            wake: (thread) => this.makeReady(thread, 'gil signalled'),
            dropRequested: (holder) => this.replanSegment(holder),
          })
        : null;
  }

  get now(): number {
    return this.env.now;
  }

  /** threading.Thread(target=..., name=..., daemon=...). Names default as in 3.10+: "Thread-N (target)". */
  thread(options: {target: ThreadTarget; name?: string; daemon?: boolean}): PyThread {
    const ident = this.threads.length;
    const defaultName = options.target.name ? `Thread-${ident} (${options.target.name})` : `Thread-${ident}`;
    const thread = new PyThread({name: options.name ?? defaultName, daemon: options.daemon ?? false, ident, target: options.target});
    this.threads.push(thread);
    return thread;
  }

  lock(name = `Lock-${this.locks.length + 1}`): Lock {
    const lock = new Lock(name);
    this.locks.push(lock);
    return lock;
  }

  rlock(name = `RLock-${this.locks.length + 1}`): RLock {
    const lock = new RLock(name);
    this.locks.push(lock);
    return lock;
  }

  /** Run the process: `main` is the main thread's program. A machine runs once. */
  run(main: ThreadTarget): RunResult {
    if (this.hasRun) throw new Error('a Machine runs once; create a new one');
    this.hasRun = true;
    if (this.threads.length > 0) throw new Error('create threads from inside the main program, after run() begins');
    const mainThread = this.thread({target: main, name: 'MainThread'});
    this.startThread(mainThread);
    this.env.run();
    return this.report();
  }

  // --- the OS scheduler -------------------------------------------------------------------

  private setState(thread: PyThread, to: ThreadState, details: {reason?: string; core?: number} = {}): void {
    this.env.record('state', thread.name, {from: thread.state, to, ...details});
    thread.state = to;
  }

  private makeReady(thread: PyThread, reason: string): void {
    thread.blockedOn = null;
    this.setState(thread, 'ready', {reason});
    this.runQueue.push(thread);
    this.dispatch();
  }

  private block(thread: PyThread, reason: BlockReason, on: PyThread['blockedOn'] = {reason}): void {
    thread.blockedOn = on;
    this.setState(thread, 'blocked', {reason});
    this.leaveCore(thread);
  }

  private leaveCore(thread: PyThread): void {
    if (thread.core !== null) this.cores[thread.core].thread = null;
    thread.core = null;
    this.dispatch();
  }

  /** Give free cores to ready threads, preferring the core a thread last ran on (no switch cost). */
  private dispatch(): void {
    while (this.runQueue.length > 0) {
      const freeCores = this.cores.map((core, index) => ({core, index})).filter(({core}) => core.thread === null);
      if (freeCores.length === 0) return;
      const thread = this.runQueue.shift()!;
      const {core, index} = freeCores.find(({core}) => core.lastThread === thread) ?? freeCores[0];
      core.thread = thread;
      thread.core = index;
      let switchCost = 0;
      if (core.lastThread !== thread) {
        this.contextSwitches += 1;
        switchCost = CONTEXT_SWITCH_US;
        core.lastThread = thread;
      }
      // Always through the heap, never by recursion: a thousand threads must not grow the stack.
      this.env.schedule(switchCost, () => {
        core.sliceStartedAt = this.env.now;
        this.setState(thread, 'running', {core: index});
        this.runOnCore(thread);
      });
    }
  }

  // --- the interpreter loop ---------------------------------------------------------------

  /** The thread is on a core: take the GIL if bytecode needs it, then work or perform steps. */
  private runOnCore(thread: PyThread): void {
    for (;;) {
      const needsGil = this.gil !== null && !thread.holdsGil && thread.work?.kind !== 'native';
      if (needsGil && !this.gil!.take(thread)) {
        this.block(thread, 'gil');
        return;
      }
      if (thread.work !== null) {
        this.startSegment(thread);
        return;
      }
      const step = thread.retryStep ?? this.nextStep(thread);
      thread.retryStep = null;
      if (step === null) {
        this.terminate(thread);
        return;
      }
      if (!this.perform(thread, step)) return;
    }
  }

  private nextStep(thread: PyThread): Step | null {
    const program = thread.program!;
    const error = thread.pendingError;
    thread.pendingError = null;
    try {
      const result = error !== null ? program.throw(error) : program.next();
      return result.done ? null : result.value;
    } catch (raised) {
      if (!(raised instanceof PythonError)) throw raised;
      this.exceptions.push({thread: thread.name, type: raised.pythonType, message: raised.message});
      this.env.record('exception', thread.name, {type: raised.pythonType, message: raised.message});
      return null;
    }
  }

  /** Perform one step with the GIL held (if there is one); true if the thread keeps its core. */
  private perform(thread: PyThread, step: Step): boolean {
    switch (step.kind) {
      case 'cpu':
        if (step.us > 0) thread.work = {kind: 'python', remainingUs: step.us};
        return true;
      case 'nativeCpu':
        this.releaseGil(thread);
        if (step.us > 0) thread.work = {kind: 'native', remainingUs: step.us};
        return true;
      case 'io':
      case 'sleep': {
        this.releaseGil(thread);
        const noise = step.kind === 'sleep' ? this.env.random.intBelow(TIMER_SLACK_US + 1) : this.env.random.intBelow(IO_JITTER_US + 1);
        this.block(thread, step.kind);
        this.env.schedule(step.us + noise, () => this.makeReady(thread, `${step.kind} done`));
        return false;
      }
      case 'start':
        if (step.thread.started) {
          thread.pendingError = new RuntimeError('threads can only be started once');
        } else {
          // Thread.start() then waits on the new thread's `_started` Event, releasing the GIL.
          this.startThread(step.thread);
          this.releaseGil(thread);
          thread.work = {kind: 'native', remainingUs: THREAD_START_US};
        }
        return true;
      case 'join': {
        const other = step.thread;
        if (!other.started) thread.pendingError = new RuntimeError('cannot join thread before it is started');
        else if (other === thread) thread.pendingError = new RuntimeError('cannot join current thread');
        else if (other.state !== 'terminated') {
          this.releaseGil(thread);
          other.joiners.push(thread);
          this.block(thread, 'join', {reason: 'join', thread: other});
          return false;
        }
        return true;
      }
      case 'acquire':
        if (step.lock.tryAcquire(thread)) {
          this.env.record('lock', step.lock.name, {action: 'acquire', thread: thread.name});
          return true;
        }
        this.releaseGil(thread);
        step.lock.park(thread, this.env.now);
        thread.retryStep = step;
        this.block(thread, 'lock', {reason: 'lock', lock: step.lock});
        return false;
      case 'release':
        try {
          const woken = step.lock.releaseBy(thread, this.env.now);
          const handedTo = woken !== null && step.lock.owner === woken ? woken.name : null;
          this.env.record('lock', step.lock.name, {action: 'release', thread: thread.name, handedTo});
          if (woken !== null) this.makeReady(woken, `${step.lock.name} released`);
        } catch (raised) {
          if (!(raised instanceof PythonError)) throw raised;
          thread.pendingError = raised;
        }
        return true;
    }
  }

  private releaseGil(thread: PyThread): void {
    if (this.gil !== null && thread.holdsGil) this.gil.drop(thread, false);
  }

  private startThread(thread: PyThread): void {
    thread.started = true;
    thread.program = thread.target();
    this.reservedBytes += THREAD_STACK_RESERVE_BYTES;
    this.residentBytes += THREAD_STACK_RESIDENT_BYTES;
    this.peakReservedBytes = Math.max(this.peakReservedBytes, this.reservedBytes);
    this.peakResidentBytes = Math.max(this.peakResidentBytes, this.residentBytes);
    this.makeReady(thread, 'started');
  }

  private terminate(thread: PyThread): void {
    this.releaseGil(thread);
    this.setState(thread, 'terminated');
    this.reservedBytes -= THREAD_STACK_RESERVE_BYTES;
    this.residentBytes -= THREAD_STACK_RESIDENT_BYTES;
    for (const joiner of thread.joiners.splice(0)) this.makeReady(joiner, `${thread.name} ended`);
    this.leaveCore(thread);
    // threading._shutdown: the interpreter exits once the main thread and every non-daemon thread are done.
    if (this.mainEnded()) {
      const abandoned = this.threads.filter((t) => t.alive).map((t) => t.name);
      this.env.record('exit', 'kernel', {abandonedDaemons: abandoned});
      this.env.stop();
    }
  }

  // --- work on a core ---------------------------------------------------------------------

  /**
   * Run the thread's current work until it is done, its time slice ends, or (bytecode only,
   * holding the GIL) the next eval-breaker check after a drop request.
   */
  private startSegment(thread: PyThread): void {
    const work = thread.work!;
    const core = this.cores[thread.core!];
    let sliceLeft = core.sliceStartedAt + OS_TIME_SLICE_US - this.env.now;
    if (sliceLeft <= 0) {
      if (this.runQueue.length > 0) {
        this.preempt(thread);
        return;
      }
      core.sliceStartedAt = this.env.now;
      sliceLeft = OS_TIME_SLICE_US;
    }
    let duration = Math.min(work.remainingUs, sliceLeft);
    if (this.mustDropGil(thread)) duration = Math.min(duration, EVAL_BREAKER_CHECK_US);
    thread.segment = {startedAt: this.env.now, handle: this.env.schedule(duration, () => this.endSegment(thread))};
  }

  private mustDropGil(thread: PyThread): boolean {
    return thread.work?.kind === 'python' && this.gil !== null && this.gil.holder === thread && this.gil.dropRequest;
  }

  private accountSegment(thread: PyThread): void {
    const segment = thread.segment!;
    const elapsed = this.env.now - segment.startedAt;
    segment.handle.cancel();
    thread.segment = null;
    thread.work!.remainingUs -= elapsed;
    thread.cpuTimeUs += elapsed;
  }

  private endSegment(thread: PyThread): void {
    this.accountSegment(thread);
    if (thread.work!.remainingUs === 0) {
      thread.work = null;
      this.runOnCore(thread);
    } else if (this.mustDropGil(thread)) {
      this.gil!.drop(thread, true);
      this.block(thread, 'gil');
    } else {
      this.startSegment(thread);
    }
  }

  /** A drop request arrived: a holder running bytecode re-plans to stop at its next check. */
  private replanSegment(holder: PyThread): void {
    if (holder.segment === null || holder.work?.kind !== 'python') return;
    this.accountSegment(holder);
    this.startSegment(holder);
  }

  /** The slice is over and others wait: give up the core (keeping the GIL, if held) and queue again. */
  private preempt(thread: PyThread): void {
    this.cores[thread.core!].thread = null;
    thread.core = null;
    this.makeReady(thread, 'time slice over');
  }

  // --- the end of a run -------------------------------------------------------------------

  private report(): RunResult {
    const stuck = this.mainEnded() ? [] : this.threads.filter((t) => t.state === 'blocked');
    let deadlock: DeadlockReport | null = null;
    if (stuck.length > 0) {
      deadlock = {cycle: waitForCycle(stuck), blocked: stuck.map((t) => t.name)};
      this.env.record('deadlock', 'kernel', {
        cycle: deadlock.cycle?.map((edge) => ({...edge, waitsFor: {...edge.waitsFor}})) ?? null,
        blocked: deadlock.blocked,
      });
    }
    const lockHandoffs: {[name: string]: number} = {};
    for (const lock of this.locks) lockHandoffs[lock.name] = lock.handoffs;
    return {
      metrics: {
        wallTimeUs: this.env.now,
        totalCpuTimeUs: this.threads.reduce((sum, t) => sum + t.cpuTimeUs, 0),
        gilHandoffs: this.gil?.switchNumber ?? 0,
        gilDropRequests: this.gil?.dropRequests ?? 0,
        gilForcedDrops: this.gil?.forcedDrops ?? 0,
        contextSwitches: this.contextSwitches,
        lockHandoffs,
        peakReservedBytes: this.peakReservedBytes,
        peakResidentBytes: this.peakResidentBytes,
      },
      threads: this.threads.map((t) => ({name: t.name, ident: t.ident, daemon: t.daemon, state: t.state, cpuTimeUs: t.cpuTimeUs})),
      deadlock,
      exceptions: this.exceptions,
      abandonedDaemons: this.mainEnded() ? this.threads.filter((t) => t.alive).map((t) => t.name) : [],
      trace: this.env.trace,
    };
  }

  /** True once the main thread and every started non-daemon thread have terminated. */
  private mainEnded(): boolean {
    return this.threads.every((t) => t.daemon || t.state === 'terminated' || !t.started);
  }
}
