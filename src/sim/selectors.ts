/**
 * Sockets as file descriptors, and the multiplexing calls that watch them, mirroring CPython's
 * Lib/selectors.py (SelectSelector, PollSelector, EpollSelector, DefaultSelector) over
 * Modules/selectmodule.c and the Linux system calls under it (select(2), poll(2), epoll(7)).
 *
 * Data is counted in bytes, not carried. A socket is readable when bytes wait in its receive
 * buffer or the peer has closed (recv then returns 0). Non-blocking recv on an empty buffer raises
 * BlockingIOError (EAGAIN), as Python does. Each wait call's cost comes from constants.ts: select
 * and poll pay for every watched fd on every call (and again after sleeping, as do_select and
 * do_poll rescan on wake-up); epoll pays once at registration, then per ready event.
 */
import {
  EPOLL_CALL_BASE_NS,
  EPOLL_CTL_NS,
  EPOLL_PER_READY_NS,
  FD_SETSIZE,
  POLL_CALL_BASE_NS,
  POLL_PER_FD_NS,
  SELECT_CALL_BASE_NS,
  SELECT_PER_FD_NS,
} from './constants';
import {PythonError} from './errors';
import {assertNonNegativeInteger, type Environment, type Scheduled, type SimEvent} from './kernel';

export const EVENT_READ = 1;
export const EVENT_WRITE = 2;

/** OSError subclasses carry errno, as in Python. */
export class BlockingIOError extends PythonError {
  readonly errno = 11;
  constructor() {
    super('BlockingIOError', '[Errno 11] Resource temporarily unavailable');
  }
}

export const valueError = (message: string): PythonError => new PythonError('ValueError', message);

/** What answers on the far end of a connection: after the request, the response streams back. */
export interface Peer {
  /** Round trip from our send to the first response byte, in microseconds. */
  latencyUs: number;
  responseBytes: number;
  /** Bytes per second of the path. */
  bandwidthBytesPerSecond: number;
  /** Bytes per arrival (a TCP read's worth); defaults to 64 KiB. */
  chunkBytes?: number;
}

export class Socket {
  blocking = true;
  private buffered = 0;
  private eof = false;
  private closed = false;
  /** Called on every arrival of data or EOF (the kernel's wait-queue wake-up). */
  readonly listeners = new Set<(socket: Socket) => void>();

  constructor(
    readonly fd: number,
    private readonly io: IoSystem,
    private readonly peer: Peer | null,
  ) {}

  setblocking(flag: boolean): void {
    this.blocking = flag;
  }

  get readable(): boolean {
    return this.buffered > 0 || this.eof;
  }

  /** The send buffer never fills in this model. */
  get writable(): boolean {
    return !this.closed;
  }

  fileno(): number {
    if (this.closed) return -1;
    return this.fd;
  }

  /** Send a request: the peer answers after its latency, at its bandwidth. Returns bytes sent. */
  send(bytes: number): number {
    this.checkOpen();
    assertNonNegativeInteger(bytes, 'send(bytes)');
    if (this.peer !== null) this.io.respond(this, this.peer);
    return bytes;
  }

  /** Bytes received (0 at end of stream); BlockingIOError when non-blocking and nothing waits. */
  recv(bufsize: number): number {
    this.checkOpen();
    if (!Number.isInteger(bufsize) || bufsize < 0) throw valueError('negative buffersize in recv');
    if (this.buffered === 0) {
      if (this.eof) return 0;
      if (!this.blocking) throw new BlockingIOError();
      throw new Error(`recv on blocking socket fd ${this.fd} with nothing buffered: model blocking reads as a thread's io(us) step, or call setblocking(false)`);
    }
    const taken = Math.min(bufsize, this.buffered);
    this.buffered -= taken;
    return taken;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.io.release(this.fd);
  }

  /** The network delivers bytes (or the peer's FIN when bytes is 0 and `end` is set). */
  deliver(bytes: number, end: boolean): void {
    if (this.closed) return;
    this.buffered += bytes;
    if (end) this.eof = true;
    for (const listener of [...this.listeners]) listener(this);
  }

  private checkOpen(): void {
    if (this.closed) throw new PythonError('OSError', '[Errno 9] Bad file descriptor');
  }
}

/** The process's fd table and the network: fds are allocated lowest-free first, as POSIX requires. */
export class IoSystem {
  private readonly used = new Set<number>([0, 1, 2]);
  /** No fd below this is free: allocation scans from here. */
  private lowestFree = 3;

  constructor(readonly env: Environment) {}

  /** A connected, non-blocking-capable socket; `peer` answers what we send. */
  socket(peer: Peer | null = null): Socket {
    return new Socket(this.allocate(), this, peer);
  }

