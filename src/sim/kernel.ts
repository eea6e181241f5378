/**
 * The discrete-event kernel, in the style of SimPy (simpy.readthedocs.io: one Environment,
 * one event heap, processes as generators that yield events).
 *
 * Time is an integer number of microseconds. Events scheduled for the same instant run in the
 * order they were scheduled (a sequence number breaks ties), so a run never depends on heap
 * internals, and the same program with the same seed gives the same trace byte for byte.
 * No wall clock, no timers, no Math.random: everything random comes from `env.random`.
 */
import {BinaryHeap} from './heap';

/** A JSON-safe value, so a trace can be stringified and compared byte for byte. */
export type TraceValue = string | number | boolean | null | TraceValue[] | {[key: string]: TraceValue};

export interface TraceRecord {
  /** Virtual time in microseconds. */
  time: number;
  /** What happened: `state`, `gil`, `lock`, `exception`, … (each model documents its kinds). */
  kind: string;
  /** Who it happened to: a thread name, a lock name, `kernel`. */
  actor: string;
  details: {[key: string]: TraceValue};
}

/** A handle on something scheduled; cancelling it means its action never runs. */
export interface Scheduled {
  readonly time: number;
  cancel(): void;
}

/**
 * One scheduled action: the heap entry is also the handle returned to the caller, and it carries
 * the action's argument, so scheduling allocates one object and no closure per event.
 */
class HeapEntry<A = unknown> implements Scheduled {
  cancelled = false;

  constructor(
    readonly time: number,
    readonly sequence: number,
    readonly action: (argument: A) => void,
    readonly argument: A,
  ) {}

  cancel(): void {
    this.cancelled = true;
  }
}

export function assertNonNegativeInteger(value: number, parameter: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${parameter} must be a non-negative integer number of microseconds, got ${String(value)}`);
  }
}

const before = (a: HeapEntry, b: HeapEntry): boolean => a.time < b.time || (a.time === b.time && a.sequence < b.sequence);

/**
 * mulberry32: a small 32-bit PRNG (Tommy Ettinger's public-domain generator), enough for
 * jitter and scheduling noise; not for cryptography.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${String(seed)}`);
    this.state = seed >>> 0;
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let mixed = this.state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return (mixed ^ (mixed >>> 14)) >>> 0;
  }

  /** A float in [0, 1). */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An integer in [0, bound). */
  intBelow(bound: number): number {
    if (!Number.isInteger(bound) || bound <= 0) throw new RangeError(`bound must be a positive integer, got ${String(bound)}`);
    return Math.floor(this.nextFloat() * bound);
  }
}

/** Something a process can wait for. It triggers once, with a value. */
export class SimEvent<T = unknown> {
  /** Callbacks waiting for the trigger, in order; typed loosely so an event of any value type can be awaited. */
  private waiting: Array<(value: unknown) => void> | null = null;
  private done = false;
  private outcome: T | undefined = undefined;

  constructor(private readonly env: Environment) {}

  get triggered(): boolean {
    return this.done;
  }

  get value(): T | undefined {
    return this.outcome;
  }

  /** Trigger now; waiting processes resume in the order they started waiting, at this instant. */
  succeed(value: T): this {
    if (this.done) throw new Error('an event can only be triggered once');
    this.done = true;
    this.outcome = value;
    const waiting = this.waiting;
    this.waiting = null;
    if (waiting !== null) for (const callback of waiting) this.env.scheduleCall(0, callback, value);
    return this;
  }

  onTrigger(callback: (value: T) => void): void {
    if (this.done) this.env.scheduleCall(0, callback, this.outcome as T);
    else (this.waiting ??= []).push(callback as (value: unknown) => void);
  }
}

const succeedEvent = (event: SimEvent<void>): void => {
  event.succeed(undefined);
};

/** A generator process: it yields events and is resumed with each event's value. */
export type ProcessGenerator<R = void> = Generator<SimEvent<unknown>, R, unknown>;

export interface EnvironmentOptions {
  seed: number;
  /** A run that processes more events than this stops with an error (a program that never ends). */
  maxEvents?: number;
}

