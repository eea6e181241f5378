/**
 * One machine running CPython processes: N cores, an OS scheduler shared by every thread of every
 * process, and per process its own address space (module globals), its own threads and its own
 * GIL (or none, for a free-threaded 3.13t/3.14t build). The main process runs the program given
 * to run(); child processes come from spawnProcess() (multiprocessing, in processes.ts).
 *
 * The OS side mirrors a Linux scheduler at the level a learner sees: a FIFO run queue of ready
 * threads, a free core runs the next one (paying a context switch when the core last ran another
 * thread), and a thread whose time slice is over yields its core if someone is waiting. The Python
 * side mirrors the interpreter loop (Python/ceval.c): bytecode needs the GIL; every blocking call
 * releases it around the wait and takes it back afterwards (Py_BEGIN/END_ALLOW_THREADS).
 *
 * Trace kinds: `state` (every thread state change, with the core when it starts running),
 * `gil` (take, drop, drop-request), `lock` (acquire, release), `exception`, `process` (start,
 * exit), `exit`, `deadlock`. Threads of a child process are named `<process>/<thread>`, so trace
 * actors stay unique across processes.
 *
 * A process may also hold subinterpreters (PEP 684, 3.12+; concurrent.interpreters, PEP 734, 3.14),
 * each with a GIL of its own: a thread switches into one and back (Interpreter.call), and while it
 * is there its bytecode needs that interpreter's GIL, not the main one. Their GIL records carry
 * `interpreter` (the interpreter's id).
 */
