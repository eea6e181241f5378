/**
 * Timelines: a run's trace turned into lanes of coloured spans, the data every timeline, state
 * diagram and stepper draws. Pure data, so a component only draws what the simulator returns and
 * a screen reader gets the same spans as a table.
 *
 * A Machine run gives one lane per child process (alive from its start to its exit), one per
 * thread (its states, as the OS scheduler sees them; a blocked span names what the thread waited
 * for once its wake-up tells), one per core (who runs there), one per lock the program made (who
 * holds it), per threading.Semaphore (how many keys are taken) and per queue.Queue (how many items
 * wait in it), and one per process's GIL (who holds it). An asyncio run gives the event loop's lane
 * (waiting in select, running callbacks), one lane per task when there are few enough to list
 * (running while a long step runs, else ready or waiting, as the loop saw it after each
 * iteration), and one per executor thread.
 *
 * Marks are kept few: an uncaught exception, each thread stuck in a deadlock, a child process that
 * exits with a non-zero code, a lock handed straight to a waiter (PyMutex's fairness rule, the
 * first few per lock), a failed or cancelled task, a slow callback, main's exception.
 */
import type {AsyncioRun} from './asyncio/api';
import {LOCK_FAIRNESS_US} from './constants';
import type {TraceRecord} from './kernel';
import type {RunResult} from './machine';

export type LaneKind = 'loop' | 'process' | 'thread' | 'task' | 'executor' | 'lock' | 'semaphore' | 'queue' | 'core' | 'gil';

export interface TimelineLane {
  id: string;
  label: string;
  kind: LaneKind;
  /** In a Machine run: the OS process a process, thread or GIL lane belongs to, so a drawing can group them. */
  process?: string;
}

export interface TimelineSpan {
  lane: string;
  startUs: number;
  endUs: number;
  /**
   * What the lane is doing: a thread state (`running`, `ready`, `blocked`), `alive` (a process),
   * `held` or `full` (a GIL, a lock, a semaphore), `items` (a queue), `select`, `callbacks` …
   */
  state: string;
  /** Why, for people: "blocked on lock toilet", "MainThread holds the GIL". */
  detail: string;
}

/** An instant worth pointing at: an exception, a deadlock, a slow callback. */
export interface TimelineMark {
  lane: string;
  atUs: number;
  label: string;
}

export interface Timeline {
  title: string;
  /** Where the timeline ends: the end of the run, or where it was cut to stay small. */
  endUs: number;
  /** Only on a timeline cut short: when the run itself ended. */
  runEndUs?: number;
  lanes: TimelineLane[];
  spans: TimelineSpan[];
  marks: TimelineMark[];
}

/**
 * Spans a page is sent per scenario (issue 5): a larger run is shown from its start until the
 * budget runs out, and its title says so.
 */
export const SPANS_PER_SCENARIO = 20_000;

/** Direct lock hand-offs marked per lock: the first ones show the rule, a thousand would bury the rest. */
const HANDOFF_MARKS_PER_LOCK = 3;
/** Handles named in a loop iteration's callbacks span. */
const NAMED_HANDLES = 3;

/** Keeps, per lane, the state it entered and when; closing a state emits its span. */
class SpanBuilder {
  readonly spans: TimelineSpan[] = [];
  private readonly open = new Map<string, {startUs: number; state: string; detail: string}>();

  enter(lane: string, atUs: number, state: string, detail: string): void {
    this.close(lane, atUs);
    this.open.set(lane, {startUs: atUs, state, detail});
  }

  /** Enter a state unless the lane is already in it, saying the same: one span, not one per sample. */
  keep(lane: string, atUs: number, state: string, detail: string): void {
    const current = this.open.get(lane);
    if (current === undefined || current.state !== state || current.detail !== detail) this.enter(lane, atUs, state, detail);
  }

  /** Reword the open span, once a later event tells more (what a blocked thread was waiting for). */
  amend(lane: string, detail: string): void {
    const current = this.open.get(lane);
    if (current !== undefined) current.detail = detail;
  }