  /** Occupy `count` fds with other open files (so later sockets get high fd values). */
  openFiles(count: number): void {
    assertNonNegativeInteger(count, 'openFiles(count)');
    for (let index = 0; index < count; index += 1) this.allocate();
  }

  release(fd: number): void {
    this.used.delete(fd);
    this.lowestFree = Math.min(this.lowestFree, fd);
  }

  respond(socket: Socket, peer: Peer): void {
    assertNonNegativeInteger(peer.latencyUs, 'peer.latencyUs');
    if (!(peer.bandwidthBytesPerSecond > 0)) throw new RangeError(`peer.bandwidthBytesPerSecond must be positive, got ${String(peer.bandwidthBytesPerSecond)}`);
    const chunk = peer.chunkBytes ?? 64 * 1024;
    let sent = 0;
    let at = peer.latencyUs;
    do {
      const bytes = Math.min(chunk, peer.responseBytes - sent);
      sent += bytes;
      at += Math.round((bytes / peer.bandwidthBytesPerSecond) * 1_000_000);
      const last = sent >= peer.responseBytes;
      this.env.schedule(at, () => socket.deliver(bytes, last));
    } while (sent < peer.responseBytes);
  }

  private allocate(): number {
    let fd = this.lowestFree;
    while (this.used.has(fd)) fd += 1;
    this.used.add(fd);
    this.lowestFree = fd + 1;
    return fd;
  }
}

export interface SelectorKey {
  fileobj: Socket;
  fd: number;
  events: number;
  data: unknown;
}

export interface SelectResult {
  /** (key, ready events) pairs, as selectors.BaseSelector.select returns them. */
  events: [SelectorKey, number][];
  /** Time the call spent in the CPU (copying, scanning), excluding the sleep; costNs unrounded. */
  costUs: number;
  costNs: number;
  /** Time spent asleep waiting for readiness or the timeout. */
  waitedUs: number;
}

export type SelectorKind = 'select' | 'poll' | 'epoll';

/**
 * selectors.BaseSelector: register / unregister / modify / get_key, and select(timeout) as a
 * kernel event (the caller's thread sleeps in it). timeout: null waits for ever, 0 polls.
 */
export abstract class BaseSelector {
  abstract readonly kind: SelectorKind;
  protected readonly keys = new Map<number, SelectorKey>();
  private waker: (() => void) | null = null;
  /** Registration cost so far (epoll_ctl), in nanoseconds. */
  registrationNs = 0;

  constructor(protected readonly env: Environment) {}

  register(fileobj: Socket, events: number, data: unknown = null): SelectorKey {
    if (events === 0 || (events & ~(EVENT_READ | EVENT_WRITE)) !== 0) throw valueError(`Invalid events: ${String(events)}`);
    if (this.keys.has(fileobj.fd)) throw new PythonError('KeyError', `${String(fileobj.fd)} (FD ${fileobj.fd}) is already registered`);
    const key: SelectorKey = {fileobj, fd: fileobj.fd, events, data};
    this.keys.set(fileobj.fd, key);
    fileobj.listeners.add(this.onArrival);
    this.registered(key);
    return key;
  }

  unregister(fileobj: Socket): SelectorKey {
    const key = this.getKey(fileobj);
    this.keys.delete(fileobj.fd);
    fileobj.listeners.delete(this.onArrival);
    return key;
  }

  modify(fileobj: Socket, events: number, data: unknown = null): SelectorKey {
    const key = this.getKey(fileobj);
    key.events = events;
    key.data = data;
    return key;
  }

  getKey(fileobj: Socket): SelectorKey {
    const key = this.keys.get(fileobj.fd);
    if (key === undefined) throw new PythonError('KeyError', `${String(fileobj.fd)} is not registered`);
    return key;
  }

  get watched(): number {
    return this.keys.size;
  }

  /** The CPU cost of one call that finds `ready` fds ready, in nanoseconds. */
  abstract callCostNs(ready: number): number;

  /** Bytes copied between user space and the kernel by one call. */
  abstract copiedBytes(ready: number): number;

  /** Ready (key, events) pairs right now; edge-triggered epoll consumes its pending edges. */
  protected abstract collect(): [SelectorKey, number][];

  protected registered(_key: SelectorKey): void {}

  protected noteArrival(_socket: Socket): void {}

  /** Check the call is allowed at all (select refuses fds >= FD_SETSIZE). */
  protected check(): void {}

