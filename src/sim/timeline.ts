/**
 * Timelines: a run's trace turned into lanes of coloured spans, the data every timeline, state
 * diagram and stepper draws. Pure data, so a component only draws what the simulator returns and
 * a screen reader gets the same spans as a table.
 *
 * A Machine run gives one lane per thread (its states, as the OS scheduler sees them), one per
 * core (who runs there) and one per process's GIL (who holds it). An asyncio run gives the event
 * loop's lane (waiting in select, running callbacks), one lane per task while there are few
 * enough to list, and one per executor thread.
 */
import type {AsyncioRun} from './asyncio/api';
import type {TraceRecord} from './kernel';
import type {RunResult} from './machine';

export type LaneKind = 'thread' | 'core' | 'gil' | 'loop' | 'task' | 'executor';

export interface TimelineLane {
  id: string;
  label: string;
  kind: LaneKind;
}

export interface TimelineSpan {
  lane: string;
  startUs: number;
  endUs: number;
  /** What the lane is doing: a thread state (`running`, `ready`, `blocked`), `held`, `select`, `callbacks` … */
  state: string;
  /** Why, for people: "blocked (io)", "MainThread holds the GIL". */
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
  endUs: number;
  lanes: TimelineLane[];
  spans: TimelineSpan[];
  marks: TimelineMark[];
}

/** Keeps, per lane, the state it entered and when; closing a state emits its span. */
class SpanBuilder {
  readonly spans: TimelineSpan[] = [];
  private readonly open = new Map<string, {startUs: number; state: string; detail: string}>();

  enter(lane: string, atUs: number, state: string, detail: string): void {
    this.close(lane, atUs);
    this.open.set(lane, {startUs: atUs, state, detail});
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
}

const processOfThread = (thread: string): string => (thread.includes('/') ? thread.slice(0, thread.indexOf('/')) : 'MainProcess');

/** Lanes in order of first appearance within each kind: threads, then cores, then GILs. */
function orderedLanes(lanes: Map<string, TimelineLane>): TimelineLane[] {
  const order: LaneKind[] = ['loop', 'thread', 'task', 'executor', 'core', 'gil'];
  return [...lanes.values()].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
}

/** The timeline of a Machine run: thread states, cores and GILs. */
export function machineTimeline(result: RunResult, title: string): Timeline {
  const lanes = new Map<string, TimelineLane>();
  const addLane = (id: string, label: string, kind: LaneKind): void => {
    if (!lanes.has(id)) lanes.set(id, {id, label, kind});
  };
  const builder = new SpanBuilder();
  const marks: TimelineMark[] = [];
  const runningOn = new Map<string, string>();
  const endUs = result.metrics.wallTimeUs;
  for (const record of result.trace) {
    const {time, actor, details} = record;
    switch (record.kind) {
      case 'state': {
        const lane = `thread:${actor}`;
        addLane(lane, actor, 'thread');
        const to = String(details.to);
        const reason = details.reason === undefined ? '' : ` (${String(details.reason)})`;
        const previousCore = runningOn.get(actor);
        if (previousCore !== undefined) {
          builder.close(previousCore, time);
          runningOn.delete(actor);
        }
        if (to === 'terminated') builder.close(lane, time);
        else builder.enter(lane, time, to, `${to}${reason}`);
        if (to === 'running' && typeof details.core === 'number') {
          const core = `core:${details.core}`;
          addLane(core, `core ${details.core}`, 'core');
          builder.enter(core, time, 'running', `${actor} runs on core ${details.core}`);
          runningOn.set(actor, core);
        }
        break;
      }
      case 'gil': {
        const process = processOfThread(actor);
        const lane = `gil:${process}`;
        addLane(lane, process === 'MainProcess' ? 'GIL' : `GIL of ${process}`, 'gil');
        if (details.action === 'take') builder.enter(lane, time, 'held', `${actor} holds the GIL`);
        else if (details.action === 'drop') builder.close(lane, time);
        break;
      }
      case 'exception':
        marks.push({lane: `thread:${actor}`, atUs: time, label: `${String(details.type)}: ${String(details.message)}`});
        break;
      case 'deadlock':
        marks.push({lane: lanes.keys().next().value ?? 'kernel', atUs: time, label: 'deadlock'});
        break;
    }
  }
  builder.closeAll(endUs);
  return {title, endUs, lanes: orderedLanes(lanes), spans: builder.spans, marks};
}

/** The timeline of an asyncio run: the loop's iterations, its tasks (when few) and executor threads. */
export function loopTimeline(run: AsyncioRun<unknown>, title: string): Timeline {
  const lanes = new Map<string, TimelineLane>();
  const addLane = (id: string, label: string, kind: LaneKind): void => {
    if (!lanes.has(id)) lanes.set(id, {id, label, kind});
  };
  addLane('loop', 'event loop', 'loop');
  const builder = new SpanBuilder();
  const marks: TimelineMark[] = [];
  for (const iteration of run.iterations) {
    const selectEnd = iteration.startUs + iteration.waitedUs + iteration.selectCostUs;
    if (selectEnd > iteration.startUs) builder.enter('loop', iteration.startUs, 'select', `select(timeout=${iteration.timeoutUs === null ? 'None' : `${iteration.timeoutUs} us`})`);
    if (iteration.endUs > selectEnd) builder.enter('loop', selectEnd, 'callbacks', `ran ${iteration.handlesRun} callback(s)`);
    builder.close('loop', iteration.endUs);
    for (const task of iteration.tasks ?? []) {
      const lane = `task:${task.name}`;
      addLane(lane, task.name, 'task');
      const detail = task.waitingOn === null ? task.state : `${task.state} on ${task.waitingOn}`;
      if (task.state === 'done' || task.state === 'failed' || task.state === 'cancelled') builder.close(lane, iteration.endUs);
      else builder.enter(lane, iteration.endUs, task.state, detail);
    }
  }
  for (const record of run.trace as TraceRecord[]) {
    if (record.kind === 'executor') {
      const lane = `executor:${record.actor}`;
      addLane(lane, record.actor, 'executor');
      if (record.details.action === 'start') builder.enter(lane, record.time, 'running', String(record.details.job));
      else builder.close(lane, record.time);
    } else if (record.kind === 'task') {
      builder.close(`task:${record.actor}`, record.time);
    } else if (record.kind === 'slow-callback') {
      marks.push({lane: 'loop', atUs: record.time, label: String(record.details.warning)});
    }
  }
  builder.closeAll(run.wallTimeUs);
  return {title, endUs: run.wallTimeUs, lanes: orderedLanes(lanes), spans: builder.spans, marks};
}