  close(lane: string, atUs: number): void {
    const current = this.open.get(lane);
    if (current === undefined) return;
    this.open.delete(lane);
    // A state entered and left at the same instant is not drawn: it has no width to draw.
    if (atUs > current.startUs) this.spans.push({lane, startUs: current.startUs, endUs: atUs, state: current.state, detail: current.detail});
  }

  closeAll(atUs: number): void {
    for (const lane of [...this.open.keys()]) this.close(lane, atUs);
  }

  /** Whether closing every open state now would reach `maxSpans`: time to stop reading the run. */
  full(maxSpans: number): boolean {
    return this.spans.length + this.open.size >= maxSpans;
  }
}

/** "850 ms", "12.01 s": a moment of a run, for a title. */
const moment = (us: number): string => (us < 1_000_000 ? `${Number((us / 1000).toFixed(1))} ms` : `${Number((us / 1_000_000).toFixed(2))} s`);

const cutSuffix = (endUs: number, runEndUs: number): string => ` (its first ${moment(endUs)} of ${moment(runEndUs)}, to stay small)`;

/** A timeline that stops at `endUs`, before its run ended at `runEndUs`: the title says so. */
function cutShort(timeline: Timeline, endUs: number, runEndUs: number): Timeline {
  const title = timeline.runEndUs === undefined ? timeline.title : timeline.title.slice(0, -cutSuffix(timeline.endUs, timeline.runEndUs).length);
  return {...timeline, title: title + cutSuffix(endUs, runEndUs), endUs, runEndUs};
}

/**
 * The timeline up to the start of its (maxSpans + 1)-th span: at most `maxSpans` spans, those
 * still going then clipped there, later marks and lanes left with nothing dropped.
 */
export function cutTimeline(timeline: Timeline, maxSpans: number): Timeline {
  if (timeline.spans.length <= maxSpans) return timeline;
  const starts = timeline.spans.map((span) => span.startUs).sort((a, b) => a - b);
  const cutUs = starts[maxSpans];
  const spans = timeline.spans.filter((span) => span.startUs < cutUs).map((span) => (span.endUs > cutUs ? {...span, endUs: cutUs} : span));
  const marks = timeline.marks.filter((mark) => mark.atUs <= cutUs);
  const used = new Set([...spans.map((span) => span.lane), ...marks.map((mark) => mark.lane)]);
  return cutShort({...timeline, lanes: timeline.lanes.filter((lane) => used.has(lane.id)), spans, marks}, cutUs, timeline.runEndUs ?? timeline.endUs);
}

/**
 * A scenario's timelines within `budget` spans in all: those that fit are kept whole, the larger
 * ones cut to an equal share of what is left.
 */
export function fitTimelines(timelines: readonly Timeline[], budget = SPANS_PER_SCENARIO): Timeline[] {
  const sizes = timelines.map((timeline) => timeline.spans.length).sort((a, b) => a - b);
  let left = budget;
  let share = Number.POSITIVE_INFINITY;
  for (const [index, size] of sizes.entries()) {
    const equalShare = Math.floor(left / (sizes.length - index));
    if (size > equalShare) {
      share = equalShare;
      break;
    }
    left -= size;
  }
  return timelines.map((timeline) => cutTimeline(timeline, share));
}

/** Lanes by id in order of first appearance, added once. */
class LaneSet {
  readonly lanes = new Map<string, TimelineLane>();

  add(id: string, label: string, kind: LaneKind, process?: string): void {
    if (!this.lanes.has(id)) this.lanes.set(id, process === undefined ? {id, label, kind} : {id, label, kind, process});
  }

  has(id: string): boolean {
    return this.lanes.has(id);
  }

