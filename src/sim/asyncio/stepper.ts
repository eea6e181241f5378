/**
 * The event-loop stepper's data: runs one of a few small asyncio programs (stepper-programs.ts)
 * on the simulated loop with an observer, and returns a snapshot for every phase of every
 * BaseEventLoop._run_once iteration (CPython Lib/asyncio/base_events.py): before select (ready
 * queue, timer heap, the timeout and why), after select (how long it slept, which fds were ready,
 * which handles were appended), timers moved to the ready queue, and each handle run.
 *
 * Like asyncio.run, the main task is Task-1 and is created before the loop starts; the steps end
 * where run_until_complete(main) stops the loop (asyncio.run's clean-up iterations are left out).
 */
import {eventLoopAnatomy, anatomyDownload} from '../scenarios/event-loop-anatomy';
import {createTask, gather, sleep} from './api';
import {blockingCall, currentTask, EventLoop, type Coro, type LoopObserver, type LoopPhase, type LoopView, type TaskState, type TimerView} from './core';
import {httpGet} from './http';
import {duration, stepperPrograms, type StepperProgramInfo} from './stepper-programs';

export type StepPhase = LoopPhase['phase'];

export interface StepTask {
  /** The task's name, as CPython names it (Task-1, Task-2, ...). */
  name: string;
  /** What it runs, e.g. "worker('A')". */
  coroutine: string;
  state: TaskState;
  /** The future it waits on (its name), when waiting. */
  waitingOn: string | null;
  /** The source line it is suspended at (1-based), null before its first step and once finished. */
  line: number | null;
}

/** The selector of the current iteration: its timeout, and once select() returned, what it saw. */
export interface StepSelector {
  timeoutUs: number | null;
  /** Why that timeout, in a sentence. */
  reason: string;
  /** null until select() has returned in this iteration. */
  sleptUs: number | null;
  readyFds: number[] | null;
}

export interface StepHandle {
  label: string;
  /** What this kind of handle does. */
  explanation: string;
  /** The task it stepped or woke, if any. */
  task: string | null;
  /** Handles appended to the ready queue while it ran. */
  appended: string[];
  /** Timers it added to the heap. */
  timersAdded: TimerView[];
  durationUs: number;
  /** The slow-callback warning debug mode logs, when it took slow_callback_duration or longer. */
  warning: string | null;
}

export interface LoopStep {
  index: number;
  /** Which _run_once call, from 0. */
  iteration: number;
  phase: StepPhase;
  /** Virtual time after the phase, microseconds since the loop started. */
  timeUs: number;
  /** One line: where in _run_once this is. */
  title: string;
  /** What happened, in a few sentences. */
  detail: string;
  ready: string[];
  /** The timer heap, earliest first. */
  timers: TimerView[];
  /** fds registered with the selector for reading, with their callbacks. */
  readers: {fd: number; label: string}[];
  selector: StepSelector;
  /** The handle this step ran (phase 'handle' only). */
  handle: StepHandle | null;
  tasks: StepTask[];
  /** How many lines of `output` the program had printed by now. */
  printed: number;
}

export interface PrintedLine {
  timeUs: number;
  text: string;
}

export interface LoopSteps {
  program: StepperProgramInfo;
  steps: LoopStep[];
  /** What the program printed, in order. */
  output: PrintedLine[];
}

/** What a program's coroutines may call besides asyncio: print(), and mark the line they are at. */
interface ProgramContext {
  print(text: string): void;
  /** The current task is at the source line that contains `text` (unique in the source). */
  at(text: string): void;
}

type ProgramMain = (context: ProgramContext) => Coro<unknown>;

const S = 1_000_000;

/** Each program's coroutines, mirroring its Python source line by line. */
const programMains: Record<string, {main: ProgramMain; seed: number}> = {
  'event-loop-anatomy': {
    seed: eventLoopAnatomy.defaults.seed ?? 0,
    *main({at}) {
      // Every suspension of the download is a sock_recv (connect and sendall do not wait in the model).
      at('await loop.sock_recv');
      return yield* httpGet(anatomyDownload((eventLoopAnatomy.defaults.delay ?? 0.2) * S));
    },
  },
  'create-task-order': {
    seed: 0,
    *main({print, at}) {
      function* worker(name: string): Coro<void> {
        print(`${name} starts`);
        at('back of the ready queue');
        yield* sleep(0);
        print(`${name} resumes`);
      }
      const a = createTask(worker('A'));
      const b = createTask(worker('B'));
      print('main created A and B; neither has run');
      at('let A and B take their first steps');
      yield* sleep(0);
      print('main resumes after one sleep(0)');
      at('await a');
      yield* a;
      at('await b');
      yield* b;
      print('main done');
    },
  },
  'gather-sleeps': {
    seed: 0,
    *main({print, at}) {
      function* fetch(name: string, delaySeconds: number): Coro<string> {
        at('await asyncio.sleep(delay)');
        yield* sleep(delaySeconds * S);
        print(`${name} ready after ${delaySeconds} s`);
        return name;
      }
      at('results = await asyncio.gather');
      const results = yield* gather([fetch('a', 1), fetch('b', 2), fetch('c', 0.5)]);
      print(`[${results.map((name) => `'${name}'`).join(', ')}]`);
    },
  },
  'blocking-sleep': {
    seed: 0,
    *main({print, at}) {
      function* ticker(): Coro<void> {
        for (let i = 0; i < 3; i += 1) {
          print(`tick ${i}`);
          at('await asyncio.sleep(0.1)');
          yield* sleep(S / 10);
        }
      }
      const task = createTask(ticker());
      at('let the ticker start');
      yield* sleep(0);
      at('time.sleep(0.5)');
      yield blockingCall(S / 2, 'time.sleep(0.5)');
      print('main: woke up');
      at('await task');
      yield* task;
    },
  },
};

