/**
 * How processes talk in multiprocessing, mirroring CPython's Lib/multiprocessing:
 *
 * - connection.py: Pipe() and Connection. send() pickles (pickle.py's errors, raised in the
 *   sender) and writes a 4-byte length header plus the pickle; recv() reads a whole message and
 *   unpickles it. Writes and reads go through the kernel's buffer in chunks: os.write blocks while
 *   the buffer is full, os.read while it is empty, both with the GIL released. Pipe(duplex=False)
 *   is an os.pipe() (reader first, writer second), Pipe() a socket pair.
 * - queues.py: Queue. put() appends to a buffer in the putting process, whose feeder thread
 *   (started by the first put, as _start_thread does) pickles each object and writes it to a pipe
 *   under a cross-process write lock; get() reads under a read lock. A bounded semaphore counts the
 *   items (qsize, full, maxsize). An object that cannot be pickled fails in the feeder thread, not in
 *   put(): the feeder prints the traceback and drops it (_on_queue_feeder_error).
 * - sharedctypes.py: Value and Array, ctypes objects in shared memory wrapped with a lock
 *   (multiprocessing.RLock unless told otherwise). Each read or write takes the lock, so
 *   `v.value += 1` is a locked read and then a locked write: two processes can both read the same
 *   value and one increment is lost. Holding get_lock() around both makes it one step.
 * - managers.py: Manager() starts a server process; its list() and dict() return proxies whose
 *   every call is a round trip (BaseProxy._callmethod): pickle the request, the server's thread for
 *   this connection unpickles it and dispatches it (Server.serve_client), pickles the reply back.
 *   Each thread of each process opens its own connection on first use (BaseProxy._connect).
 *
 * File descriptors: each process that uses an end of a pipe holds its own copy; close() closes the
 * caller's copy, and a process's exit closes all of its copies. An end counts as closed everywhere
 * (recv() gets EOFError once the buffer is drained, send() gets BrokenPipeError) once every process
 * that used it has closed it or exited. The model cannot see a copy a forked child inherited but
 * has not used yet, so an end nobody has read or written is taken to be held by such a child: the
 * idiom of closing the parent's copy of the child's end right after start() does not end the pipe.
 *
 * At exit CPython runs finalizers (util._exit_function) that flush a Queue's feeder thread and shut
 * a Manager down. The simulated interpreter has no atexit, so a small non-daemon thread stands in
 * for each finalizer: it waits for the process's other non-daemon threads, then does the work.
 *
 * Costs: pickling as processes.ts (pickleCostUs, pickledSize), pipe transfer as pools.ts
 * (PIPE_MESSAGE_US plus PIPE_NS_PER_BYTE, paid by the writer and again by the reader), shared
 * memory as SHARED_VALUE_ACCESS_US plus SHARED_MEMORY_NS_PER_BYTE, a Manager call as two pipe
 * messages plus MANAGER_DISPATCH_US in the server. Blocking calls are generators:
 * `yield* conn.send(x)`, `const x = yield* conn.recv()`.
 *
 * Exported objects keep their state in #private fields: pickledSize walks an object's own fields,
 * and a Connection or a proxy passed to a spawned child pickles as a small handle, as in CPython.
 * Trace kind: `ipc` (actor: the pipe, queue, shared object or manager; details: action, thread, …).
 */
import {
  MANAGER_DISPATCH_US,
  MP_QUEUE_EXTRA_US,
  PIPE_CAPACITY_BYTES,
  PIPE_MESSAGE_US,
  PIPE_NS_PER_BYTE,
  POLL_CALL_BASE_NS,
  POLL_PER_FD_NS,
  SHARED_MEMORY_NS_PER_BYTE,
  SHARED_VALUE_ACCESS_US,
  SMALL_STATEMENT_CPU_US,
  SOCKETPAIR_CAPACITY_BYTES,
} from './constants';
import {PythonError, RuntimeError} from './errors';
import {RLock, type Lock} from './locks';
import {Waiter, type Machine, type OsProcess} from './machine';
import {Payload, Process, nextProcessNumber, pickleCostUs, pickledSize, picklingError, pyfunc, type PythonVersion, type StartMethod} from './processes';
import {BoundedSemaphore, Event, QueueEmpty, QueueFull, Semaphore, ValueError} from './sync';
import {cpu, nativeCpu, type PyThread, type Step, type ThreadProgram} from './threads';

type Blocking<R> = Generator<Step, R, void>;

// --- helpers shared by every class ------------------------------------------------------------

const counters = new WeakMap<Machine, Map<string, number>>();

/** Per-machine numbering behind default names (Pipe-1, Queue-2, …). */
function nextNumber(machine: Machine, kind: string): number {
  const perKind = counters.get(machine) ?? new Map<string, number>();
  counters.set(machine, perKind);
  const number = (perKind.get(kind) ?? 0) + 1;
  perKind.set(kind, number);
  return number;
}

/** A repeatable fake id() for reprs and manager tokens, so messages look like Python's and stay deterministic. */
function fakeAddress(machine: Machine): string {
  return `0x7f${(0x3a5c0000 + nextNumber(machine, 'address') * 0x1d0).toString(16).padStart(10, '0')}`;
}

function checkTimeout(timeoutUs: number | null, parameter: string): void {
  if (timeoutUs !== null && !Number.isInteger(timeoutUs)) {
    throw new RangeError(`${parameter} must be an integer number of microseconds or null, got ${String(timeoutUs)}`);
  }
}

/** The name Python gives a value's type in its error messages. */
function pythonTypeName(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (value === null || value === undefined) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Payload) return 'bytes';
  return 'object';
}

const osError = (message: string): PythonError => new PythonError('OSError', message);
const eofError = (): PythonError => new PythonError('EOFError', '');
const brokenPipe = (): PythonError => new PythonError('BrokenPipeError', '[Errno 32] Broken pipe');

/** Threads parked until something changes; each re-checks its condition when woken, as the kernel's wait loops do. */
class WaitQueue {
  private readonly waiters: Waiter[] = [];

  constructor(private readonly machine: Machine) {}

  /** Park until the next wakeAll() or the timeout; true if woken. */
  *wait(what: {kind: string; name: string}, timeoutUs: number | null = null): Blocking<boolean> {
    const waiter = new Waiter(this.machine, `${what.kind} ${what.name}`, what);
    this.waiters.push(waiter);
    const woken = yield* waiter.wait(timeoutUs);
    if (!woken) this.waiters.splice(this.waiters.indexOf(waiter), 1);
    return woken;
  }

  wakeAll(): void {
    for (const waiter of this.waiters.splice(0)) waiter.notify();
  }
}

/** The threads standing in for exit finalizers: they wait for every other thread, not for each other. */
const finalizers = new WeakSet<PyThread>();

/**
 * util.Finalize with an exit priority: run `body` in the current process once its other
 * non-daemon threads have ended, as util._exit_function does when the interpreter exits.
 */
function* atExit(machine: Machine, name: string, body: () => ThreadProgram): Blocking<void> {
  const process = machine.currentProcess;
  const finalizer: PyThread = machine.thread({
    name: `Finalize(${name})`,
    *target() {
      for (;;) {
        const other = process.threads.find((t) => t !== finalizer && !t.daemon && t.alive && !finalizers.has(t));
        if (other === undefined) break;
        yield other.join();
      }
      yield* body();
    },
  });
  finalizers.add(finalizer);
  yield finalizer.start();
}

