/**
 * multiprocessing.Process and what crosses a process boundary, mirroring CPython's
 * Lib/multiprocessing/process.py (start, join, exitcode, terminate, daemon), popen_fork.py,
 * popen_spawn_posix.py and popen_forkserver.py (the three start methods), context.py (the default
 * start method) and Lib/pickle.py (functions pickle by reference: module plus qualified name).
 *
 * - fork: the parent copies its page tables with the GIL held; the child shares memory
 *   copy-on-write and starts with a copy of the parent's globals as they are now.
 * - spawn: the parent launches a fresh interpreter and pickles the Process object to it; the
 *   child boots and re-imports the main module, so it sees the globals as importing sets them.
 * - forkserver: a server process (spawned once) forks each child; the child re-imports the main
 *   module too.
 * Default on Linux: fork up to 3.13, forkserver from 3.14 (docs, multiprocessing, "Contexts and
 * start methods": "Changed in version 3.14: On POSIX platforms the default start method was
 * changed from fork to forkserver"). macOS and Windows use spawn; only Linux is modelled.
 */
import {
  FORK_CHILD_BOOT_US,
  FORK_CHILD_PRIVATE_BYTES,
  FORK_PARENT_US,
  FORKSERVER_CHILD_BOOT_US,
  FORKSERVER_PARENT_US,
  FORKSERVER_SERVER_START_US,
  IDLE_PYTHON_PROCESS_PRIVATE_BYTES,
  IDLE_PYTHON_PROCESS_RESERVED_BYTES,
  PICKLE_CALL_US,
  PICKLE_NS_PER_BYTE,
  PICKLE_RAW_BYTES_NS_PER_BYTE,
  SPAWN_CHILD_BOOT_US,
  SPAWN_PARENT_US,
} from './constants';
import {PythonError} from './errors';
import {Waiter, type Machine, type OsProcess} from './machine';
import {cpu, io, type Step} from './threads';

export type StartMethod = 'fork' | 'spawn' | 'forkserver';
export const START_METHODS: readonly StartMethod[] = ['fork', 'spawn', 'forkserver'];
export type PythonVersion = '3.11' | '3.12' | '3.13' | '3.14';
export const PYTHON_VERSIONS: readonly PythonVersion[] = ['3.11', '3.12', '3.13', '3.14'];

/** multiprocessing.get_start_method() on Linux for a given CPython version. */
export function defaultStartMethod(version: PythonVersion): StartMethod {
  if (!PYTHON_VERSIONS.includes(version)) throw new RangeError(`pythonVersion must be one of ${PYTHON_VERSIONS.join(', ')}, got ${String(version)}`);
  return version === '3.14' ? 'forkserver' : 'fork';
}

export function checkStartMethod(method: string): StartMethod {
  // The message of multiprocessing.get_context('nope').
  if (!(START_METHODS as readonly string[]).includes(method)) throw new PythonError('ValueError', `cannot find context for '${method}'`);
  return method as StartMethod;
}

/** A Python function: how pickle finds it (module and qualified name) and what calling it does. */
export interface PyFunction<A extends unknown[] = unknown[], R = unknown> {
  readonly qualname: string;
  readonly module: string;
  call(...args: A): Generator<Step, R, void>;
}

/**
 * def/lambda: `pyfunc('factorize', function* (n) {...})` for a module-level function,
 * `pyfunc('<lambda>', ...)` for a lambda, `pyfunc('outer.<locals>.inner', ...)` for a local one.
 */
export function pyfunc<A extends unknown[], R>(qualname: string, call: (...args: A) => Generator<Step, R, void>, module = '__main__'): PyFunction<A, R> {
  if (qualname.length === 0) throw new RangeError('qualname must be a non-empty string');
  return {qualname, module, call};
}

/** A bytes object of a given length, without allocating it: a payload for pickling and IPC. */
export class Payload {
  constructor(readonly bytes: number) {
    if (!Number.isInteger(bytes) || bytes < 0) throw new RangeError(`bytes must be a non-negative integer, got ${String(bytes)}`);
  }
}

/** A repeatable fake `id()` for a function, so error messages look like Python's and stay deterministic. */
function addressOf(fn: PyFunction): string {
  let hash = 2166136261;
  for (const char of `${fn.module}.${fn.qualname}`) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return `0x7f${(hash * 16).toString(16).padStart(10, '0').slice(-10)}`;
}