export const stepperProgramIds: readonly string[] = stepperPrograms.map((program) => program.id);

/** The 1-based line of `source` that is `text` (trimmed) or, failing that, the one line containing it. */
export function sourceLine(source: string, text: string): number {
  const lines = source.split('\n');
  const exact = lines.flatMap((line, index) => (line.trim() === text ? [index + 1] : []));
  if (exact.length === 1) return exact[0];
  const containing = lines.flatMap((line, index) => (line.includes(text) ? [index + 1] : []));
  if (containing.length !== 1) throw new Error(`the source has ${containing.length} lines containing "${text}", expected exactly one`);
  return containing[0];
}

/** Runs `programId` and returns one snapshot per phase of each _run_once iteration. */
export function loopSteps(programId: string): LoopSteps {
  const program = stepperPrograms.find((candidate) => candidate.id === programId);
  const runnable = programMains[programId];
  if (program === undefined || runnable === undefined) {
    throw new RangeError(`program must be one of ${stepperProgramIds.join(', ')}; got "${String(programId)}"`);
  }
  const steps: LoopStep[] = [];
  const output: PrintedLine[] = [];
  const lines = new Map<string, number>();
  let selector: StepSelector = {timeoutUs: null, reason: '', sleptUs: null, readyFds: null};
  let handlesToRun = 0;
  let handlesRun = 0;

  const tasksOf = (view: LoopView): StepTask[] =>
    view.tasks.map((task) => {
      const coroutine = program.coroutines[task.name];
      if (coroutine === undefined) throw new Error(`program "${programId}" does not say what ${task.name} runs`);
      const finished = task.state === 'done' || task.state === 'failed' || task.state === 'cancelled';
      return {...task, coroutine, waitingOn: task.state === 'waiting' ? task.waitingOn : null, line: finished ? null : (lines.get(task.name) ?? null)};
    });

  const observer: LoopObserver = (phase, view) => {
    const tasks = tasksOf(view);
    let title: string;
    let detail: string;
    let handle: StepHandle | null = null;
    switch (phase.phase) {
      case 'select':
        selector = {timeoutUs: phase.timeoutUs, reason: timeoutReason(phase.timeoutUs, view), sleptUs: null, readyFds: null};
        handlesRun = 0;
        title = `Iteration ${phase.iteration} · before select: select(timeout=${pythonTimeout(phase.timeoutUs)})`;
        detail = selector.reason;
        if (phase.cancelledTimersRemoved > 0) detail = `First, ${plural(phase.cancelledTimersRemoved, 'cancelled timer')} came off the heap. ${detail}`;
        break;
      case 'selected':
        selector = {...selector, sleptUs: phase.waitedUs, readyFds: [...phase.fds]};
        title = `Iteration ${phase.iteration} · after select: ${phase.fds.length > 0 ? `fd ${phase.fds.join(', ')} ready` : 'no fd ready'}`;
        detail = selectedDetail(phase);
        break;
      case 'timers':
        handlesToRun = view.ready.length;
        title = `Iteration ${phase.iteration} · due timers: ${phase.moved.length === 0 ? 'none' : `${phase.moved.length} to the ready queue`}`;
        detail =
          phase.moved.length === 0
            ? `No timer is due yet. The loop now runs the ${plural(handlesToRun, 'handle')} in the ready queue, and only those: what they schedule waits for the next iteration.`
            : `Due by now: ${phase.moved.map((timer) => `${timer.label} (due at ${duration(timer.when)})`).join('; ')}. Moved to the back of the ready queue. The loop now runs the ${plural(handlesToRun, 'handle')} there, and only those.`;
        break;
      case 'handle': {
        handlesRun += 1;
        handle = {
          label: phase.handle,
          explanation: explainHandle(phase.handle, program),
          task: phase.task,
          appended: phase.appended,
          timersAdded: phase.timersAdded,
          durationUs: phase.durationUs,
          warning: phase.warning,
        };
        title = `Iteration ${phase.iteration} · handle ${handlesRun} of ${handlesToRun}: ${phase.handle}`;
        detail = handleDetail(handle, tasks, view);
        break;
      }
    }
    steps.push({
      index: steps.length,
      iteration: phase.iteration,
      phase: phase.phase,
      timeUs: view.timeUs,
      title,
      detail,
      ready: view.ready,
      timers: view.timers,
      readers: view.readers,
      selector,
      handle,
      tasks,
      printed: output.length,
    });
  };

  const loop = new EventLoop({seed: runnable.seed, observer});
  const context: ProgramContext = {
    print: (text) => void output.push({timeUs: loop.time(), text}),
    at: (text) => {
      const task = currentTask();
      if (task === null) throw new Error('at() is for code running in a task');
      lines.set(task.name, sourceLine(program.source, text));
    },
  };
  const main = loop.createTask(runnable.main(context));
  loop.execute(loop.runUntilComplete(main));
  main.result();
  return {program, steps, output};
}