// --- pickling across a process boundary -------------------------------------------------------

/** What crosses a pipe: a snapshot of the object, the pickle's length, and what most of it is. */
interface Pickled {
  value: unknown;
  bytes: number;
  content: 'objects' | 'bytes';
}

/** A plain object stands for a dict, unless it is a PyFunction (pyfunc), which pickles by reference. */
function isDict(value: unknown): value is {[key: string]: unknown} {
  if (typeof value !== 'object' || value === null || ('qualname' in value && 'call' in value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** context.assert_spawning: these pickle only while a child process is being started (as Process args). */
function inheritanceOnlyType(value: unknown): string | null {
  if (value instanceof Queue) return 'Queue';
  if (value instanceof Synchronized) return 'Synchronized';
  if (value instanceof SynchronizedArray) return 'SynchronizedArray';
  if (value instanceof SynchronizedString) return 'SynchronizedString';
  return null;
}

/** What pickle.dumps(value) would raise in multiprocessing, or null. */
function dumpsError(value: unknown): PythonError | null {
  const inheritedOnly = inheritanceOnlyType(value);
  if (inheritedOnly !== null) return new RuntimeError(`${inheritedOnly} objects should only be shared between processes through inheritance`);
  const error = picklingError(value);
  if (error !== null) return error;
  const items = Array.isArray(value) ? value : isDict(value) ? Object.values(value) : [];
  for (const item of items) {
    const error = dumpsError(item);
    if (error !== null) return error;
  }
  return null;
}

/** Bytes of bytes objects (Payloads) inside a value: pickled as one memcpy each, not object by object. */
function payloadBytes(value: unknown): number {
  if (value instanceof Payload) return value.bytes;
  const items = Array.isArray(value) ? value : isDict(value) ? Object.values(value) : [];
  return items.reduce((sum: number, item) => sum + payloadBytes(item), 0);
}

/**
 * What unpickling gives the receiver: its own copy of lists, dicts and sets. Numbers, strings and
 * bytes are immutable; functions pickle by reference; connections and proxies pickle as handles.
 */
function copyAcross<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyAcross) as T;
  if (value instanceof Map) return new Map([...value].map(([key, item]) => [copyAcross(key), copyAcross(item)])) as T;
  if (value instanceof Set) return new Set([...value].map(copyAcross)) as T;
  if (isDict(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copyAcross(item)])) as T;
  return value;
}

/** The value as pickledSize measures it: dicts (Maps) as their items, sets as their members. */
function asSized(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asSized);
  if (value instanceof Map || value instanceof Set) return [...value].map(asSized);
  if (isDict(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, asSized(item)]));
  return value;
}

/** _ForkingPickler.dumps: raises what pickle raises; costs one pickle at the rate of what most of its bytes are. */
function* dumps(value: unknown): Blocking<Pickled> {
  const error = dumpsError(value);
  if (error !== null) throw error;
  const bytes = pickledSize(asSized(value));
  const content = 2 * payloadBytes(value) > bytes ? 'bytes' : 'objects';
  yield cpu(pickleCostUs(bytes, content));
  return {value: copyAcross(value), bytes, content};
}

function* loads(message: Pickled): Blocking<unknown> {
  yield cpu(pickleCostUs(message.bytes, message.content));
  return message.value;
}

// --- connection.py: Pipe and Connection -------------------------------------------------------

/** connection.py _send_bytes: struct.pack("!i", n) before each message. */
const HEADER_BYTES = 4;

/** Connection.poll → connection.wait → a selectors.PollSelector over one fd. */
const POLL_US = Math.ceil((POLL_CALL_BASE_NS + POLL_PER_FD_NS) / 1000);

/** Microseconds to copy bytes [from, to) of a message through the kernel, rounded so a message's chunks add up to its whole cost. */
function copyUs(from: number, to: number): number {
  return Math.ceil((to * PIPE_NS_PER_BYTE) / 1000) - Math.ceil((from * PIPE_NS_PER_BYTE) / 1000);
}

interface InFlight extends Pickled {
  /** Length on the wire: the header plus the pickle. */
  wire: number;
  written: number;
  taken: number;
}

/** One direction of a pipe or socket pair: the kernel's buffer, holding at most `capacity` bytes. */
class Stream {
  readonly messages: InFlight[] = [];
  /** Bytes written and not yet taken by the reader (including a write being copied in). */
  buffered = 0;
  /** A send or recv in progress: others on the same end wait their turn. */
  writing = false;
  reading = false;
  readonly changed: WaitQueue;
  writer!: Handle;
  reader!: Handle;

  constructor(
    machine: Machine,
    readonly capacity: number,
  ) {
    this.changed = new WaitQueue(machine);
  }

  readyToRead(): boolean {
    const head = this.messages[0];
    return (head !== undefined && head.written > head.taken) || this.writer.released();
  }
}

/** One end of a pipe: the streams it reads and writes, and which processes hold a copy of it. */
class Handle {
  /** Every process that has used or closed this end, and whether its copy is open. */
  private readonly holds = new Map<OsProcess, boolean>();
  /** Some process has read, written or polled through it. */
  private used = false;

  constructor(
    private readonly machine: Machine,
    readonly name: string,
    readonly incoming: Stream | null,
    readonly outgoing: Stream | null,
    holders: readonly OsProcess[],
  ) {
    for (const process of holders) this.hold(process);
  }

  private hold(process: OsProcess): void {
    if (this.holds.has(process)) return;
    this.holds.set(process, true);
    // The OS closes a process's descriptors when it exits: readers may now see EOF, writers EPIPE.
    process.onExit.push(() => this.wakeStreams());
  }

  private wakeStreams(): void {
    this.incoming?.changed.wakeAll();
    this.outgoing?.changed.wakeAll();
  }

  closedHere(): boolean {
    return this.holds.get(this.machine.currentProcess) === false;
  }

  /** _check_closed, for the calling process's copy. */
  checkOpen(): void {
    if (this.closedHere()) throw osError('handle is closed');
    this.hold(this.machine.currentProcess);
  }

  close(): void {
    const process = this.machine.currentProcess;
    if (this.holds.get(process) === false) return;
    this.hold(process);
    this.holds.set(process, false);
    this.machine.record('ipc', this.name, {action: 'close', thread: this.machine.currentThread.name});
    this.wakeStreams();
  }

  /** Closed in every process that holds it (see the module comment for an end nobody has used yet). */
  released(): boolean {
    if (!this.used) return false;
    for (const [process, open] of this.holds) if (open && process.alive) return false;
    return true;
  }

  private waitFor(stream: Stream, operation: string, timeoutUs: number | null = null): Blocking<boolean> {
    return stream.changed.wait({kind: 'pipe', name: `${this.name}.${operation}`}, timeoutUs);
  }

  /** _send: os.write in chunks, blocking while the buffer is full. */
  *write(message: Pickled): Blocking<void> {
    const stream = this.outgoing!;
    this.used = true;
    while (stream.writing) yield* this.waitFor(stream, 'send');
    stream.writing = true;
    try {
      if (stream.reader.released()) throw brokenPipe();
      const entry: InFlight = {...message, wire: message.bytes + HEADER_BYTES, written: 0, taken: 0};
      stream.messages.push(entry);
      yield nativeCpu(PIPE_MESSAGE_US);
      while (entry.written < entry.wire) {
        if (stream.reader.released()) throw brokenPipe();
        const space = stream.capacity - stream.buffered;
        if (space <= 0) {
          yield* this.waitFor(stream, 'send');
          continue;
        }
        const chunk = Math.min(space, entry.wire - entry.written);
        stream.buffered += chunk;
        const us = copyUs(entry.written, entry.written + chunk);
        if (us > 0) yield nativeCpu(us);
        entry.written += chunk;
        stream.changed.wakeAll();
      }
    } finally {
      stream.writing = false;
      stream.changed.wakeAll();
    }
  }