function isPyFunction(value: unknown): value is PyFunction {
  return typeof value === 'object' && value !== null && 'qualname' in value && 'call' in value;
}

/**
 * What pickle.dumps raises for an object it cannot pickle by reference; measured with python3 3.11
 * (the messages are the same in 3.12; 3.14 rewords them):
 *   pickle.dumps(lambda x: x) → _pickle.PicklingError: Can't pickle <function <lambda> at 0x…>:
 *     attribute lookup <lambda> on __main__ failed
 *   pickle.dumps(outer()) → AttributeError: Can't pickle local object 'outer.<locals>.inner'
 */
export function picklingError(value: unknown): PythonError | null {
  if (isPyFunction(value)) {
    if (value.qualname.includes('<locals>')) return new PythonError('AttributeError', `Can't pickle local object '${value.qualname}'`);
    if (value.qualname.includes('<lambda>')) {
      return new PythonError('PicklingError', `Can't pickle <function ${value.qualname} at ${addressOf(value)}>: attribute lookup ${value.qualname} on ${value.module} failed`);
    }
    return null;
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const error = picklingError(item);
      if (error !== null) return error;
    }
  }
  return null;
}

/**
 * Approximate length of pickle.dumps(value, protocol 5): an opcode or two per item plus its data
 * (an int 5 bytes, a float 9, str and bytes their length plus a header), 11 bytes of framing.
 */
export function pickledSize(value: unknown): number {
  const itemSize = (item: unknown): number => {
    if (item instanceof Payload) return item.bytes + (item.bytes < 256 ? 2 : 9);
    if (typeof item === 'number') return Number.isInteger(item) ? 5 : 9;
    if (typeof item === 'string') return item.length + (item.length < 256 ? 2 : 9);
    if (typeof item === 'boolean' || item === null || item === undefined) return 1;
    if (isPyFunction(item)) return item.module.length + item.qualname.length + 6;
    if (Array.isArray(item)) return 3 + item.reduce((sum: number, inner) => sum + itemSize(inner), 0);
    if (typeof item === 'object') return 3 + Object.entries(item).reduce((sum, [key, inner]) => sum + itemSize(key) + itemSize(inner), 0);
    return 8;
  };
  return 11 + itemSize(value);
}

/**
 * CPU time of one pickle.dumps or one pickle.loads of `bytes` bytes (half the measured round trip):
 * an object graph (ints, lists, dicts) or a bytes object, which is one copy.
 */
export function pickleCostUs(bytes: number, content: 'objects' | 'bytes' = 'objects'): number {
  const nsPerByte = content === 'bytes' ? PICKLE_RAW_BYTES_NS_PER_BYTE : PICKLE_NS_PER_BYTE;
  return PICKLE_CALL_US + Math.ceil((bytes * nsPerByte) / 2000);
}

/** What starting a child costs with each method: the parent's part, the child's boot, and its memory. */
export interface StartCost {
  parentUs: number;
  childBootUs: number;
  globals: 'copy-parent' | 'reimport';
  residentBytes: number;
  reservedBytes: number;
}

export function startCost(method: StartMethod): StartCost {
  const reservedBytes = IDLE_PYTHON_PROCESS_RESERVED_BYTES;
  switch (method) {
    case 'fork':
      return {parentUs: FORK_PARENT_US, childBootUs: FORK_CHILD_BOOT_US, globals: 'copy-parent', residentBytes: FORK_CHILD_PRIVATE_BYTES, reservedBytes};
    case 'spawn':
      return {parentUs: SPAWN_PARENT_US, childBootUs: SPAWN_CHILD_BOOT_US, globals: 'reimport', residentBytes: IDLE_PYTHON_PROCESS_PRIVATE_BYTES, reservedBytes};
    case 'forkserver':
      // Forked from the server, so the interpreter's pages are shared; the main module is re-imported.
      return {parentUs: FORKSERVER_PARENT_US, childBootUs: FORKSERVER_CHILD_BOOT_US, globals: 'reimport', residentBytes: FORK_CHILD_PRIVATE_BYTES, reservedBytes};
  }
}