function timeoutReason(timeoutUs: number | null, view: LoopView): string {
  if (view.ready.length > 0) return `The ready queue holds ${plural(view.ready.length, 'handle')}, so select() must not wait: timeout=0 only polls the fds.`;
  if (view.stopping) return 'loop.stop() was called, so select() only polls: timeout=0.';
  const earliest = view.timers[0];
  if (earliest === undefined) return 'Nothing is ready and no timer is set, so select() blocks until an fd is ready: timeout=None.';
  if (timeoutUs === 0) return `Nothing is ready, and the earliest timer (${earliest.label}) was due at ${duration(earliest.when)}, ${duration(view.timeUs - earliest.when)} ago: timeout=0.`;
  return `Nothing is ready, so select() may sleep until the earliest timer, ${earliest.label}, due at ${duration(earliest.when)}: timeout=${pythonTimeout(timeoutUs)}.`;
}

function selectedDetail(phase: Extract<LoopPhase, {phase: 'selected'}>): string {
  const slept = phase.waitedUs > 0 ? `select() slept ${duration(phase.waitedUs)}` : 'select() returned without sleeping';
  const cost = `(the call itself cost ${duration(phase.costUs)})`;
  const fds = phase.fds.length > 0 ? `fd ${phase.fds.join(', ')} became readable` : 'no fd was ready';
  const appended = phase.appended.length > 0 ? ` _process_events appended ${phase.appended.join('; ')} to the ready queue.` : '';
  return `${slept} ${cost}; ${fds}.${appended}`;
}

function handleDetail(handle: StepHandle, tasks: StepTask[], view: LoopView): string {
  const parts = [`${handle.explanation}.`];
  const task = tasks.find((candidate) => candidate.name === handle.task);
  if (task !== undefined) parts.push(taskOutcome(task));
  if (handle.appended.length > 0) parts.push(`Appended to the ready queue: ${handle.appended.join('; ')}.`);
  for (const timer of handle.timersAdded) parts.push(`New timer in the heap: ${timer.label}, due at ${duration(timer.when)}.`);
  if (handle.durationUs >= 1000) parts.push(`It kept the loop busy for ${duration(handle.durationUs)}: nothing else ran meanwhile.`);
  if (handle.warning !== null) parts.push(`Debug mode logs: "${handle.warning}".`);
  if (view.stopping) parts.push('loop.stop() was called: run_forever returns after this iteration.');
  return parts.join(' ');
}

function taskOutcome(task: StepTask): string {
  const where = task.line !== null ? ` (line ${task.line})` : '';
  switch (task.state) {
    case 'waiting':
      return `${task.name} is now suspended${where}, waiting on ${task.waitingOn}.`;
    case 'ready':
      return `${task.name} yielded without waiting${where}: its next step is already in the ready queue.`;
    case 'done':
      return `${task.name} finished: its coroutine returned.`;
    case 'failed':
      return `${task.name} finished with an exception.`;
    case 'cancelled':
      return `${task.name} was cancelled.`;
    case 'running':
      return `${task.name} is running.`;
  }
}

/** What a kind of handle is, from its label. */
function explainHandle(label: string, program: StepperProgramInfo): string {
  const coroutine = (task: string) => program.coroutines[task] ?? task;
  let match: RegExpExecArray | null;
  if ((match = /^Task\.__step (.+)$/.exec(label))) return `Task.__step runs ${match[1]}'s coroutine, ${coroutine(match[1])}, up to its next await`;
  if ((match = /^Task\.__wakeup (.+)$/.exec(label))) return `The future ${match[1]} waited on is done: Task.__wakeup resumes ${coroutine(match[1])}`;
  if ((match = /^futures\._set_result_unless_cancelled (.+)$/.exec(label))) return `asyncio.sleep's timer fires: it sets the result of the future ${match[1]}`;
  if ((match = /^_sock_recv fd=(\d+)$/.exec(label))) return `The reader callback of fd ${match[1]} calls recv() again; unless its future is already done, it sets the future with the bytes read`;
  if ((match = /^sock_recv\(fd=(\d+)\) done callback$/.exec(label))) return `sock_recv's done callback (_sock_read_done) removes the reader of fd ${match[1]}`;
  if ((match = /^(.+) done callback$/.exec(label))) return `A done callback of ${match[1]}`;
  if (label === '_read_from_self') return 'The self-pipe was written to (call_soon_threadsafe): the loop drains it';
  return `The callback ${label}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** A timeout as Python passes it to select(): seconds as a float, or None. */
function pythonTimeout(timeoutUs: number | null): string {
  return timeoutUs === null ? 'None' : String(timeoutUs / S);
}