  /**
   * Kinds in a fixed order (loop, processes and threads, tasks, executor threads, locks and the
   * like, cores, GILs), each child process's lane heading its own threads; otherwise in order of
   * first appearance.
   */
  ordered(): TimelineLane[] {
    const kindOrder: LaneKind[] = ['loop', 'thread', 'task', 'executor', 'lock', 'semaphore', 'queue', 'core', 'gil'];
    const processOrder = new Map<string, number>();
    for (const lane of this.lanes.values()) if (lane.process !== undefined && !processOrder.has(lane.process)) processOrder.set(lane.process, processOrder.size);
    const key = (lane: TimelineLane): number[] => {
      const grouped = lane.kind === 'process' || lane.kind === 'thread';
      return [kindOrder.indexOf(grouped ? 'thread' : lane.kind), grouped ? (processOrder.get(lane.process ?? '') ?? 0) : 0, lane.kind === 'process' ? 0 : 1];
    };
    // Array.prototype.sort is stable: lanes that tie keep their order of first appearance.
    return [...this.lanes.values()].sort((a, b) => {
      const [ka, kb] = [key(a), key(b)];
      return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2];
    });
  }
}

const processOfThread = (thread: string): string => (thread.includes('/') ? thread.slice(0, thread.indexOf('/')) : 'MainProcess');

/** How a wake-up waiter reads to people: a Future's waiter is the future, wait() and as_completed() are calls. */
function waiterName(name: string): string {
  if (name === 'wait.waiter' || name === 'as_completed.waiter') return `${name.slice(0, -'.waiter'.length)}()`;
  if (name.endsWith('.waiter')) return `future ${name.slice(0, -'.waiter'.length)}`;
  if (name.endsWith('.join') || name.endsWith('.get')) return `${name}()`;
  return name;
}

/**
 * What a blocked thread waited for, read from the reason it was made ready: "toilet released"
 * (a lock), "spider#1.waiter notified" (a Future, a queue, a semaphore: a one-shot waiter), or
 * "worker-1 ended" (a join). Null when the wake-up says nothing more than the block did.
 */
function waitedFor(blockReason: string, wakeReason: string): string | null {
  if (blockReason === 'join') {
    const ended = /^(.*) ended$/.exec(wakeReason);
    return ended === null ? null : `blocked in join() on ${ended[1]}`;
  }
  if (blockReason !== 'lock') return null;
  const released = /^(.*) released$/.exec(wakeReason);
  if (released !== null) return `blocked on lock ${released[1]}`;
  const notified = /^(.*) notified$/.exec(wakeReason);
  return notified === null ? null : `blocked waiting for ${waiterName(notified[1])}`;
}

interface DeadlockWait {
  thread: string;
  waitsFor: {kind: string; name: string};
  heldBy: string | null;
}