  /** selectors.BaseSelector.select(timeout): triggers when something is ready or the timeout passes. */
  select(timeoutUs: number | null): SimEvent<SelectResult> {
    if (timeoutUs !== null) assertNonNegativeInteger(timeoutUs, 'select(timeoutUs)');
    this.check();
    const done = this.env.event<SelectResult>();
    const startedAt = this.env.now;
    const finish = (events: [SelectorKey, number][], scans: number): void => {
      const costNs = scans * this.callCostNs(events.length);
      const costUs = Math.ceil(costNs / 1000);
      const waitedUs = this.env.now - startedAt;
      this.env.schedule(costUs, () => done.succeed({events, costUs, costNs, waitedUs}));
    };
    const now = this.collect();
    if (now.length > 0 || timeoutUs === 0) {
      finish(now, 1);
      return done;
    }
    let timer: Scheduled | null = null;
    const wake = (): void => {
      const events = this.collect();
      if (events.length === 0 && timer !== null && this.env.now < timer.time) return;
      this.waker = null;
      timer?.cancel();
      // select and poll scan every fd before sleeping and again after waking up.
      finish(events, this.kind === 'epoll' ? 1 : 2);
    };
    this.waker = wake;
    if (timeoutUs !== null) timer = this.env.schedule(timeoutUs, wake);
    return done;
  }

  private readonly onArrival = (socket: Socket): void => {
    this.noteArrival(socket);
    this.waker?.();
  };

  protected levelReady(): [SelectorKey, number][] {
    const ready: [SelectorKey, number][] = [];
    for (const key of [...this.keys.values()].sort((a, b) => a.fd - b.fd)) {
      let mask = 0;
      if (key.events & EVENT_READ && key.fileobj.readable) mask |= EVENT_READ;
      if (key.events & EVENT_WRITE && key.fileobj.writable) mask |= EVENT_WRITE;
      if (mask !== 0) ready.push([key, mask]);
    }
    return ready;
  }
}

export class SelectSelector extends BaseSelector {
  readonly kind = 'select';

  callCostNs(): number {
    return SELECT_CALL_BASE_NS + SELECT_PER_FD_NS * this.watched;
  }

  /** readfds and writefds in, and back out: nfds bits each way (fs/select.c core_sys_select). */
  copiedBytes(): number {
    const nfds = Math.max(-1, ...this.keys.keys()) + 1;
    return 2 * 2 * Math.ceil(nfds / 8);
  }

  protected check(): void {
    for (const fd of this.keys.keys()) {
      if (fd >= FD_SETSIZE) throw valueError('filedescriptor out of range in select()');
    }
  }

  protected collect(): [SelectorKey, number][] {
    return this.levelReady();
  }
}

export class PollSelector extends BaseSelector {
  readonly kind = 'poll';

  callCostNs(): number {
    return POLL_CALL_BASE_NS + POLL_PER_FD_NS * this.watched;
  }

  /** One 8-byte struct pollfd per watched fd, in and out. */
  copiedBytes(): number {
    return 2 * 8 * this.watched;
  }

  protected collect(): [SelectorKey, number][] {
    return this.levelReady();
  }
}

/** epoll, level-triggered as selectors.EpollSelector uses it, or edge-triggered (EPOLLET). */
export class EpollSelector extends BaseSelector {
  readonly kind = 'epoll';
  /** Edge-triggered: fds with an arrival not yet reported (the kernel's ready list). */
  private readonly edges = new Set<number>();

  constructor(
    env: Environment,
    readonly edgeTriggered = false,
  ) {
    super(env);
  }

  callCostNs(ready: number): number {
    return EPOLL_CALL_BASE_NS + EPOLL_PER_READY_NS * ready;
  }

  /** One 12-byte struct epoll_event per ready fd, out only. */
  copiedBytes(ready: number): number {
    return 12 * ready;
  }

  protected registered(key: SelectorKey): void {
    this.registrationNs += EPOLL_CTL_NS;
    // EPOLL_CTL_ADD checks the fd's state once: data already waiting counts as an edge.
    if (this.edgeTriggered && key.fileobj.readable) this.edges.add(key.fd);
  }

  protected noteArrival(socket: Socket): void {
    if (this.edgeTriggered) this.edges.add(socket.fd);
  }

  protected collect(): [SelectorKey, number][] {
    if (!this.edgeTriggered) return this.levelReady();
    const ready: [SelectorKey, number][] = [];
    for (const fd of [...this.edges].sort((a, b) => a - b)) {
      const key = this.keys.get(fd);
      if (key !== undefined && key.events & EVENT_READ) ready.push([key, EVENT_READ]);
    }
    this.edges.clear();
    return ready;
  }
}

/** selectors.DefaultSelector on Linux is EpollSelector (Lib/selectors.py picks epoll > devpoll > kqueue > poll > select). */
export class DefaultSelector extends EpollSelector {
  constructor(env: Environment) {
    super(env, false);
  }
}

export function makeSelector(kind: SelectorKind, env: Environment): BaseSelector {
  switch (kind) {
    case 'select':
      return new SelectSelector(env);
    case 'poll':
      return new PollSelector(env);
    case 'epoll':
      return new EpollSelector(env);
  }
}