import {
  CONTEXT_SWITCH_US,
  EVAL_BREAKER_CHECK_US,
  FREE_THREADED_SINGLE_THREAD_SLOWDOWN,
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
import {Environment, type Scheduled, type TraceRecord} from './kernel';
import {Lock, RLock, describeWaits, waitForCycle, type BlockedWait, type WaitForEdge} from './locks';
import {PyThread, cpu, type BlockReason, type Step, type ThreadProgram, type ThreadState, type ThreadTarget} from './threads';

/**
 * `gil`: the default build. `free-threaded`: a 3.13t / 3.14t build, no GIL. `free-threaded-gil`:
 * a free-threaded build whose GIL is switched back on (PYTHON_GIL=1 or -X gil=1, or importing an
 * extension module that does not declare Py_mod_gil support, Python/import.c): bytecode pays the
 * free-threaded build's slowdown and still takes turns under a GIL (ceval_gil.c, gil->enabled).
 */
export type InterpreterMode = 'gil' | 'free-threaded' | 'free-threaded-gil';
const INTERPRETER_MODES: readonly InterpreterMode[] = ['gil', 'free-threaded', 'free-threaded-gil'];
export type FreeThreadedVersion = keyof typeof FREE_THREADED_SINGLE_THREAD_SLOWDOWN;

/**
 * A scheduler choice point, for the schedule explorer (explore.ts): `dispatch` when a core is free
 * and several threads are ready (which runs next); `switch` after the running thread performed a
 * step while others are ready (candidate 0: it goes on; any other: it is switched out for that one).
 */
export interface SchedulePoint {
  kind: 'dispatch' | 'switch';
  time: number;
  candidates: string[];
}

/** Returns the index of the chosen candidate. */
export type ScheduleChooser = (point: SchedulePoint) => number;

export interface MachineOptions {
  /** Number of cores: a positive integer. */
  cores: number;
  /** `gil` (default CPython), `free-threaded` (3.13t / 3.14t, no GIL) or `free-threaded-gil` (the same build with its GIL back on). */
  mode?: InterpreterMode;
  /**
   * Which free-threaded build, when mode is `free-threaded` or `free-threaded-gil`: its bytecode runs
   * slower than the GIL build's by FREE_THREADED_SINGLE_THREAD_SLOWDOWN (3.13t ~40%, 3.14t ~8%). Default 3.14.
   */
  freeThreadedVersion?: FreeThreadedVersion;
  /** sys.setswitchinterval, in microseconds. */
  switchIntervalUs?: number;
  /** Seed of the PRNG behind I/O jitter and timer slack. */
  seed?: number;
  /** The main module's globals as importing it sets them: what a spawned child sees. */
  globals?: {[name: string]: unknown};
  /** Memory of the main process's interpreter, on top of its threads' stacks. */
  processMemory?: {reservedBytes: number; residentBytes: number};
  /** Makes the scheduler's choices explicit (explore.ts); without it the run queue is FIFO. */
  chooser?: ScheduleChooser;
}

export interface ProcessReport {
  name: string;
  pid: number;
  daemon: boolean;
  /** multiprocessing's exitcode: 0, 1 after an uncaught exception, -signal when killed; null if still running. */
  exitcode: number | null;
  cpuTimeUs: number;
  residentBytes: number;
  reservedBytes: number;
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
  /** Kernel events the run took. */
  events: number;
}

export interface DeadlockReport {
  /** The cycle in the wait-for graph, or null if threads are stuck without one (a lock whose owner exited). */
  cycle: WaitForEdge[] | null;
  /** Every thread that can never run again. */
  blocked: string[];
  /** What each of them waits for: a lock and its owner, a thread, or a Condition, Event, Semaphore, Barrier or Queue (no owner). */
  waits: BlockedWait[];
}

export interface RunResult {
  metrics: RunMetrics;
  threads: ThreadReport[];
  deadlock: DeadlockReport | null;
  /** Exceptions that ended a thread (threading.excepthook would print them). */
  exceptions: {thread: string; type: string; message: string}[];
  /** Daemon threads still alive when the interpreter exited. */
  abandonedDaemons: string[];
  processes: ProcessReport[];
  trace: TraceRecord[];
}

/**
 * One OS process running an interpreter: its own globals (a child's change is invisible to its
 * parent), its own threads and its own GIL.
 */
export class OsProcess {
  readonly threads: PyThread[] = [];
  state: 'running' | 'exited' = 'running';
  exitcode: number | null = null;
  /** The main thread ended with an uncaught exception: multiprocessing's _bootstrap exits with 1. */
  failed = false;
  readonly onExit: Array<() => void> = [];

  constructor(
    readonly pid: number,
    readonly name: string,
    readonly daemon: boolean,
    readonly gil: Gil | null,
    readonly globals: Map<string, unknown>,
    readonly reservedBytes: number,
    readonly residentBytes: number,
  ) {}

  get alive(): boolean {
    return this.state !== 'exited';
  }
}

/**
 * A subinterpreter of a process (concurrent.interpreters.create(), 3.14; Py_NewInterpreterFromConfig
 * with its own GIL, PEP 684): its own GIL (none on a free-threaded build). A thread runs in it
 * between `yield interp.enter()` and `yield interp.leave()`, as Interpreter.call switches the
 * calling thread in and out (Python/pystate.c, _PyThreadState_Swap): leaving one interpreter
 * releases its GIL, and bytecode in the other needs that one's.
 */
export class SubInterpreter {
  constructor(
    /** interpreters.get_current().id: the main interpreter is 0. */
    readonly id: number,
    readonly process: OsProcess,
    readonly gil: Gil | null,
  ) {}

  /** `yield interp.enter()`: the current thread switches into this interpreter. */
  enter(): Step {
    return {kind: 'switchInterpreter', interpreter: this};
  }

  /** `yield interp.leave()`: the current thread switches back to its process's main interpreter. */
  leave(): Step {
    return {kind: 'switchInterpreter', interpreter: null};
  }
}

/**
 * A one-shot wake-up a thread can block on, with an optional timeout: the per-call waiter lock
 * of Condition.wait in Lib/threading.py, which Future.result, wait and as_completed block on
 * (Lib/concurrent/futures/_base.py). Each blocking call makes its own, as CPython does.
 */
export class Waiter extends Lock {
  private notified = false;
  private timedOut = false;

  /**
   * `waitsFor` names what the parked thread waits for in a deadlock report (a Condition, a Queue,
   * a pipe); without it the waiter reports itself as a lock of its own name.
   */
  constructor(
    private readonly machine: Machine,
    name: string,
    private readonly waitsFor: {kind: string; name: string} | null = null,
  ) {
    super(name);
  }

  override describeWait(): {kind: string; name: string} {
    return this.waitsFor ?? super.describeWait();
  }

  /** `yield* waiter.wait(timeoutUs)`: true if notified, false if the timeout passed first. */
  *wait(timeoutUs: number | null = null): Generator<Step, boolean, void> {
    if (!this.notified) {
      const timer =
        timeoutUs === null
          ? null
          : this.machine.after(timeoutUs, () => {
              this.timedOut = true;
              this.machine.wakeParked(this);
            });
      yield this.acquire();
      timer?.cancel();
    }
    return this.notified;
  }

  notify(): void {
    if (this.notified) return;
    this.notified = true;
    this.machine.wakeParked(this);
  }

  override tryAcquire(_thread: PyThread): boolean {
    return this.notified || this.timedOut;
  }

  override park(thread: PyThread, _nowUs: number): void {
    this.waiters.push(thread);
  }

  /** The parked threads, removed from the queue. */
  takeParked(): PyThread[] {
    return this.waiters.splice(0);
  }
}

export interface SpawnOptions {
  name: string;
  daemon: boolean;
  /** The child's main thread: runs `bootUs` of interpreter start-up, then this. */
  target: ThreadTarget;
  bootUs: number;
  /** fork copies the parent's current globals; spawn and forkserver re-import the main module. */
  globals: 'copy-parent' | 'reimport';
  reservedBytes: number;
  residentBytes: number;
}

interface TimedWait {
  timer: Scheduled;
  /** An acquire's state: parked in time, its park timed out, or its deadline passed after a release woke it. */
  outcome: 'waiting' | 'timed out' | 'deadline passed';
}

interface Core {
  thread: PyThread | null;
  lastThread: PyThread | null;
  sliceStartedAt: number;
}

export class Machine {
  readonly mode: InterpreterMode;
  /** Whether interpreters have a GIL: every mode but `free-threaded`. */
  private readonly hasGil: boolean;
  /** How much longer a microsecond of GIL-build bytecode takes here: 1 with the GIL. */
  private readonly bytecodeCost: number;
  private readonly env: Environment;
  private readonly switchIntervalUs: number;
  private readonly moduleGlobals: {[name: string]: unknown};
  private readonly mainMemory: {reservedBytes: number; residentBytes: number};
  private readonly processes: OsProcess[] = [];
  private readonly processOfThread = new Map<PyThread, OsProcess>();
  private readonly subinterpreters: SubInterpreter[] = [];
  /** The thread whose program is running right now (code between two yields). */
  private current: PyThread | null = null;
  private mainExited = false;
  private runStopped = false;
  private readonly cores: Core[];
  private readonly runQueue: PyThread[] = [];
  private readonly threads: PyThread[] = [];
  private readonly locks: Lock[] = [];
  /** Threads in a join or lock acquire with a timeout, and that timeout's timer. */
  private readonly timedWaits = new Map<PyThread, TimedWait>();
  private readonly exceptions: RunResult['exceptions'] = [];
  private contextSwitches = 0;
  private reservedBytes = 0;
  private residentBytes = 0;
  private peakReservedBytes = 0;
  private peakResidentBytes = 0;
  private hasRun = false;
  private readonly chooser: ScheduleChooser | null;
  /** The chooser already picked the run queue's head (a switch): the next dispatch takes it. */
  private pinnedNext = false;

  constructor(options: MachineOptions) {
    const {cores, mode = 'gil', switchIntervalUs = SWITCH_INTERVAL_US, seed = 0, globals = {}, processMemory = {reservedBytes: 0, residentBytes: 0}} = options;
    if (!Number.isInteger(cores) || cores < 1) throw new RangeError(`cores must be a positive integer, got ${String(cores)}`);
    if (!Number.isInteger(switchIntervalUs) || switchIntervalUs < 1) {
      throw new RangeError(`switchIntervalUs must be a positive integer, got ${String(switchIntervalUs)}`);
    }
    if (!INTERPRETER_MODES.includes(mode)) throw new RangeError(`mode must be one of ${INTERPRETER_MODES.map((m) => `"${m}"`).join(', ')}, got ${String(mode)}`);
    this.mode = mode;
    const version = options.freeThreadedVersion ?? '3.14';
    if (!(version in FREE_THREADED_SINGLE_THREAD_SLOWDOWN)) {
      throw new RangeError(`freeThreadedVersion must be one of ${Object.keys(FREE_THREADED_SINGLE_THREAD_SLOWDOWN).join(', ')}, got ${String(version)}`);
    }
    this.bytecodeCost = mode === 'gil' ? 1 : 1 + FREE_THREADED_SINGLE_THREAD_SLOWDOWN[version];
    this.hasGil = mode !== 'free-threaded';
    this.chooser = options.chooser ?? null;
    this.switchIntervalUs = switchIntervalUs;
    this.moduleGlobals = globals;
    this.mainMemory = processMemory;
    this.env = new Environment({seed});
    this.cores = Array.from({length: cores}, () => ({thread: null, lastThread: null, sliceStartedAt: 0}));
  }

  get now(): number {
    return this.env.now;
  }

  get coreCount(): number {
    return this.cores.length;
  }

  /** threading.current_thread(), for code running inside a program. */
  get currentThread(): PyThread {
    if (this.current === null) throw new Error('currentThread is only defined while a program runs');
    return this.current;
  }

  /** The process whose code is running now (the main process before run() starts any). */
  get currentProcess(): OsProcess {
    return this.current === null ? this.processes[0] : this.processOf(this.current);
  }

  /** The current process's module globals: each process has its own. */
  get globals(): Map<string, unknown> {
    return this.currentProcess.globals;
  }

  processOf(thread: PyThread): OsProcess {
    const process = this.processOfThread.get(thread);
    if (process === undefined) throw new Error(`thread ${thread.name} belongs to no process of this machine`);
    return process;
  }

  /**
   * threading.Thread(target=..., name=..., daemon=...), in the current process. Names default as
   * in 3.10+: "Thread-N (target)".
   */
  thread(options: {target: ThreadTarget; name?: string; daemon?: boolean}): PyThread {
    const ident = this.threads.length;
    const defaultName = options.target.name ? `Thread-${ident} (${options.target.name})` : `Thread-${ident}`;
    const process = this.current === null ? null : this.processOf(this.current);
    const prefix = process === null || process.pid === 1 ? '' : `${process.name}/`;
    const thread = new PyThread({name: prefix + (options.name ?? defaultName), daemon: options.daemon ?? false, ident, target: options.target});
    this.threads.push(thread);
    if (process !== null) this.adopt(process, thread);
    return thread;
  }

  private adopt(process: OsProcess, thread: PyThread): void {
    process.threads.push(thread);
    this.processOfThread.set(thread, process);
  }

  private newGil(interpreter: number | null): Gil | null {
    if (!this.hasGil) return null;
    return new Gil(
      this.env,
      this.switchIntervalUs,
      {
        wake: (thread) => this.makeReady(thread, 'gil signalled'),
        dropRequested: (holder) => this.replanSegment(holder),
      },
      interpreter,
    );
  }

  private newProcess(name: string, daemon: boolean, globals: Map<string, unknown>, memory: {reservedBytes: number; residentBytes: number}): OsProcess {
    const process = new OsProcess(this.processes.length + 1, name, daemon, this.newGil(null), globals, memory.reservedBytes, memory.residentBytes);
    this.processes.push(process);
    this.addMemory(memory.reservedBytes, memory.residentBytes);
    return process;
  }

  /**
   * The OS side of starting a child process, called by multiprocessing (processes.ts) once the
   * parent has paid its share of the start: the child's main thread boots its interpreter
   * (`bootUs` of CPU) and then runs the target.
   */
  spawnProcess(options: SpawnOptions): OsProcess {
    for (const [label, value] of [['bootUs', options.bootUs], ['reservedBytes', options.reservedBytes], ['residentBytes', options.residentBytes]] as const) {
      if (!Number.isInteger(value) || value < 0) throw new RangeError(`${label} must be a non-negative integer, got ${String(value)}`);
    }
    const globals = options.globals === 'copy-parent' ? new Map(this.currentProcess.globals) : new Map(Object.entries(this.moduleGlobals));
    const process = this.newProcess(options.name, options.daemon, globals, options);
    const {bootUs, target} = options;
    const main = new PyThread({
      name: `${options.name}/MainThread`,
      daemon: false,
      ident: this.threads.length,
      *target(): ThreadProgram {
        if (bootUs > 0) yield cpu(bootUs);
        yield* target();
      },
    });
    this.threads.push(main);
    this.adopt(process, main);
    this.env.record('process', options.name, {action: 'start', pid: process.pid});
    this.startThread(main);
    return process;
  }

  /** Kill a process (SIGTERM from Process.terminate(), or at exit for a daemonic child): its threads end where they are. */
  killProcess(process: OsProcess, exitcode: number): void {
    if (!process.alive) return;
    if (this.current !== null && this.processOf(this.current) === process) throw new Error('a process cannot kill itself in this model');
    for (const thread of process.threads) {
      if (!thread.alive) continue;
      thread.segment?.handle.cancel();
      thread.segment = null;
      if (thread.holdsGil) this.gilOf(thread)?.drop(thread, false);
      const queued = this.runQueue.indexOf(thread);
      if (queued >= 0) this.runQueue.splice(queued, 1);
      if (thread.core !== null) this.cores[thread.core].thread = null;
      thread.core = null;
      this.endTimedWait(thread);
      this.setState(thread, 'terminated', 'killed');
      this.releaseStack();
    }
    this.exitProcess(process, exitcode);
    this.dispatch();
  }

  /**
   * A new subinterpreter of the current process, with its own GIL (concurrent.interpreters.create()).
   * Creating it costs nothing here: the caller runs its start-up inside it (INTERPRETER_START_US).
   */
  createInterpreter(): SubInterpreter {
    const process = this.currentProcess;
    const id = this.subinterpreters.filter((interp) => interp.process === process).length + 1;
    const interpreter = new SubInterpreter(id, process, this.newGil(id));
    this.subinterpreters.push(interpreter);
    return interpreter;
  }

  /** Run `action` after `delayUs` of virtual time (a timeout's timer). */
  after(delayUs: number, action: () => void): Scheduled {
    return this.env.schedule(delayUs, action);
  }

  /** Wake the threads parked on a Waiter: they retry their acquire, which now succeeds. */
  wakeParked(waiter: Waiter): void {
    for (const thread of waiter.takeParked()) this.makeReady(thread, `${waiter.name} notified`);
  }

  /** Add a trace record from a model built on the machine (pools, futures). */
  record(kind: string, actor: string, details: {[key: string]: TraceRecord['details'][string]} = {}): void {
    this.env.record(kind, actor, details);
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
    const mainProcess = this.newProcess('MainProcess', false, new Map(Object.entries(this.moduleGlobals)), this.mainMemory);
    const mainThread = this.thread({target: main, name: 'MainThread'});
    this.adopt(mainProcess, mainThread);
    this.startThread(mainThread);
    this.env.run();
    return this.report();
  }

  // --- the OS scheduler -------------------------------------------------------------------

  private setState(thread: PyThread, to: ThreadState, reason?: string, core?: number): void {
    // Built key by key rather than spread: the same record ({from, to, reason | core}), fewer allocations.
    const details: {from: ThreadState; to: ThreadState; reason?: string; core?: number} = {from: thread.state, to};
    if (reason !== undefined) details.reason = reason;
    if (core !== undefined) details.core = core;
    this.env.record('state', thread.name, details);
    thread.state = to;
  }

  private makeReady(thread: PyThread, reason: string): void {
    // A timer or a signal for a thread whose process was killed meanwhile.
    if (thread.state === 'terminated') return;
    thread.blockedOn = null;
    this.setState(thread, 'ready', reason);
    this.runQueue.push(thread);
    this.dispatch();
  }

  private block(thread: PyThread, reason: BlockReason, on: PyThread['blockedOn'] = {reason}): void {
    thread.blockedOn = on;
    this.setState(thread, 'blocked', reason);
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
      // The first free core, or the free core this thread last ran on (no switch cost): a scan
      // of the few cores, without building arrays on every dispatch.
      const firstFree = this.cores.findIndex(isFree);
      if (firstFree < 0) return;
      const thread = this.takeReady();
      let index = firstFree;
      for (let other = firstFree; other < this.cores.length; other += 1) {
        if (this.cores[other].thread === null && this.cores[other].lastThread === thread) {
          index = other;
          break;
        }
      }
      const core = this.cores[index];
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
        if (thread.state === 'terminated') return;
        core.sliceStartedAt = this.env.now;
        this.setState(thread, 'running', undefined, index);
        this.runOnCore(thread);
      });
    }
  }

  // --- the interpreter loop ---------------------------------------------------------------

  /** The thread is on a core: take the GIL if bytecode needs it, then work or perform steps. */
  private runOnCore(thread: PyThread): void {
    for (;;) {
      // Looked up each time round: a step may have switched the thread to another interpreter.
      const gil = this.gilOf(thread);
      const needsGil = gil !== null && !thread.holdsGil && thread.work?.kind !== 'native';
      if (needsGil && !gil.take(thread)) {
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
      if (this.offerSwitch(thread)) return;
    }
  }

  private nextStep(thread: PyThread): Step | null {
    const program = thread.program!;
    const error = thread.pendingError;
    thread.pendingError = null;
    this.current = thread;
    try {
      const result = error !== null ? program.throw(error) : program.next();
      return result.done ? null : result.value;
    } catch (raised) {
      if (!(raised instanceof PythonError)) throw raised;
      this.exceptions.push({thread: thread.name, type: raised.pythonType, message: raised.message});
      this.env.record('exception', thread.name, {type: raised.pythonType, message: raised.message});
      const process = this.processOf(thread);
      if (process.threads[0] === thread) process.failed = true;
      return null;
    } finally {
      this.current = null;
    }
  }

  /** Perform one step with the GIL held (if there is one); true if the thread keeps its core. */
  private perform(thread: PyThread, step: Step): boolean {
    switch (step.kind) {
      case 'cpu':
        if (step.us > 0) thread.work = {kind: 'python', remainingUs: Math.round(step.us * this.bytecodeCost)};
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
        else if (other.state !== 'terminated' && step.timeoutUs !== 0) {
          this.releaseGil(thread);
          other.joiners.push(thread);
          if (step.timeoutUs !== null) this.startTimedWait(thread, step.timeoutUs, () => this.joinTimedOut(thread, other));
          this.block(thread, 'join', {reason: 'join', thread: other});
          return false;
        }
        return true;
      }
      case 'acquire': {
        const timed = this.timedWaits.get(thread);
        // _PyMutex_LockTimed: a park that timed out returns at once, without another try.
        if (timed?.outcome !== 'timed out' && step.lock.tryAcquire(thread)) {
          this.endTimedWait(thread);
          step.acquired = true;
          this.env.record('lock', step.lock.name, {action: 'acquire', thread: thread.name});
          return true;
        }
        if (step.timeoutUs === 0 || (timed !== undefined && timed.outcome !== 'waiting')) {
          this.endTimedWait(thread);
          step.lock.withdraw(thread);
          step.acquired = false;
          return true;
        }
        this.releaseGil(thread);
        step.lock.park(thread, this.env.now);
        thread.retryStep = step;
        // The deadline is set at the first park; a thread that loses the race after a release re-parks with what is left.
        if (step.timeoutUs > 0 && timed === undefined) this.startTimedWait(thread, step.timeoutUs, () => this.acquireTimedOut(thread, step.lock));
        this.block(thread, 'lock', {reason: 'lock', lock: step.lock});
        return false;
      }
      case 'switchInterpreter':
        if (step.interpreter !== null && step.interpreter.process !== this.processOf(thread)) {
          throw new Error(`thread ${thread.name} cannot enter interpreter ${step.interpreter.id} of ${step.interpreter.process.name}: it belongs to another process`);
        }
        if (step.interpreter !== thread.interpreter) {
          this.releaseGil(thread);
          thread.interpreter = step.interpreter;
        }
        return true;
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

  private startTimedWait(thread: PyThread, timeoutUs: number, onTimeout: () => void): void {
    this.timedWaits.set(thread, {outcome: 'waiting', timer: this.env.schedule(timeoutUs, onTimeout)});
  }

  /** The wait is over (done, given up, or its thread killed): its timer must not fire. */
  private endTimedWait(thread: PyThread): void {
    this.timedWaits.get(thread)?.timer.cancel();
    this.timedWaits.delete(thread);
  }

  /** A timed join's timeout passed: the joiner stops waiting; Thread.join returns None either way. */
  private joinTimedOut(thread: PyThread, other: PyThread): void {
    this.timedWaits.delete(thread);
    other.joiners.splice(other.joiners.indexOf(thread), 1);
    this.makeReady(thread, `join of ${other.name} timed out`);
  }

  /**
   * A timed acquire's deadline passed. Still parked: it leaves the queue and returns False
   * (Py_PARK_TIMEOUT). Already woken by a release: it tries once more when it runs.
   */
  private acquireTimedOut(thread: PyThread, lock: Lock): void {
    const timed = this.timedWaits.get(thread)!;
    if (lock.withdraw(thread)) {
      timed.outcome = 'timed out';
      this.makeReady(thread, `acquire of ${lock.name} timed out`);
    } else {
      timed.outcome = 'deadline passed';
    }
  }

  private releaseGil(thread: PyThread): void {
    if (thread.holdsGil) this.gilOf(thread)?.drop(thread, false);
  }

  /** The GIL of the interpreter the thread is in now: its process's, or a subinterpreter's. */
  private gilOf(thread: PyThread): Gil | null {
    return thread.interpreter === null ? this.processOf(thread).gil : thread.interpreter.gil;
  }

  private addMemory(reserved: number, resident: number): void {
    this.reservedBytes += reserved;
    this.residentBytes += resident;
    this.peakReservedBytes = Math.max(this.peakReservedBytes, this.reservedBytes);
    this.peakResidentBytes = Math.max(this.peakResidentBytes, this.residentBytes);
  }

  private releaseStack(): void {
    this.addMemory(-THREAD_STACK_RESERVE_BYTES, -THREAD_STACK_RESIDENT_BYTES);
  }

  private startThread(thread: PyThread): void {
    thread.started = true;
    thread.program = thread.target();
    this.addMemory(THREAD_STACK_RESERVE_BYTES, THREAD_STACK_RESIDENT_BYTES);
    this.makeReady(thread, 'started');
  }

  private terminate(thread: PyThread): void {
    this.releaseGil(thread);
    this.setState(thread, 'terminated');
    this.releaseStack();
    for (const joiner of thread.joiners.splice(0)) {
      this.endTimedWait(joiner);
      this.makeReady(joiner, `${thread.name} ended`);
    }
    this.leaveCore(thread);
    // threading._shutdown: a process exits once its main thread and every non-daemon thread are done.
    const process = this.processOf(thread);
    if (!process.alive || !process.threads.every((t) => t.daemon || t.state === 'terminated' || !t.started)) return;
    if (process.pid === 1) this.exitMain();
    else this.killProcess(process, process.failed ? 1 : 0);
  }

  private exitProcess(process: OsProcess, exitcode: number): void {
    process.state = 'exited';
    process.exitcode = exitcode;
    this.addMemory(-process.reservedBytes, -process.residentBytes);
    this.env.record('process', process.name, {action: 'exit', exitcode});
    for (const callback of process.onExit.splice(0)) callback();
    if (this.mainExited && this.processes.every((p) => !p.alive || p.pid === 1)) this.stopRun();
  }

  /**
   * The main thread is done: multiprocessing's atexit hook (util._exit_function) terminates
   * daemonic children, then joins the others; the run ends when they are gone.
   */
  private exitMain(): void {
    this.mainExited = true;
    for (const child of this.processes) if (child.pid !== 1 && child.daemon) this.killProcess(child, -15);
    if (this.processes.every((p) => !p.alive || p.pid === 1)) this.stopRun();
  }

  private stopRun(): void {
    if (this.runStopped) return;
    this.runStopped = true;
    const abandoned = this.processes[0].threads.filter((t) => t.alive).map((t) => t.name);
    this.env.record('exit', 'kernel', {abandonedDaemons: abandoned});
    this.env.stop();
  }

  // --- work on a core ---------------------------------------------------------------------

  /**
   * Run the thread's current work until it is done, its time slice ends, or (bytecode only,
   * holding the GIL) the next eval-breaker check after a drop request.
   */
  private startSegment(thread: PyThread): void {
    const work = thread.work!;
    const untilCheckUs = this.untilEvalBreakerCheck(thread);
    if (untilCheckUs === 0) {
      this.gilOf(thread)!.drop(thread, true);
      this.block(thread, 'gil');
      return;
    }
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
    if (untilCheckUs !== null) duration = Math.min(duration, untilCheckUs);
    thread.segment = {startedAt: this.env.now, handle: this.env.scheduleCall(duration, this.endSegmentOf, thread)};
  }

  /**
   * For a GIL holder about to run bytecode while a drop request is pending: how much bytecode it
   * runs before the eval breaker is checked (0: now), else null. The countdown starts when the
   * holder first runs bytecode after the request and goes on across steps, so a loop of tiny steps
   * drops the GIL as soon as one long step would (ceval.c checks at back-edges and calls, whatever
   * each bytecode's size).
   */
  private untilEvalBreakerCheck(thread: PyThread): number | null {
    const gil = this.gilOf(thread);
    if (thread.work?.kind !== 'python' || gil === null || gil.holder !== thread || !gil.dropRequest) return null;
    if (thread.evalBreaker?.gil !== gil || thread.evalBreaker.request !== gil.dropRequests) {
      thread.evalBreaker = {gil, request: gil.dropRequests, bytecodeLeftUs: EVAL_BREAKER_CHECK_US};
    }
    return thread.evalBreaker.bytecodeLeftUs;
  }

  private accountSegment(thread: PyThread): void {
    const segment = thread.segment!;
    const elapsed = this.env.now - segment.startedAt;
    segment.handle.cancel();
    thread.segment = null;
    thread.work!.remainingUs -= elapsed;
    thread.cpuTimeUs += elapsed;
    if (thread.work!.kind === 'python' && thread.evalBreaker !== null) {
      thread.evalBreaker.bytecodeLeftUs = Math.max(0, thread.evalBreaker.bytecodeLeftUs - elapsed);
    }
  }

  /** endSegment as a callback taking the thread, so a segment schedules no new closure. */
  private readonly endSegmentOf = (thread: PyThread): void => this.endSegment(thread);

  private endSegment(thread: PyThread): void {
    this.accountSegment(thread);
    if (thread.work!.remainingUs === 0) {
      thread.work = null;
      this.runOnCore(thread);
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

  /** The next ready thread: the run queue's head, or the chooser's pick when several are ready. */
  private takeReady(): PyThread {
    if (this.chooser === null || this.pinnedNext || this.runQueue.length < 2) {
      this.pinnedNext = false;
      return this.runQueue.shift()!;
    }
    return this.runQueue.splice(this.choose('dispatch', this.runQueue), 1)[0];
  }

  /**
   * With a chooser only: at a step boundary, where the GIL could be dropped, the running thread may
   * be switched out for any ready one. On one core this reaches every interleaving of steps.
   */
  private offerSwitch(thread: PyThread): boolean {
    if (this.chooser === null || this.runQueue.length === 0) return false;
    const choice = this.choose('switch', [thread, ...this.runQueue]);
    if (choice === 0) return false;
    const [next] = this.runQueue.splice(choice - 1, 1);
    this.runQueue.unshift(next);
    this.pinnedNext = true;
    this.releaseGil(thread);
    this.cores[thread.core!].thread = null;
    thread.core = null;
    this.makeReady(thread, 'switched out by the explorer');
    return true;
  }

  private choose(kind: SchedulePoint['kind'], candidates: readonly PyThread[]): number {
    const names = candidates.map((t) => t.name);
    const choice = this.chooser!({kind, time: this.env.now, candidates: names});
    if (!Number.isInteger(choice) || choice < 0 || choice >= candidates.length) {
      throw new RangeError(`chooser must return an index from 0 to ${candidates.length - 1}, got ${String(choice)}`);
    }
    this.env.record('choice', 'kernel', {kind, candidates: names, chosen: names[choice]});
    return choice;
  }

  /** The slice is over and others wait: give up the core (keeping the GIL, if held) and queue again. */
  private preempt(thread: PyThread): void {
    this.cores[thread.core!].thread = null;
    thread.core = null;
    this.makeReady(thread, 'time slice over');
  }

  // --- the end of a run -------------------------------------------------------------------

  private report(): RunResult {
    const stuck = this.mainExited ? [] : this.threads.filter((t) => t.state === 'blocked');
    let deadlock: DeadlockReport | null = null;
    if (stuck.length > 0) {
      deadlock = {cycle: waitForCycle(stuck), blocked: stuck.map((t) => t.name), waits: describeWaits(stuck)};
      this.env.record('deadlock', 'kernel', {
        cycle: deadlock.cycle?.map((edge) => ({...edge, waitsFor: {...edge.waitsFor}})) ?? null,
        blocked: deadlock.blocked,
        waits: deadlock.waits.map((wait) => ({...wait, waitsFor: {...wait.waitsFor}})),
      });
    }
    const lockHandoffs: {[name: string]: number} = {};
    for (const lock of this.locks) lockHandoffs[lock.name] = lock.handoffs;
    return {
      metrics: {
        wallTimeUs: this.env.now,
        events: this.env.eventsProcessed,
        totalCpuTimeUs: this.threads.reduce((sum, t) => sum + t.cpuTimeUs, 0),
        gilHandoffs: this.sumGils((gil) => gil.switchNumber),
        gilDropRequests: this.sumGils((gil) => gil.dropRequests),
        gilForcedDrops: this.sumGils((gil) => gil.forcedDrops),
        contextSwitches: this.contextSwitches,
        lockHandoffs,
        peakReservedBytes: this.peakReservedBytes,
        peakResidentBytes: this.peakResidentBytes,
      },
      threads: this.threads.map((t) => ({name: t.name, ident: t.ident, daemon: t.daemon, state: t.state, cpuTimeUs: t.cpuTimeUs})),
      deadlock,
      exceptions: this.exceptions,
      abandonedDaemons: this.mainExited ? this.processes[0].threads.filter((t) => t.alive).map((t) => t.name) : [],
      processes: this.processes.map((p) => ({
        name: p.name,
        pid: p.pid,
        daemon: p.daemon,
        exitcode: p.pid === 1 ? (this.mainExited ? 0 : null) : p.exitcode,
        cpuTimeUs: p.threads.reduce((sum, t) => sum + t.cpuTimeUs, 0),
        residentBytes: p.residentBytes,
        reservedBytes: p.reservedBytes,
      })),
      trace: this.env.trace,
    };
  }

  private sumGils(count: (gil: Gil) => number): number {
    const gils = [...this.processes, ...this.subinterpreters].map((owner) => owner.gil);
    return gils.reduce((sum, gil) => sum + (gil === null ? 0 : count(gil)), 0);
  }
}

const isFree = (core: Core): boolean => core.thread === null;