/** The timeline of a Machine run: processes, thread states, locks, semaphores, queues, cores and GILs. */
export function machineTimeline(result: RunResult, title: string): Timeline {
  const lanes = new LaneSet();
  const builder = new SpanBuilder();
  const marks: TimelineMark[] = [];
  const runningOn = new Map<string, string>();
  /** Why each blocked thread blocked, until it is made ready again. */
  const blockedBecause = new Map<string, string>();
  // The locks the program made (machine.lock()); a wake-up waiter's acquire is traced as a lock too.
  const programLocks = new Set(Object.keys(result.metrics.lockHandoffs));
  /** Who holds each lock and how deep (an RLock's recursion; 0 while handed over but not yet taken). */
  const lockHolders = new Map<string, {holder: string; depth: number}>();
  const handoffsMarked = new Map<string, number>();
  /** threading.Semaphore keys taken: acquires minus releases. */
  const semaphoreTaken = new Map<string, number>();
  const runEndUs = result.metrics.wallTimeUs;
  let endUs = runEndUs;
  let cut = false;
  for (const record of result.trace) {
    const {time, actor, details} = record;
    if (builder.full(SPANS_PER_SCENARIO)) {
      [endUs, cut] = [time, true];
      break;
    }
    switch (record.kind) {
      case 'state': {
        const lane = `thread:${actor}`;
        lanes.add(lane, actor, 'thread', processOfThread(actor));
        const to = String(details.to);
        const reason = details.reason === undefined ? null : String(details.reason);
        const previousCore = runningOn.get(actor);
        if (previousCore !== undefined) {
          builder.close(previousCore, time);
          runningOn.delete(actor);
        }
        const blockedFor = blockedBecause.get(actor);
        if (blockedFor !== undefined) {
          blockedBecause.delete(actor);
          const said = reason === null ? null : waitedFor(blockedFor, reason);
          if (said !== null) builder.amend(lane, said);
        }
        if (to === 'blocked' && reason !== null) blockedBecause.set(actor, reason);
        if (to === 'terminated') builder.close(lane, time);
        else builder.enter(lane, time, to, reason === null ? to : `${to} (${reason})`);
        if (to === 'running' && typeof details.core === 'number') {
          const core = `core:${details.core}`;
          lanes.add(core, `core ${details.core}`, 'core');
          builder.enter(core, time, 'running', `${actor} runs on core ${details.core}`);
          runningOn.set(actor, core);
        }
        break;
      }
      case 'gil': {
        const process = processOfThread(actor);
        // A subinterpreter's GIL (its records carry the interpreter's id) gets a lane of its own.
        const interpreter = details.interpreter === undefined ? null : String(details.interpreter);
        const lane = interpreter === null ? `gil:${process}` : `gil:${process}:${interpreter}`;
        const inProcess = process === 'MainProcess' ? '' : ` of ${process}`;
        lanes.add(lane, interpreter === null ? `GIL${inProcess}` : `GIL of interpreter ${interpreter}${inProcess}`, 'gil', process);
        if (details.action === 'take') builder.enter(lane, time, 'held', `${actor} holds the ${interpreter === null ? 'GIL' : `GIL of interpreter ${interpreter}`}`);
        else if (details.action === 'drop') builder.close(lane, time);
        break;
      }
      case 'process': {
        const lane = `process:${actor}`;
        lanes.add(lane, actor, 'process', actor);
        if (details.action === 'start') {
          builder.enter(lane, time, 'alive', details.pid === undefined ? `${actor} running` : `${actor} (pid ${String(details.pid)})`);
        } else if (details.action === 'exit') {
          builder.close(lane, time);
          const code = Number(details.exitcode);
          if (code < 0) marks.push({lane, atUs: time, label: `${actor} killed by signal ${-code} (exitcode ${code})`});
          else if (code > 0) marks.push({lane, atUs: time, label: `${actor} exited with exitcode ${code}`});
        }
        break;
      }
      case 'lock': {
        if (!programLocks.has(actor)) break;
        const lane = `lock:${actor}`;
        lanes.add(lane, actor, 'lock');
        const thread = String(details.thread);
        const held = lockHolders.get(actor);
        if (details.action === 'acquire') {
          if (held !== undefined && held.holder === thread) {
            held.depth += 1;
          } else {
            lockHolders.set(actor, {holder: thread, depth: 1});
            builder.enter(lane, time, 'held', `${thread} holds ${actor}`);
          }
          break;
        }
        if (held === undefined) break;
        held.depth -= 1;
        if (held.depth > 0) break;
        const handedTo = details.handedTo;
        if (typeof handedTo === 'string') {
          // The waiter owns the lock from this instant; its acquire is traced when it next runs.
          lockHolders.set(actor, {holder: handedTo, depth: 0});
          builder.enter(lane, time, 'held', `${handedTo} holds ${actor} (handed over by ${thread})`);
          const marked = handoffsMarked.get(actor) ?? 0;
          if (marked < HANDOFF_MARKS_PER_LOCK) {
            handoffsMarked.set(actor, marked + 1);
            marks.push({lane, atUs: time, label: `${actor} handed straight from ${thread} to ${handedTo}, who had waited over ${LOCK_FAIRNESS_US / 1000} ms`});
          }
        } else {
          lockHolders.delete(actor);
          builder.close(lane, time);
        }
        break;
      }
      case 'sync': {
        const action = details.action;
        if (action === 'acquire' || action === 'release') {
          const lane = `semaphore:${actor}`;
          lanes.add(lane, actor, 'semaphore');
          const taken = (semaphoreTaken.get(actor) ?? 0) + (action === 'acquire' ? 1 : -1);
          semaphoreTaken.set(actor, taken);
          const free = Number(details.value);
          if (taken <= 0) builder.close(lane, time);
          else builder.enter(lane, time, free === 0 ? 'full' : 'held', `${taken} taken, ${free} free`);
        } else if (action === 'put' || action === 'get') {
          const lane = `queue:${actor}`;
          lanes.add(lane, actor, 'queue');
          const size = Number(details.size);
          if (size === 0) builder.close(lane, time);
          else builder.enter(lane, time, 'items', `${size} item(s) in ${actor}`);
        }
        break;
      }
      case 'exception':
        marks.push({lane: `thread:${actor}`, atUs: time, label: `${String(details.type)}: ${String(details.message)}`});
        break;
      case 'deadlock': {
        const waits = (details.waits ?? []) as unknown as DeadlockWait[];
        for (const wait of waits) {
          const lane = `thread:${wait.thread}`;
          const what = `${wait.waitsFor.kind} ${wait.waitsFor.name}${wait.heldBy === null ? '' : `, held by ${wait.heldBy}`}`;
          builder.amend(lane, `blocked on ${what}`);
          marks.push({lane, atUs: time, label: `deadlock: ${wait.thread} waits for ${what}`});
        }
        if (waits.length === 0) marks.push({lane: lanes.lanes.keys().next().value ?? 'thread:MainThread', atUs: time, label: 'deadlock'});
        break;
      }
    }
  }
  builder.closeAll(endUs);
  const timeline = {title, endUs, lanes: lanes.ordered(), spans: builder.spans, marks};
  return cut ? cutShort(timeline, endUs, runEndUs) : timeline;
}