/** Machines whose fork server is already running: it is started once, by the first forkserver start. */
const forkServers = new WeakSet<Machine>();
/** Per-machine counters behind the default names Process-1, Process-2, … (process.py _process_counter). */
const processCounters = new WeakMap<Machine, number>();

export function nextProcessNumber(machine: Machine): number {
  const number = (processCounters.get(machine) ?? 0) + 1;
  processCounters.set(machine, number);
  return number;
}

/**
 * The parent's side of starting a child, then the child itself: what Popen does for each start
 * method. Returns the OS process. Pickling errors are raised here, in the parent, as in Python.
 */
export function* launch(
  machine: Machine,
  options: {name: string; daemon: boolean; method: StartMethod; target: PyFunction; args: unknown[]},
): Generator<Step, OsProcess, void> {
  const {name, daemon, method, target, args} = options;
  const cost = startCost(method);
  let bootUs = cost.childBootUs;
  if (method === 'fork') {
    yield cpu(cost.parentUs);
  } else {
    // spawn and forkserver pickle the Process object (target and args) to send it to the child.
    const error = picklingError([target, args]);
    if (error !== null) throw error;
    const bytes = pickledSize([target, args]);
    if (method === 'forkserver' && !forkServers.has(machine)) {
      forkServers.add(machine);
      machine.record('process', 'ForkServer', {action: 'start'});
      // The server is a spawned interpreter; the first start waits for it to come up.
      yield io(FORKSERVER_SERVER_START_US);
    }
    yield cpu(cost.parentUs + pickleCostUs(bytes));
    bootUs += pickleCostUs(bytes);
  }
  return machine.spawnProcess({
    name,
    daemon,
    bootUs,
    globals: cost.globals,
    residentBytes: cost.residentBytes,
    reservedBytes: cost.reservedBytes,
    *target() {
      yield* target.call(...args);
    },
  });
}

export interface ProcessOptions {
  target: PyFunction;
  args?: unknown[];
  name?: string;
  daemon?: boolean;
  /** The context's start method; default: the version's default. */
  startMethod?: StartMethod;
  pythonVersion?: PythonVersion;
}

/** multiprocessing.Process(target=..., args=..., name=..., daemon=...). */
export class Process {
  readonly name: string;
  daemon: boolean;
  readonly startMethod: StartMethod;
  private readonly target: PyFunction;
  private readonly args: unknown[];
  private os: OsProcess | null = null;

  constructor(
    private readonly machine: Machine,
    options: ProcessOptions,
  ) {
    this.target = options.target;
    this.args = options.args ?? [];
    this.name = options.name ?? `Process-${nextProcessNumber(machine)}`;
    this.daemon = options.daemon ?? false;
    this.startMethod = checkStartMethod(options.startMethod ?? defaultStartMethod(options.pythonVersion ?? '3.12'));
  }

  get pid(): number | null {
    return this.os?.pid ?? null;
  }

  /** None while running (or before start), 0 on success, 1 after an uncaught exception, -15 after terminate(). */
  get exitcode(): number | null {
    return this.os?.exitcode ?? null;
  }

  is_alive(): boolean {
    return this.os?.alive ?? false;
  }

  /** `yield* p.start()`. */
  *start(): Generator<Step, void, void> {
    if (this.os !== null) throw new PythonError('AssertionError', 'cannot start a process twice');
    this.os = yield* launch(this.machine, {name: this.name, daemon: this.daemon, method: this.startMethod, target: this.target, args: this.args});
  }

  /** `yield* p.join(timeoutUs)`: returns when the process has exited or the timeout passed. */
  *join(timeoutUs: number | null = null): Generator<Step, void, void> {
    const os = this.os;
    if (os === null) throw new PythonError('AssertionError', 'can only join a started process');
    if (!os.alive) return;
    const waiter = new Waiter(this.machine, `${this.name}.join`);
    os.onExit.push(() => waiter.notify());
    yield* waiter.wait(timeoutUs);
  }

  /** Send SIGTERM: the child dies where it is; exitcode becomes -15. */
  terminate(): void {
    if (this.os === null) throw new PythonError('AttributeError', "'NoneType' object has no attribute 'terminate'");
    this.machine.killProcess(this.os, -15);
  }
}