  /** _recv_bytes: a whole message, read in chunks as they arrive; EOFError if the writer is gone first. */
  *read(): Blocking<Pickled> {
    const stream = this.incoming!;
    this.used = true;
    while (stream.reading) yield* this.waitFor(stream, 'recv');
    stream.reading = true;
    try {
      while (!stream.readyToRead()) yield* this.waitFor(stream, 'recv');
      const head = stream.messages[0];
      if (head === undefined || head.written === head.taken) {
        // connection.py _recv: no byte of the message at all is EOF; part of one is a broken message.
        if (head !== undefined && head.taken > 0) throw osError('got end of file during message');
        throw eofError();
      }
      yield nativeCpu(PIPE_MESSAGE_US);
      while (head.taken < head.wire) {
        const available = head.written - head.taken;
        if (available === 0) {
          if (stream.writer.released()) throw osError('got end of file during message');
          yield* this.waitFor(stream, 'recv');
          continue;
        }
        // The reader frees the buffer as it copies out, so the writer can refill it meanwhile.
        const from = head.taken;
        head.taken += available;
        stream.buffered -= available;
        stream.changed.wakeAll();
        const us = copyUs(from, head.taken);
        if (us > 0) yield nativeCpu(us);
      }
      stream.messages.shift();
      return head;
    } finally {
      stream.reading = false;
      stream.changed.wakeAll();
    }
  }

  /** _poll: true if a message has started to arrive or the writer is gone; waits up to timeoutUs (null: forever). */
  *poll(timeoutUs: number | null): Blocking<boolean> {
    const stream = this.incoming!;
    this.used = true;
    yield cpu(POLL_US);
    const deadline = timeoutUs === null ? null : this.machine.now + Math.max(0, timeoutUs);
    for (;;) {
      if (stream.readyToRead()) return true;
      const left = deadline === null ? null : deadline - this.machine.now;
      if (left !== null && left <= 0) return false;
      yield* this.waitFor(stream, 'poll', left);
    }
  }
}

/** The two ends of a new pipe: [reader, writer] one-way (os.pipe), or two read-write ends (socketpair). */
function pipeHandles(machine: Machine, name: string, duplex: boolean, holders: [readonly OsProcess[], readonly OsProcess[]]): [Handle, Handle] {
  if (!duplex) {
    const stream = new Stream(machine, PIPE_CAPACITY_BYTES);
    stream.reader = new Handle(machine, `${name}[0]`, stream, null, holders[0]);
    stream.writer = new Handle(machine, `${name}[1]`, null, stream, holders[1]);
    return [stream.reader, stream.writer];
  }
  const toSecond = new Stream(machine, SOCKETPAIR_CAPACITY_BYTES);
  const toFirst = new Stream(machine, SOCKETPAIR_CAPACITY_BYTES);
  const first = new Handle(machine, `${name}[0]`, toFirst, toSecond, holders[0]);
  const second = new Handle(machine, `${name}[1]`, toSecond, toFirst, holders[1]);
  toSecond.writer = toFirst.reader = first;
  toFirst.writer = toSecond.reader = second;
  return [first, second];
}

/** The process creating a pipe holds both ends (none yet if the machine has not started running). */
function creator(machine: Machine): OsProcess[] {
  const process = machine.currentProcess as OsProcess | undefined;
  return process === undefined ? [] : [process];
}

/** multiprocessing.connection.Connection: one end of a Pipe. */
export class Connection<T = unknown> {
  readonly name: string;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly #machine: Machine;
  readonly #handle: Handle;

  constructor(machine: Machine, handle: Handle) {
    this.#machine = machine;
    this.#handle = handle;
    this.name = handle.name;
    this.readable = handle.incoming !== null;
    this.writable = handle.outgoing !== null;
  }

  /** True once this process has closed its copy. */
  get closed(): boolean {
    return this.#handle.closedHere();
  }

  /** Close this process's copy; the other end sees EOF once every copy is closed. */
  close(): void {
    this.#handle.close();
  }

  /** `yield* conn.send(obj)`: pickle (raising pickle's errors here), then write; blocks while the pipe is full. */
  *send(obj: T): Blocking<void> {
    this.#handle.checkOpen();
    if (!this.writable) throw osError('connection is read-only');
    const message = yield* dumps(obj);
    yield* this.#handle.write(message);
    this.#machine.record('ipc', this.name, {action: 'send', thread: this.#machine.currentThread.name, bytes: message.bytes});
  }

  /** `const obj = yield* conn.recv()`: blocks until a message arrives; EOFError once the other end is closed and drained. */
  *recv(): Blocking<T> {
    this.#handle.checkOpen();
    if (!this.readable) throw osError('connection is write-only');
    const message = yield* this.#handle.read();
    this.#machine.record('ipc', this.name, {action: 'recv', thread: this.#machine.currentThread.name, bytes: message.bytes});
    return (yield* loads(message)) as T;
  }

  /** `yield* conn.poll(timeoutUs)`: whether recv() would not block; 0 (the default) only checks, null waits forever. */
  *poll(timeoutUs: number | null = 0): Blocking<boolean> {
    this.#handle.checkOpen();
    if (!this.readable) throw osError('connection is write-only');
    checkTimeout(timeoutUs, 'timeoutUs');
    return yield* this.#handle.poll(timeoutUs);
  }
}

/**
 * multiprocessing.Pipe(duplex=True): `const [a, b] = Pipe(machine)`, each end both ways (a socket
 * pair); with `{duplex: false}` the first end only reads and the second only writes (an os.pipe).
 */
export function Pipe<T = unknown>(machine: Machine, {duplex = true}: {duplex?: boolean} = {}): [Connection<T>, Connection<T>] {
  const name = `Pipe-${nextNumber(machine, 'Pipe')}`;
  const holders = creator(machine);
  const [first, second] = pipeHandles(machine, name, duplex, [holders, holders]);
  return [new Connection<T>(machine, first), new Connection<T>(machine, second)];
}

// --- queues.py: Queue -------------------------------------------------------------------------

/** _multiprocessing.SemLock.SEM_VALUE_MAX on Linux (INT_MAX): the bound of a Queue created with maxsize <= 0. */
const SEM_VALUE_MAX = 2_147_483_647;

/** queues._sentinel: tells a feeder thread to exit. */
const SENTINEL = Symbol('sentinel');

/** What each process has of its own for a Queue (queues.py _reset, after fork or unpickling). */
interface QueueSide {
  buffer: unknown[];
  notEmpty: WaitQueue;
  feeder: PyThread | null;
  closed: boolean;
  sentinelSent: boolean;
  joinCancelled: boolean;
}

/**
 * multiprocessing.Queue(maxsize): `const q = new Queue(machine)`, then `yield* q.put(x)` and
 * `const x = yield* q.get()` in any process that has it.
 */