export class Environment {
  private nowUs = 0;
  private sequence = 0;
  private stopped = false;
  private processed = 0;
  /** The current run's horizon: elapse() never moves the clock past it. */
  private untilUs = Number.POSITIVE_INFINITY;
  private eventLimit = Number.POSITIVE_INFINITY;
  /** Events by (time, sequence): ties go in scheduling order, so runs are deterministic. */
  private readonly heap = new BinaryHeap<HeapEntry>(before);
  private readonly maxEvents: number;
  readonly trace: TraceRecord[] = [];
  readonly random: Random;

  constructor(options: EnvironmentOptions) {
    this.random = new Random(options.seed);
    this.maxEvents = options.maxEvents ?? 20_000_000;
  }

  get now(): number {
    return this.nowUs;
  }

  /** Events run so far: the simulator's unit of work (the bench reports events per second). */
  get eventsProcessed(): number {
    return this.processed;
  }

  /** Run `action` after `delayUs` microseconds of virtual time. */
  schedule(delayUs: number, action: () => void): Scheduled {
    return this.scheduleCall(delayUs, action, undefined);
  }

  /** Run `action(argument)` after `delayUs`: schedule() without a closure to bind the argument. */
  scheduleCall<A>(delayUs: number, action: (argument: A) => void, argument: A): Scheduled {
    assertNonNegativeInteger(delayUs, 'delay');
    const entry = new HeapEntry<A>(this.nowUs + delayUs, this.sequence++, action, argument);
    this.heap.push(entry as HeapEntry);
    return entry;
  }

  record(kind: string, actor: string, details: {[key: string]: TraceValue} = {}): void {
    this.trace.push({time: this.nowUs, kind, actor, details});
  }

  event<T>(): SimEvent<T> {
    return new SimEvent<T>(this);
  }

  timeout(delayUs: number): SimEvent<void> {
    const event = new SimEvent<void>(this);
    this.scheduleCall(delayUs, succeedEvent, event);
    return event;
  }

  /**
   * Let `delayUs` pass at once if nothing else is due by then: exactly what scheduling a timeout
   * and waiting for it would do (it would be the next event), without the heap, an event object
   * and a resumption. Returns false, changing nothing, when something else comes first; the
   * caller then waits for `timeout(delayUs)` as usual.
   */
  elapse(delayUs: number): boolean {
    assertNonNegativeInteger(delayUs, 'delay');
    const until = this.nowUs + delayUs;
    const next = this.heap.peek();
    if ((next !== undefined && next.time <= until) || until > this.untilUs || this.stopped) return false;
    this.nowUs = until;
    this.countEvent();
    return true;
  }

  /** Start a generator process; the returned event triggers with its return value. */
  process<R>(generator: ProcessGenerator<R>): SimEvent<R> {
    const finished = new SimEvent<R>(this);
    const resume = (value: unknown): void => {
      const result = generator.next(value);
      if (result.done) finished.succeed(result.value);
      else result.value.onTrigger(resume);
    };
    this.schedule(0, () => resume(undefined));
    return finished;
  }

  /** Stop the run after the current event (e.g. the interpreter exits with daemons still alive). */
  stop(): void {
    this.stopped = true;
  }

  /** Process events until none remain, `stop()` is called, or virtual time would pass `untilUs`. */
  run(untilUs = Number.POSITIVE_INFINITY): void {
    this.eventLimit = this.processed + this.maxEvents;
    this.untilUs = untilUs;
    while (!this.stopped) {
      const entry = this.heap.pop();
      if (entry === undefined) return;
      if (entry.cancelled) continue;
      if (entry.time > untilUs) {
        this.heap.push(entry);
        this.nowUs = untilUs;
        return;
      }
      this.nowUs = entry.time;
      entry.action(entry.argument);
      this.countEvent();
    }
  }

  private countEvent(): void {
    this.processed += 1;
    if (this.processed > this.eventLimit) {
      throw new Error(`simulation exceeded maxEvents (${this.maxEvents}) at t=${this.nowUs} us: does a program never end?`);
    }
  }
}
