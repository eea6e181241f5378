/**
 * Python threads as threading.Thread presents them (Lib/threading.py): name, daemon, start()
 * once, join(); and the steps a thread's program yields, each mirroring what the C code under
 * it does with the GIL (Include/ceval.h, Py_BEGIN/END_ALLOW_THREADS):
 *
 * - cpu(us): Python bytecode; needs the GIL.
 * - nativeCpu(us): C code that releases the GIL around its work (hashlib on large data, zlib, numpy).
 * - io(us): a blocking system call (recv, read); releases the GIL.
 * - sleep(us): time.sleep; releases the GIL.
 * - t.start(), t.join(), lock.acquire(), lock.release(): as in Python (join and acquire take timeouts).
 * - interp.enter(), interp.leave(): switch into a subinterpreter (machine.createInterpreter()) and
 *   back, as Interpreter.call does; bytecode then needs that interpreter's GIL.
 *
 * A program is a generator: code between two yields runs with the GIL held, at one instant.
 */
import type {Gil} from './gil';
import {assertNonNegativeInteger, type Scheduled} from './kernel';
import type {AcquireStep, Lock, RLock} from './locks';
import type {SubInterpreter} from './machine';

export type ThreadState = 'new' | 'ready' | 'running' | 'blocked' | 'terminated';
export type BlockReason = 'gil' | 'io' | 'sleep' | 'lock' | 'join';

export type Step =
  | {kind: 'cpu'; us: number}
  | {kind: 'nativeCpu'; us: number}
  | {kind: 'io'; us: number}
  | {kind: 'sleep'; us: number}
  | {kind: 'start'; thread: PyThread}
  | {kind: 'join'; thread: PyThread; timeoutUs: number | null}
  | AcquireStep
  | {kind: 'release'; lock: Lock | RLock}
  /** Switch the thread into a subinterpreter, or back to its process's main interpreter (null). */
  | {kind: 'switchInterpreter'; interpreter: SubInterpreter | null};

export type ThreadProgram = Generator<Step, void, void>;
export type ThreadTarget = () => ThreadProgram;

export function cpu(us: number): Step {
  assertNonNegativeInteger(us, 'cpu(us)');
  return {kind: 'cpu', us};
}

export function nativeCpu(us: number): Step {
  assertNonNegativeInteger(us, 'nativeCpu(us)');
  return {kind: 'nativeCpu', us};
}

export function io(us: number): Step {
  assertNonNegativeInteger(us, 'io(us)');
  return {kind: 'io', us};
}

export function sleep(us: number): Step {
  assertNonNegativeInteger(us, 'sleep(us)');
  return {kind: 'sleep', us};
}

/** Work in progress on a core: bytecode (needs the GIL) or native code (runs without it). */
export interface Work {
  kind: 'python' | 'native';
  remainingUs: number;
}

export class PyThread {
  readonly name: string;
  readonly daemon: boolean;
  /** Order of creation; the main thread is 0. */
  readonly ident: number;
  readonly target: ThreadTarget;

  // Runtime state, owned by the Machine.
  state: ThreadState = 'new';
  started = false;
  program: ThreadProgram | null = null;
  holdsGil = false;
  /** Index of the core it occupies (running, or being switched in), else null. */
  core: number | null = null;
  work: Work | null = null;
  segment: {startedAt: number; handle: Scheduled} | null = null;
  /**
   * Holding a GIL with a drop request pending: that GIL, the request's number (Gil.dropRequests) and
   * how much more bytecode runs before the eval-breaker check that honours it, across steps.
   */
  evalBreaker: {gil: Gil; request: number; bytecodeLeftUs: number} | null = null;
  /** The subinterpreter the thread is in, or null for its process's main interpreter. */
  interpreter: SubInterpreter | null = null;
  /** A step to perform again when the thread next runs (a lock acquire that must retry). */
  retryStep: Step | null = null;
  /** An exception to throw into the program when it next runs. */
  pendingError: Error | null = null;
  blockedOn: {reason: BlockReason; lock?: Lock | RLock; thread?: PyThread} | null = null;
  readonly joiners: PyThread[] = [];
  cpuTimeUs = 0;

  constructor(options: {name: string; daemon: boolean; ident: number; target: ThreadTarget}) {
    this.name = options.name;
    this.daemon = options.daemon;
    this.ident = options.ident;
    this.target = options.target;
  }

  get alive(): boolean {
    return this.started && this.state !== 'terminated';
  }

  /** threading.Thread.is_alive(): started and not yet ended. */
  isAlive(): boolean {
    return this.alive;
  }

  /** `yield t.start()` in a program: threading.Thread.start(). */
  start(): Step {
    return {kind: 'start', thread: this};
  }

  /**
   * `yield t.join()` or `yield t.join({timeoutUs})`: threading.Thread.join(timeout). Returns when
   * the thread ends or the timeout passes, saying nothing of which: isAlive() tells. A negative
   * timeout acts as 0, as in Lib/threading.py (`timeout = max(timeout, 0)`).
   */
  join({timeoutUs = null}: {timeoutUs?: number | null} = {}): Step {
    if (timeoutUs !== null && !Number.isInteger(timeoutUs)) {
      throw new RangeError(`timeoutUs must be an integer number of microseconds or null, got ${String(timeoutUs)}`);
    }
    return {kind: 'join', thread: this, timeoutUs: timeoutUs === null ? null : Math.max(0, timeoutUs)};
  }
}

/** `with lock:` — `yield* withLock(lock, function* () { ... })`. Releases even if the body raises. */
export function* withLock(lock: Lock | RLock, body: () => ThreadProgram): ThreadProgram {
  yield lock.acquire();
  try {
    yield* body();
  } finally {
    yield lock.release();
  }
}