export class Queue<T = unknown> {
  readonly name: string;
  readonly #machine: Machine;
  readonly #maxsize: number;
  readonly #reader: Handle;
  readonly #writer: Handle;
  readonly #rlock: Semaphore;
  readonly #wlock: Semaphore;
  readonly #sem: BoundedSemaphore;
  readonly #repr: string;
  readonly #sides = new Map<OsProcess, QueueSide>();

  constructor(machine: Machine, maxsize = 0) {
    if (!Number.isInteger(maxsize)) throw new RangeError(`maxsize must be an integer, got ${String(maxsize)}`);
    this.#machine = machine;
    this.name = `Queue-${nextNumber(machine, 'Queue')}`;
    this.#maxsize = maxsize <= 0 ? SEM_VALUE_MAX : maxsize;
    const holders = creator(machine);
    [this.#reader, this.#writer] = pipeHandles(machine, `${this.name}.pipe`, false, [holders, holders]);
    // multiprocessing.Lock and BoundedSemaphore are POSIX semaphores shared by every process.
    this.#rlock = new Semaphore(machine, 1, `${this.name}._rlock`);
    this.#wlock = new Semaphore(machine, 1, `${this.name}._wlock`);
    this.#sem = new BoundedSemaphore(machine, this.#maxsize, `${this.name}._sem`);
    this.#repr = `<multiprocessing.queues.Queue object at ${fakeAddress(machine)}>`;
  }

  #side(): QueueSide {
    const process = this.#machine.currentProcess;
    let side = this.#sides.get(process);
    if (side === undefined) {
      side = {buffer: [], notEmpty: new WaitQueue(this.#machine), feeder: null, closed: false, sentinelSent: false, joinCancelled: false};
      this.#sides.set(process, side);
    }
    return side;
  }

  #checkNotClosed(side: QueueSide): void {
    if (side.closed) throw new ValueError(`Queue ${this.#repr} is closed`);
  }

  /** `yield* q.put(obj, {block, timeoutUs})`: queue.Full if the queue stays full; the feeder thread pickles and sends it later. */
  *put(obj: T, {block = true, timeoutUs = null}: {block?: boolean; timeoutUs?: number | null} = {}): Blocking<void> {
    checkTimeout(timeoutUs, 'timeoutUs');
    const side = this.#side();
    this.#checkNotClosed(side);
    // put()'s own bytecode: the buffer append and the Condition's notify.
    yield cpu(SMALL_STATEMENT_CPU_US);
    // SemLock.acquire(block, timeout): a timeout is ignored when not blocking, and a negative one is 0.
    const acquired = yield* this.#sem.acquire(block ? {timeoutUs: timeoutUs === null ? null : Math.max(0, timeoutUs)} : {blocking: false});
    if (!acquired) throw new QueueFull();
    if (side.feeder === null) yield* this.#startThread(side);
    side.buffer.push(obj);
    side.notEmpty.wakeAll();
    this.#machine.record('ipc', this.name, {action: 'put', thread: this.#machine.currentThread.name, qsize: this.qsize()});
  }

  /** `const obj = yield* q.get({block, timeoutUs})`: queue.Empty if nothing arrives in time. */
  *get({block = true, timeoutUs = null}: {block?: boolean; timeoutUs?: number | null} = {}): Blocking<T> {
    checkTimeout(timeoutUs, 'timeoutUs');
    this.#checkNotClosed(this.#side());
    let message: Pickled;
    if (block && timeoutUs === null) {
      yield* this.#rlock.acquire();
      try {
        message = yield* this.#reader.read();
      } finally {
        this.#rlock.release();
      }
      this.#sem.release();
    } else {
      const deadline = this.#machine.now + Math.max(0, timeoutUs ?? 0);
      const locked = yield* this.#rlock.acquire(block ? {timeoutUs: Math.max(0, timeoutUs!)} : {blocking: false});
      if (!locked) throw new QueueEmpty();
      try {
        if (!(yield* this.#reader.poll(block ? deadline - this.#machine.now : 0))) throw new QueueEmpty();
        message = yield* this.#reader.read();
        this.#sem.release();
      } finally {
        this.#rlock.release();
      }
    }
    this.#machine.record('ipc', this.name, {action: 'get', thread: this.#machine.currentThread.name, qsize: this.qsize()});
    // What Queue costs over a Pipe beyond the steps modelled here, such as the locks' system calls (MP_QUEUE_EXTRA_US).
    yield cpu(MP_QUEUE_EXTRA_US);
    return (yield* loads(message)) as T;
  }

  /** Items put and not yet got, including those still in a feeder's buffer (maxsize minus the semaphore's value). */
  qsize(): number {
    return this.#maxsize - this.#sem.value;
  }

  /** `yield* q.empty()`: polls the pipe, so it is false only once a feeder thread has written something. */
  *empty(): Blocking<boolean> {
    return !(yield* this.#reader.poll(0));
  }

  full(): boolean {
    return this.#sem.value === 0;
  }

  /** No more puts or gets from this process; its feeder thread flushes the buffer and exits. */
  close(): void {
    const side = this.#side();
    side.closed = true;
    if (side.feeder !== null && !side.sentinelSent) {
      side.sentinelSent = true;
      side.buffer.push(SENTINEL);
      side.notEmpty.wakeAll();
    }
  }

  /** `yield* q.join_thread()` after close(): wait until this process's feeder has written everything. */
  *join_thread(): Blocking<void> {
    const side = this.#side();
    if (!side.closed) throw new PythonError('AssertionError', `Queue ${this.#repr} not closed`);
    if (side.feeder !== null && !side.joinCancelled) yield side.feeder.join();
  }

  /** Let this process exit without waiting for its feeder: what is still buffered is lost. */
  cancel_join_thread(): void {
    this.#side().joinCancelled = true;
  }

  /**
   * Queue._start_thread: the daemon feeder thread, and the exit finalizers that close it and join it
   * (registered here, in the putting thread, so a process that puts and returns at once still flushes).
   */
  *#startThread(side: QueueSide): Blocking<void> {
    const queue = this;
    side.feeder = this.#machine.thread({
      name: 'QueueFeederThread',
      daemon: true,
      *target() {
        yield* queue.#feed(side);
      },
    });
    yield side.feeder.start();
    yield* atExit(this.#machine, this.name, function* () {
      queue.close();
      yield* queue.join_thread();
    });
  }

  /** Queue._feed: pickle each buffered object and write it under the write lock, until the sentinel. */
  *#feed(side: QueueSide): Blocking<void> {
    for (;;) {
      while (side.buffer.length === 0) yield* side.notEmpty.wait({kind: 'queue', name: `${this.name}._notempty`});
      const obj = side.buffer.shift();
      if (obj === SENTINEL) return;
      let message: Pickled;
      try {
        message = yield* dumps(obj);
      } catch (error) {
        if (!(error instanceof PythonError)) throw error;
        // _on_queue_feeder_error prints the traceback; the object is dropped and no longer counted.
        this.#sem.release();
        this.#machine.record('ipc', this.name, {action: 'feeder-error', thread: this.#machine.currentThread.name, type: error.pythonType, message: error.message});
        continue;
      }
      yield* this.#wlock.acquire();
      try {
        yield* this.#writer.write(message);
      } finally {
        this.#wlock.release();
      }
    }
  }
}

// --- sharedctypes.py: Value and Array ---------------------------------------------------------

interface CType {
  name: string;
  size: number;
  kind: 'signed' | 'unsigned' | 'float' | 'char';
}