/** The timeline of an asyncio run: the loop's iterations, its tasks (when few) and executor threads. */
export function loopTimeline(run: AsyncioRun<unknown>, title: string): Timeline {
  const lanes = new LaneSet();
  lanes.add('loop', 'event loop', 'loop');
  const builder = new SpanBuilder();
  const marks: TimelineMark[] = [];
  // Task lanes only when the loop listed its tasks all along: one that stopped listing them (over a
  // hundred alive) cannot tell when the tasks it lists later began.
  const listsTasks = run.iterations.every((iteration) => iteration.tasks !== null);
  const trace = run.trace as TraceRecord[];
  // The trace times a handle's run only when it was slow (a slow-callback warning): those task
  // steps are drawn as running; a task's shorter steps fall inside its ready spans.
  const longSteps = new Map<string, {startUs: number; endUs: number; handle: string}[]>();
  for (const record of trace) {
    if (record.kind !== 'slow-callback') continue;
    const handle = String(record.details.handle);
    const task = /^Task\.__(?:step|wakeup) (.*)$/.exec(handle);
    if (task === null) continue;
    const steps = longSteps.get(task[1]) ?? [];
    steps.push({startUs: record.time - Number(record.details.durationUs), endUs: record.time, handle});
    longSteps.set(task[1], steps);
  }
  /** Draw a task's long steps that ended by `untilUs`, each followed by `after` (or the lane's end). */
  const drawLongSteps = (name: string, untilUs: number, after: {state: string; detail: string} | null): void => {
    const steps = longSteps.get(name);
    const lane = `task:${name}`;
    while (steps !== undefined && steps.length > 0 && steps[0].endUs <= untilUs) {
      const step = steps.shift()!;
      if (!lanes.has(lane)) continue;
      builder.enter(lane, step.startUs, 'running', `running (${step.handle}) for ${(step.endUs - step.startUs) / 1000} ms`);
      if (after === null) builder.close(lane, step.endUs);
      else builder.enter(lane, step.endUs, after.state, after.detail);
    }
  };
  let endUs = run.wallTimeUs;
  let cut = false;
  for (const iteration of run.iterations) {
    if (builder.full(SPANS_PER_SCENARIO)) {
      [endUs, cut] = [iteration.startUs, true];
      break;
    }
    const selectEnd = iteration.startUs + iteration.waitedUs + iteration.selectCostUs;
    if (selectEnd > iteration.startUs) builder.enter('loop', iteration.startUs, 'select', `select(timeout=${iteration.timeoutUs === null ? 'None' : `${iteration.timeoutUs} us`})`);
    if (iteration.endUs > selectEnd) {
      const named = iteration.ran.slice(0, NAMED_HANDLES).join(', ');
      const more = iteration.handlesRun > NAMED_HANDLES ? ', …' : '';
      builder.enter('loop', selectEnd, 'callbacks', `ran ${iteration.handlesRun} callback(s)${named === '' ? '' : `: ${named}${more}`}`);
    }
    builder.close('loop', iteration.endUs);
    if (!listsTasks) continue;
    for (const task of iteration.tasks!) {
      const lane = `task:${task.name}`;
      lanes.add(lane, task.name, 'task');
      // A woken task still points at the future it awaited until it runs: only a waiting task waits on it.
      const detail = task.state === 'waiting' && task.waitingOn !== null ? `waiting on ${task.waitingOn}` : task.state;
      if (task.state === 'done' || task.state === 'failed' || task.state === 'cancelled') {
        builder.close(lane, iteration.endUs);
        continue;
      }
      drawLongSteps(task.name, iteration.endUs, {state: task.state, detail});
      builder.keep(lane, iteration.endUs, task.state, detail);
    }
  }
  for (const record of trace) {
    if (record.time > endUs) break;
    if (record.kind === 'executor') {
      const lane = `executor:${record.actor}`;
      lanes.add(lane, record.actor, 'executor');
      if (record.details.action === 'start') builder.enter(lane, record.time, 'running', String(record.details.job));
      else builder.close(lane, record.time);
    } else if (record.kind === 'task') {
      const lane = `task:${record.actor}`;
      // Its last step, when long, ends with the task.
      drawLongSteps(record.actor, Number.POSITIVE_INFINITY, null);
      builder.close(lane, record.time);
      const state = String(record.details.state);
      if (state === 'failed' || state === 'cancelled') marks.push({lane: lanes.has(lane) ? lane : 'loop', atUs: record.time, label: `${record.actor} ${state}`});
    } else if (record.kind === 'slow-callback') {
      marks.push({lane: 'loop', atUs: record.time, label: String(record.details.warning)});
    }
  }
  if (run.exception !== null && !cut) marks.push({lane: 'loop', atUs: endUs, label: `main raised ${run.exception.pythonType}: ${run.exception.message}`});
  builder.closeAll(endUs);
  const timeline = {title, endUs, lanes: lanes.ordered(), spans: builder.spans, marks};
  return cut ? cutShort(timeline, endUs, run.wallTimeUs) : timeline;
}

/**
 * Several runs side by side as one timeline, each part's lanes named after it: the worker
 * processes of a server, each running its own event loop. Ends when the last part ends.
 */
export function combineTimelines(title: string, parts: readonly {name: string; timeline: Timeline}[]): Timeline {
  const timeline: Timeline = {title, endUs: 0, lanes: [], spans: [], marks: []};
  for (const {name, timeline: part} of parts) {
    const id = (lane: string): string => `${name}/${lane}`;
    timeline.endUs = Math.max(timeline.endUs, part.endUs);
    for (const lane of part.lanes) timeline.lanes.push({...lane, id: id(lane.id), label: `${name}: ${lane.label}`});
    for (const span of part.spans) timeline.spans.push({...span, lane: id(span.lane)});
    for (const mark of part.marks) timeline.marks.push({...mark, lane: id(mark.lane)});
  }
  return timeline;
}

/** The timeline with a scenario's own moments marked (a callback ran, wait() returned), all in time order. */
export function withMarks(timeline: Timeline, marks: readonly TimelineMark[]): Timeline {
  return {...timeline, marks: [...timeline.marks, ...marks].sort((a, b) => a.atUs - b.atUs)};
}