/** sharedctypes.typecode_to_type, with ctypes' sizes on Linux x86-64. */
const CTYPES: {[typecode: string]: CType} = {
  c: {name: 'c_char', size: 1, kind: 'char'},
  b: {name: 'c_byte', size: 1, kind: 'signed'},
  B: {name: 'c_ubyte', size: 1, kind: 'unsigned'},
  h: {name: 'c_short', size: 2, kind: 'signed'},
  H: {name: 'c_ushort', size: 2, kind: 'unsigned'},
  i: {name: 'c_int', size: 4, kind: 'signed'},
  I: {name: 'c_uint', size: 4, kind: 'unsigned'},
  l: {name: 'c_long', size: 8, kind: 'signed'},
  L: {name: 'c_ulong', size: 8, kind: 'unsigned'},
  q: {name: 'c_longlong', size: 8, kind: 'signed'},
  Q: {name: 'c_ulonglong', size: 8, kind: 'unsigned'},
  f: {name: 'c_float', size: 4, kind: 'float'},
  d: {name: 'c_double', size: 8, kind: 'float'},
};

export type NumericTypecode = 'b' | 'B' | 'h' | 'H' | 'i' | 'I' | 'l' | 'L' | 'q' | 'Q' | 'f' | 'd';

function ctypeOf(typecode: string): CType {
  if (typecode === 'u') throw new RangeError("typecode 'u' (c_wchar) is not modelled: use 'c' for bytes or a numeric typecode");
  const ctype = Object.hasOwn(CTYPES, typecode) ? CTYPES[typecode] : undefined;
  // sharedctypes looks the code up and then calls ctypes.sizeof on whatever it got.
  if (ctype === undefined) throw new PythonError('TypeError', 'this type has no size');
  return ctype;
}

/** Store a Python number as the C type does: integers wrap to its width, floats round to its precision. */
function toC(ctype: CType, value: unknown): number {
  const number = typeof value === 'boolean' ? Number(value) : value;
  if (ctype.kind === 'float') {
    if (typeof number !== 'number') throw new PythonError('TypeError', `must be real number, not ${pythonTypeName(value)}`);
    return ctype.size === 4 ? Math.fround(number) : number;
  }
  if (typeof number !== 'number' || !Number.isInteger(number)) {
    throw new PythonError('TypeError', `'${pythonTypeName(value)}' object cannot be interpreted as an integer`);
  }
  const bits = ctype.size * 8;
  // 64-bit values beyond 2**53 lose precision as JavaScript numbers.
  return Number(ctype.kind === 'signed' ? BigInt.asIntN(bits, BigInt(number)) : BigInt.asUintN(bits, BigInt(number)));
}

type SharedLock = Lock | RLock;

/**
 * multiprocessing.RLock (synchronize.py): a POSIX semaphore. Releasing it wakes a waiter to race
 * for it; unlike threading's PyMutex it never hands itself to a waiter that has waited 1 ms.
 */
class SemLockRLock extends RLock {
  override park(thread: PyThread, _nowUs: number): void {
    super.park(thread, Number.POSITIVE_INFINITY);
  }
}

/** The lock a synchronized wrapper uses: a new multiprocessing.RLock for true, the given one, or none for false. */
function lockFor(lock: boolean | SharedLock, name: string): SharedLock | null {
  if (lock === false) return null;
  return lock === true ? new SemLockRLock(`${name}.lock`) : lock;
}

/**
 * One access to shared memory (SynchronizedBase: `with self._lock: ...`): the call and the lock's
 * round trip (SHARED_VALUE_ACCESS_US), then the copy of `bytes` while holding the lock.
 */
function* sharedAccess<R>(machine: Machine, name: string, lock: SharedLock | null, action: string, bytes: number, act: () => R): Blocking<R> {
  yield cpu(SHARED_VALUE_ACCESS_US);
  if (lock !== null) yield lock.acquire();
  try {
    const copyUs = Math.ceil((bytes * SHARED_MEMORY_NS_PER_BYTE) / 1000);
    if (copyUs > 0) yield cpu(copyUs);
    machine.record('ipc', name, {action, thread: machine.currentThread.name, bytes});
    return act();
  } finally {
    if (lock !== null) yield lock.release();
  }
}

/** The AttributeError of get_lock() on a raw ctypes object (lock=False). */
function noLock(typeName: string): PythonError {
  return new PythonError('AttributeError', `'${typeName}' object has no attribute 'get_lock'`);
}

/** sharedctypes.Synchronized: one C value in shared memory. `.value` is getValue() / setValue(), each under the lock. */
export class Synchronized {
  readonly name: string;
  readonly typecode: NumericTypecode;
  readonly #machine: Machine;
  readonly #ctype: CType;
  readonly #lock: SharedLock | null;
  #value: number;

  constructor(machine: Machine, typecode: NumericTypecode, initial: number, lock: boolean | SharedLock) {
    this.#machine = machine;
    this.typecode = typecode;
    this.#ctype = ctypeOf(typecode);
    if (this.#ctype.kind === 'char') throw new RangeError("Value('c') is not modelled: use Array('c', size) for bytes");
    this.#value = toC(this.#ctype, initial);
    this.name = `Value-${nextNumber(machine, 'Value')}`;
    this.#lock = lockFor(lock, this.name);
  }

  /** The lock every access takes; hold it around a read and a write to make them one step. */
  get_lock(): SharedLock {
    if (this.#lock === null) throw noLock(this.#ctype.name);
    return this.#lock;
  }

  /** `const x = yield* v.getValue()`: v.value. */
  *getValue(): Blocking<number> {
    return yield* sharedAccess(this.#machine, this.name, this.#lock, 'read', this.#ctype.size, () => this.#value);
  }

  /** `yield* v.setValue(x)`: v.value = x. */
  *setValue(value: number): Blocking<void> {
    const stored = toC(this.#ctype, value);
    yield* sharedAccess(this.#machine, this.name, this.#lock, 'write', this.#ctype.size, () => {
      this.#value = stored;
    });
  }
}

/** ctypes indexing: negative counts from the end; outside the array is IndexError('invalid index'). */
function arrayIndex(length: number, index: number): number {
  if (!Number.isInteger(index)) throw new PythonError('TypeError', 'indices must be integers');
  const position = index < 0 ? index + length : index;
  if (position < 0 || position >= length) throw new PythonError('IndexError', 'invalid index');
  return position;
}

/** A slice's bounds as Python computes them (negative from the end, clamped), as Array.prototype.slice does. */
function sliceBounds(length: number, start: number, stop: number): [number, number] {
  const clamp = (index: number) => Math.min(length, Math.max(0, index < 0 ? index + length : index));
  const from = clamp(start);
  return [from, Math.max(from, clamp(stop))];
}

/** sharedctypes.SynchronizedArray: an array of C numbers in shared memory. */
export class SynchronizedArray {
  readonly name: string;
  readonly typecode: NumericTypecode;
  readonly length: number;
  readonly #machine: Machine;
  readonly #ctype: CType;
  readonly #lock: SharedLock | null;
  readonly #values: number[];

  constructor(machine: Machine, typecode: NumericTypecode, values: number[], lock: boolean | SharedLock) {
    this.#machine = machine;
    this.typecode = typecode;
    this.#ctype = ctypeOf(typecode);
    this.#values = values;
    this.length = values.length;
    this.name = `Array-${nextNumber(machine, 'Array')}`;
    this.#lock = lockFor(lock, this.name);
  }

  get_lock(): SharedLock {
    if (this.#lock === null) throw noLock(`${this.#ctype.name}_Array_${this.length}`);
    return this.#lock;
  }

  /** `yield* a.getItem(i)`: a[i]. */
  *getItem(index: number): Blocking<number> {
    const position = arrayIndex(this.length, index);
    return yield* sharedAccess(this.#machine, this.name, this.#lock, 'read', this.#ctype.size, () => this.#values[position]);
  }

  /** `yield* a.setItem(i, x)`: a[i] = x. */
  *setItem(index: number, value: number): Blocking<void> {
    const position = arrayIndex(this.length, index);
    const stored = toC(this.#ctype, value);
    yield* sharedAccess(this.#machine, this.name, this.#lock, 'write', this.#ctype.size, () => {
      this.#values[position] = stored;
    });
  }

  /** `yield* a.getSlice(start, stop)`: a[start:stop], a copy. */
  *getSlice(start = 0, stop = this.length): Blocking<number[]> {
    const [from, to] = sliceBounds(this.length, start, stop);
    return yield* sharedAccess(this.#machine, this.name, this.#lock, 'read', (to - from) * this.#ctype.size, () => this.#values.slice(from, to));
  }

  /** `yield* a.setSlice(start, stop, values)`: a[start:stop] = values, which must have the slice's length. */
  *setSlice(start: number, stop: number, values: readonly number[]): Blocking<void> {
    const [from, to] = sliceBounds(this.length, start, stop);
    if (values.length !== to - from) throw new ValueError('Can only assign sequence of same size');
    const stored = values.map((value) => toC(this.#ctype, value));
    yield* sharedAccess(this.#machine, this.name, this.#lock, 'write', stored.length * this.#ctype.size, () => {
      this.#values.splice(from, stored.length, ...stored);
    });
  }
}

/**
 * sharedctypes.SynchronizedString: Array('c', n), n bytes of shared memory. `.raw` is getRaw() /
 * setRaw(), a memcpy under the lock, with no pickling. Bytes are Payloads here: lengths, not contents.
 */
export class SynchronizedString {
  readonly name: string;
  readonly length: number;
  readonly #machine: Machine;
  readonly #lock: SharedLock | null;

  constructor(machine: Machine, length: number, lock: boolean | SharedLock) {
    this.#machine = machine;
    this.length = length;
    this.name = `Array-${nextNumber(machine, 'Array')}`;
    this.#lock = lockFor(lock, this.name);
  }

  get_lock(): SharedLock {
    if (this.#lock === null) throw noLock(`c_char_Array_${this.length}`);
    return this.#lock;
  }

  /** `const data = yield* s.getRaw()`: s.raw, all `length` bytes. */
  *getRaw(): Blocking<Payload> {
    return yield* sharedAccess(this.#machine, this.name, this.#lock, 'read', this.length, () => new Payload(this.length));
  }

  /** `yield* s.setRaw(data)`: s.raw = data, at most `length` bytes. */
  *setRaw(data: Payload): Blocking<void> {
    if (!(data instanceof Payload)) throw new PythonError('TypeError', `a bytes-like object is required, not '${pythonTypeName(data)}'`);
    if (data.bytes > this.length) throw new ValueError('byte string too long');
    yield* sharedAccess(this.#machine, this.name, this.#lock, 'write', data.bytes, () => undefined);
  }
}

/**
 * multiprocessing.Value(typecode, initial, lock=True): `const v = Value(machine, 'i', 0)`. With
 * `{lock: false}` no lock is taken (sharedctypes.RawValue) and get_lock() raises AttributeError.
 */
export function Value(machine: Machine, typecode: NumericTypecode, initial = 0, {lock = true}: {lock?: boolean | SharedLock} = {}): Synchronized {
  return new Synchronized(machine, typecode, initial, lock);
}

/**
 * multiprocessing.Array(typecode, size_or_initializer, lock=True): zeros of a given length, or
 * the given values. Typecode 'c' makes a byte string (SynchronizedString) whose size or initial
 * bytes (a Payload) set its length.
 */
function sharedArray(machine: Machine, typecode: 'c', sizeOrInitializer: number | Payload, options?: {lock?: boolean | SharedLock}): SynchronizedString;
function sharedArray(machine: Machine, typecode: NumericTypecode, sizeOrInitializer: number | readonly number[], options?: {lock?: boolean | SharedLock}): SynchronizedArray;
function sharedArray(
  machine: Machine,
  typecode: 'c' | NumericTypecode,
  sizeOrInitializer: number | Payload | readonly number[],
  {lock = true}: {lock?: boolean | SharedLock} = {},
): SynchronizedString | SynchronizedArray {
  const ctype = ctypeOf(typecode);
  let length: number;
  if (typeof sizeOrInitializer === 'number') {
    if (!Number.isInteger(sizeOrInitializer)) throw new PythonError('TypeError', "object of type 'float' has no len()");
    if (sizeOrInitializer < 0) throw new ValueError(`Array length must be >= 0, not ${sizeOrInitializer}`);
    length = sizeOrInitializer;
  } else {
    length = sizeOrInitializer instanceof Payload ? sizeOrInitializer.bytes : sizeOrInitializer.length;
  }
  if (ctype.kind === 'char') {
    if (typeof sizeOrInitializer !== 'number' && !(sizeOrInitializer instanceof Payload)) {
      throw new RangeError("Array('c', ...) takes a size or bytes (a Payload), not a list");
    }
    return new SynchronizedString(machine, length, lock);
  }
  if (sizeOrInitializer instanceof Payload) throw new RangeError(`Array('${typecode}', bytes) needs the bytes' values, and a Payload has only a length: give a list of numbers`);
  const values = typeof sizeOrInitializer === 'number' ? new Array<number>(length).fill(0) : sizeOrInitializer.map((value) => toC(ctype, value));
  return new SynchronizedArray(machine, typecode as NumericTypecode, values, lock);
}

export {sharedArray as Array};

// --- managers.py: Manager, SyncManager and its list and dict proxies --------------------------

type Request = [ident: string | null, method: string, args: unknown[], kwds: {[key: string]: unknown}];
type Reply = ['#RETURN', unknown] | ['#ERROR', PythonError];
type DictKey = string | number;
type Referent = {typeid: 'list'; value: unknown[]} | {typeid: 'dict'; value: Map<DictKey, unknown>};

/** A slice passed to __getitem__ (Python's slice(start, stop)). */
class Slice {
  constructor(
    readonly start: number,
    readonly stop: number,
  ) {}
}

function pyRepr(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

function listIndex(list: readonly unknown[], index: unknown, message: string): number {
  if (typeof index !== 'number' || !Number.isInteger(index)) throw new PythonError('TypeError', `list indices must be integers or slices, not ${pythonTypeName(index)}`);
  const position = index < 0 ? index + list.length : index;
  if (position < 0 || position >= list.length) throw new PythonError('IndexError', message);
  return position;
}

/** The list methods a ListProxy exposes (managers.py BaseListProxy), run in the server. */
const LIST_METHODS: {[method: string]: (list: unknown[], args: unknown[]) => unknown} = {
  append: (list, [item]) => {
    list.push(item);
    return null;
  },
  extend: (list, [items]) => {
    list.push(...(items as unknown[]));
    return null;
  },
  pop: (list, [index = -1]) => {
    if (list.length === 0) throw new PythonError('IndexError', 'pop from empty list');
    return list.splice(listIndex(list, index, 'pop index out of range'), 1)[0];
  },
  __getitem__: (list, [index]) => (index instanceof Slice ? list.slice(...sliceBounds(list.length, index.start, index.stop)) : list[listIndex(list, index, 'list index out of range')]),
  __setitem__: (list, [index, item]) => {
    list[listIndex(list, index, 'list assignment index out of range')] = item;
    return null;
  },
  __len__: (list) => list.length,
  '#GETVALUE': (list) => list,
};

function dictKey(map: Map<DictKey, unknown>, key: unknown): DictKey {
  if (!map.has(key as DictKey)) throw new PythonError('KeyError', pyRepr(key));
  return key as DictKey;
}

/** The dict methods a DictProxy exposes (managers.py DictProxy), run in the server. */
const DICT_METHODS: {[method: string]: (map: Map<DictKey, unknown>, args: unknown[]) => unknown} = {
  __getitem__: (map, [key]) => map.get(dictKey(map, key)),
  __setitem__: (map, [key, value]) => {
    map.set(key as DictKey, value);
    return null;
  },
  __delitem__: (map, [key]) => {
    map.delete(dictKey(map, key));
    return null;
  },
  __contains__: (map, [key]) => map.has(key as DictKey),
  __len__: (map) => map.size,
  get: (map, [key, fallback = null]) => (map.has(key as DictKey) ? map.get(key as DictKey) : fallback),
  pop: (map, [key]) => {
    const value = map.get(dictKey(map, key));
    map.delete(key as DictKey);
    return value;
  },
  keys: (map) => [...map.keys()],
  values: (map) => [...map.values()],
  items: (map) => [...map.entries()],
  copy: (map) => map,
  '#GETVALUE': (map) => map,
};

/** managers.dispatch: send a request on a connection and return the reply, or raise the error it carries. */
function* dispatch(conn: Connection, ident: string | null, method: string, args: unknown[]): Blocking<unknown> {
  const request: Request = [ident, method, args, {}];
  yield* conn.send(request);
  const [kind, result] = (yield* conn.recv()) as Reply;
  if (kind === '#ERROR') throw result;
  return result;
}

type CallMethod = (method: string, args: unknown[]) => Blocking<unknown>;

/** managers.ListProxy: every call is a round trip to the manager's server process. */
export class ListProxy<T = unknown> {
  readonly typeid = 'list';
  readonly #call: CallMethod;

  constructor(call: CallMethod) {
    this.#call = call;
  }

  /** BaseProxy._callmethod: any method of the list in the server, by name. */
  _callmethod(method: string, args: unknown[] = []): Blocking<unknown> {
    return this.#call(method, args);
  }

  *append(item: T): Blocking<void> {
    yield* this.#call('append', [item]);
  }

  *extend(items: readonly T[]): Blocking<void> {
    yield* this.#call('extend', [items]);
  }

  *pop(index = -1): Blocking<T> {
    return (yield* this.#call('pop', [index])) as T;
  }

  /** `yield* proxy.getItem(i)`: proxy[i], a copy of the item. */
  *getItem(index: number): Blocking<T> {
    return (yield* this.#call('__getitem__', [index])) as T;
  }

  /** `yield* proxy.setItem(i, x)`: proxy[i] = x. */
  *setItem(index: number, item: T): Blocking<void> {
    yield* this.#call('__setitem__', [index, item]);
  }

  /** `yield* proxy.getSlice(start, stop)`: proxy[start:stop], in one round trip. */
  *getSlice(start = 0, stop = Number.MAX_SAFE_INTEGER): Blocking<T[]> {
    return (yield* this.#call('__getitem__', [new Slice(start, stop)])) as T[];
  }

  *len(): Blocking<number> {
    return (yield* this.#call('__len__', [])) as number;
  }

  /** _getvalue(): a copy of the whole list. */
  *copy(): Blocking<T[]> {
    return (yield* this.#call('#GETVALUE', [])) as T[];
  }
}

/** managers.DictProxy: every call is a round trip to the manager's server process. Keys are str or int. */
export class DictProxy<K extends DictKey = DictKey, V = unknown> {
  readonly typeid = 'dict';
  readonly #call: CallMethod;

  constructor(call: CallMethod) {
    this.#call = call;
  }

  _callmethod(method: string, args: unknown[] = []): Blocking<unknown> {
    return this.#call(method, args);
  }

  /** `yield* proxy.getItem(key)`: proxy[key]; KeyError if missing. */
  *getItem(key: K): Blocking<V> {
    return (yield* this.#call('__getitem__', [key])) as V;
  }

  /** `yield* proxy.setItem(key, value)`: proxy[key] = value. */
  *setItem(key: K, value: V): Blocking<void> {
    yield* this.#call('__setitem__', [key, value]);
  }

  /** `yield* proxy.delItem(key)`: del proxy[key]. */
  *delItem(key: K): Blocking<void> {
    yield* this.#call('__delitem__', [key]);
  }

  /** proxy.get(key, default). */
  *get<D = null>(key: K, fallback: D | null = null): Blocking<V | D | null> {
    return (yield* this.#call('get', [key, fallback])) as V | D | null;
  }

  /** `key in proxy`. */
  *contains(key: K): Blocking<boolean> {
    return (yield* this.#call('__contains__', [key])) as boolean;
  }

  *pop(key: K): Blocking<V> {
    return (yield* this.#call('pop', [key])) as V;
  }

  *len(): Blocking<number> {
    return (yield* this.#call('__len__', [])) as number;
  }

  *keys(): Blocking<K[]> {
    return (yield* this.#call('keys', [])) as K[];
  }

  *values(): Blocking<V[]> {
    return (yield* this.#call('values', [])) as V[];
  }

  *items(): Blocking<[K, V][]> {
    return (yield* this.#call('items', [])) as [K, V][];
  }

  /** proxy.copy(): a copy of the whole dict. */
  *copy(): Blocking<Map<K, V>> {
    return (yield* this.#call('copy', [])) as Map<K, V>;
  }
}

export interface ManagerOptions {
  /** The server process's start method; default: the Python version's default. */
  startMethod?: StartMethod;
  pythonVersion?: PythonVersion;
}

/**
 * managers.SyncManager: a server process holding shared objects, and proxies to them. Manager()
 * starts one; `new SyncManager(machine)` then `yield* manager.start()` does the same in two steps.
 */
export class SyncManager {
  readonly #machine: Machine;
  readonly #options: ManagerOptions;
  #state: 'initial' | 'started' | 'shutdown' = 'initial';
  #process: Process | null = null;
  #name = '';
  #address = '';
  /** Connections waiting for the server's accepter thread (the listening socket's backlog). */
  readonly #backlog: Handle[] = [];
  readonly #backlogChanged: WaitQueue;
  readonly #stop: Event;
  readonly #referents = new Map<string, Referent>();
  /** Each client thread's connection to the server (BaseProxy._tls.connection). */
  readonly #connections = new Map<PyThread, Connection>();

  constructor(machine: Machine, options: ManagerOptions = {}) {
    this.#machine = machine;
    this.#options = options;
    this.#backlogChanged = new WaitQueue(machine);
    this.#stop = new Event(machine, 'Server.stop_event');
  }

  /** BaseManager.start: start the server process and wait until it reports its address. */
  *start(): Blocking<void> {
    if (this.#state === 'started') throw new PythonError('ProcessError', 'Already started server');
    if (this.#state === 'shutdown') throw new PythonError('ProcessError', 'Manager has shut down');
    const machine = this.#machine;
    const manager = this;
    const [reader, writer] = Pipe<string>(machine, {duplex: false});
    this.#name = `SyncManager-${nextProcessNumber(machine)}`;
    this.#process = new Process(machine, {
      target: pyfunc('BaseManager._run_server', function* () {
        yield* manager.#runServer(writer);
      }),
      name: this.#name,
      startMethod: this.#options.startMethod,
      pythonVersion: this.#options.pythonVersion,
    });
    yield* this.#process.start();
    writer.close();
    this.#address = yield* reader.recv();
    reader.close();
    this.#state = 'started';
    machine.record('ipc', this.#name, {action: 'started', address: this.#address});
    yield* atExit(machine, this.#name, function* () {
      yield* manager.shutdown();
    });
  }

  /** `const shared = yield* manager.list(initial)`: a new list in the server and a proxy to it. */
  *list<T = unknown>(initial: readonly T[] = []): Blocking<ListProxy<T>> {
    const ident = yield* this.#create('list', [...initial]);
    return new ListProxy<T>((method, args) => this.#callmethod(ident, method, args));
  }

  /** `const shared = yield* manager.dict(entries)`: a new dict in the server and a proxy to it. */
  *dict<K extends DictKey = DictKey, V = unknown>(initial: Iterable<[K, V]> = []): Blocking<DictProxy<K, V>> {
    const ident = yield* this.#create('dict', [...initial]);
    return new DictProxy<K, V>((method, args) => this.#callmethod(ident, method, args));
  }

  /** `yield* manager.shutdown()`: ask the server to stop and wait for its process (at most 1 s, _finalize_manager's timeout). */
  *shutdown(): Blocking<void> {
    if (this.#state !== 'started') return;
    this.#state = 'shutdown';
    if (this.#process!.is_alive()) {
      const conn = this.#connect();
      try {
        yield* dispatch(conn, null, 'shutdown', []);
      } finally {
        conn.close();
      }
      yield* this.#process!.join(1_000_000);
    }
    this.#machine.record('ipc', this.#name, {action: 'shutdown'});
  }

  /** BaseManager._create, then the proxy's _incref: two short-lived connections, one request each. */
  *#create(typeid: 'list' | 'dict', initial: unknown[]): Blocking<string> {
    if (this.#state !== 'started') throw new PythonError('AssertionError', 'server not yet started');
    const conn = this.#connect();
    let ident: string;
    try {
      ident = (yield* dispatch(conn, null, 'create', [typeid, initial])) as string;
    } finally {
      conn.close();
    }
    const increfConn = this.#connect();
    try {
      yield* dispatch(increfConn, null, 'incref', [ident]);
    } finally {
      increfConn.close();
    }
    return ident;
  }

  /** BaseProxy._callmethod: on this thread's connection, made on first use (BaseProxy._connect). */
  *#callmethod(ident: string, method: string, args: unknown[]): Blocking<unknown> {
    const thread = this.#machine.currentThread;
    let conn = this.#connections.get(thread);
    if (conn === undefined) {
      conn = this.#connect();
      this.#connections.set(thread, conn);
      yield* dispatch(conn, null, 'accept_connection', [thread.name]);
    }
    this.#machine.record('ipc', this.#name, {action: 'call', method, thread: thread.name});
    return yield* dispatch(conn, ident, method, args);
  }

  /** connection.Client(address): a socket to the server's listener; its accepter picks the other end up. */
  #connect(): Connection {
    // The listener's socket file is removed when the server exits.
    if (!this.#process?.is_alive()) throw new PythonError('FileNotFoundError', '[Errno 2] No such file or directory');
    const name = `${this.#name}.conn-${nextNumber(this.#machine, `${this.#name}.conn`)}`;
    const [client, server] = pipeHandles(this.#machine, name, true, [creator(this.#machine), []]);
    this.#backlog.push(server);
    this.#backlogChanged.wakeAll();
    return new Connection(this.#machine, client);
  }

  /** BaseManager._run_server and Server.serve_forever: report the address, accept connections until stopped. */
  *#runServer(addressWriter: Connection<string>): Blocking<void> {
    const machine = this.#machine;
    const manager = this;
    this.#address = `/tmp/pymp-sim/listener-${nextNumber(machine, 'listener')}`;
    yield* addressWriter.send(this.#address);
    addressWriter.close();
    const accepter = machine.thread({
      daemon: true,
      *target() {
        yield* manager.#accept();
      },
    });
    yield accepter.start();
    yield* this.#stop.wait();
    // sys.exit(0): the daemon threads serving clients die with the process, closing its connections.
  }

  /** Server.accepter: a daemon thread per connection (Server.handle_request, then serve_client). */
  *#accept(): Blocking<void> {
    const machine = this.#machine;
    const manager = this;
    for (;;) {
      while (this.#backlog.length === 0) yield* this.#backlogChanged.wait({kind: 'socket', name: `${this.#name}.accept`});
      const conn = new Connection(machine, this.#backlog.shift()!);
      const handler = machine.thread({
        daemon: true,
        *target() {
          yield* manager.#serveClient(conn);
        },
      });
      yield handler.start();
    }
  }

  /** Server.serve_client: receive a request, dispatch it, send the result or the error, until the client hangs up. */
  *#serveClient(conn: Connection): Blocking<void> {
    for (;;) {
      let request: Request;
      try {
        request = (yield* conn.recv()) as Request;
      } catch (error) {
        if (error instanceof PythonError && error.pythonType === 'EOFError') return;
        throw error;
      }
      const [ident, method, args] = request;
      yield cpu(MANAGER_DISPATCH_US);
      let reply: Reply;
      try {
        reply = ['#RETURN', this.#perform(ident, method, args)];
      } catch (error) {
        if (!(error instanceof PythonError)) throw error;
        reply = ['#ERROR', error];
      }
      try {
        yield* conn.send(reply);
      } catch (error) {
        // The client went away; serve_client gives up on this connection.
        if (error instanceof PythonError) return;
        throw error;
      }
      if (method === 'shutdown') this.#stop.set();
    }
  }

  /** The server side of a request: Server.create / incref / accept_connection / shutdown, or a method of a shared object. */
  #perform(ident: string | null, method: string, args: unknown[]): unknown {
    if (ident === null) {
      if (method !== 'create') return null;
      const [typeid, initial] = args as ['list' | 'dict', unknown[]];
      const created = fakeAddress(this.#machine).slice(2);
      this.#referents.set(created, typeid === 'list' ? {typeid, value: initial} : {typeid, value: new Map(initial as [DictKey, unknown][])});
      return created;
    }
    const referent = this.#referents.get(ident);
    if (referent === undefined) throw new PythonError('KeyError', pyRepr(ident));
    const methods: {[method: string]: (value: never, args: unknown[]) => unknown} = referent.typeid === 'list' ? LIST_METHODS : DICT_METHODS;
    if (!Object.hasOwn(methods, method)) {
      throw new PythonError('AttributeError', `method '${method}' of <class '${referent.typeid}'> object is not in exposed=(${Object.keys(methods).map((name) => `'${name}'`).join(', ')})`);
    }
    return methods[method](referent.value as never, args);
  }
}

/** multiprocessing.Manager(): `const manager = yield* Manager(machine)`, a started SyncManager (a process start). */
export function* Manager(machine: Machine, options: ManagerOptions = {}): Blocking<SyncManager> {
  const manager = new SyncManager(machine, options);
  yield* manager.start();
  return manager;
}
