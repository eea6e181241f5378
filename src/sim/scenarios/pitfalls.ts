/**
 * Seed 004's pitfalls, each run twice, the mistake and the fix: module globals are per process
 * (multiprocessing, Lib/multiprocessing/process.py), a blocking call in a coroutine stalls the
 * loop (Lib/asyncio/base_events.py's slow-callback warning), an exception waits in its Future
 * until result() (Lib/concurrent/futures/_base.py), a lambda cannot be pickled for a process pool
 * (Lib/concurrent/futures/process.py), and one failure in gather (Lib/asyncio/tasks.py). The seed
 * says that failure cancels the others: it does not; without return_exceptions the first exception
 * reaches the awaiting code while the other awaitables run on to the end.
 */
import {blockingCall, createTask, gather, getRunningLoop, run, sleep as loopSleep, type Coro} from '../asyncio';
import {PythonError} from '../errors';
import {Machine} from '../machine';
import {ProcessPoolExecutor, ThreadPoolExecutor, type Blocking} from '../pools';
import {Process, pyfunc} from '../processes';
import {loopTimeline, machineTimeline, withMarks, type Timeline, type TimelineMark} from '../timeline';
import {microsecondsFromSeconds, milliseconds, seconds, type Scenario, type ScenarioRow} from './types';

/** Run `program` as the main thread; its value, and the run's timeline with the moments `program` marked on MainThread. */
function onMachine<R>(seed: number, title: string, program: (machine: Machine, mark: (label: string) => void) => Blocking<R>): {value: R; timeline: Timeline} {
  const machine = new Machine({cores: 4, seed, globals: {counter: 0}});
  const moments: TimelineMark[] = [];
  const mark = (label: string): void => void moments.push({lane: 'thread:MainThread', atUs: machine.now, label});
  let value: R | undefined;
  const result = machine.run(function* main() {
    value = yield* program(machine, mark);
  });
  return {value: value as R, timeline: withMarks(machineTimeline(result, title), moments)};
}

/** `counter = 0`, a child does `global counter; counter = 100`, then the parent prints counter. */
function globalsPitfall(seed: number): {symptom: number; fixed: number; timelines: Timeline[]} {
  // A module-level function; the closure only reaches the simulated machine, whose globals are per process.
  const setCounter = (machine: Machine) =>
    pyfunc('set_counter', function* (): Blocking<number> {
      machine.globals.set('counter', 100);
      return 100;
    });
  const symptom = onMachine(seed, 'globals: a child process sets counter = 100 (the mistake)', function* (machine, mark) {
    const child = new Process(machine, {target: setCounter(machine)});
    yield* child.start();
    yield* child.join();
    mark(`the parent's counter is still ${String(machine.globals.get('counter'))}`);
    return machine.globals.get('counter') as number;
  });
  // The fix: the child returns the value and the parent keeps it (or a Value / Manager shares it).
  const fixed = onMachine(seed, 'globals: the child returns 100 through a ProcessPoolExecutor future (the fix)', function* (machine, mark) {
    yield* new ProcessPoolExecutor(machine, {maxWorkers: 1}).within(function* (pool) {
      const future = yield* pool.submit(setCounter(machine));
      machine.globals.set('counter', yield* future.result());
      mark(`the parent sets counter = ${String(machine.globals.get('counter'))} from the result`);
    });
    return machine.globals.get('counter') as number;
  });
  return {symptom: symptom.value, fixed: fixed.value, timelines: [symptom.timeline, fixed.timeline]};
}

/** A handler doing time.sleep(1) vs await asyncio.sleep(1) beside a 0.1 s heartbeat: the longest gap between beats. */
function blockingPitfall(seed: number, blocking: boolean): {longestGapUs: number; slowCallbacks: number; timeline: Timeline} {
  let lastBeat = 0;
  let longestGap = 0;
  function* heartbeat(): Coro<void> {
    for (let beat = 0; beat < 15; beat += 1) {
      yield* loopSleep(microsecondsFromSeconds(0.1));
      const now = getRunningLoop().time();
      longestGap = Math.max(longestGap, now - lastBeat);
      lastBeat = now;
    }
  }
  function* handler(): Coro<void> {
    if (blocking) yield blockingCall(microsecondsFromSeconds(1), 'time.sleep');
    else yield* loopSleep(microsecondsFromSeconds(1));
  }
  const outcome = run(function* main(): Coro<void> {
    yield* gather([createTask(heartbeat(), 'heartbeat'), createTask(handler(), 'handler')]);
  }, {seed});
  const title = blocking ? 'time.sleep(1) in a coroutine beside a 0.1 s heartbeat (the mistake)' : 'await asyncio.sleep(1) beside a 0.1 s heartbeat (the fix)';
  return {longestGapUs: longestGap, slowCallbacks: outcome.slowCallbacks.length, timeline: loopTimeline(outcome, title)};
}

const fail = pyfunc('fetch', function* (): Blocking<number> {
  throw new PythonError('ValueError', 'bad response');
});

/** executor.submit(fetch) where fetch raises: without result() nothing is raised; result() raises it. */
function futurePitfall(seed: number, callResult: boolean): {raised: number; timeline: Timeline} {
  const title = callResult ? 'future.result() raises the exception (the fix)' : 'submit(fetch) that raises, result() never called (the mistake)';
  const {value, timeline} = onMachine(seed, title, function* (machine, mark) {
    let raised = 0;
    yield* new ThreadPoolExecutor(machine, {maxWorkers: 2}).within(function* (pool) {
      const future = yield* pool.submit(fail);
      if (callResult) {
        try {
          yield* future.result();
        } catch (error) {
          if (!(error instanceof PythonError)) throw error;
          raised += 1;
          mark(`future.result() raised ${error.pythonType}: ${error.message}`);
        }
      }
    });
    if (!callResult) mark('the with-block ends: the ValueError stays in the future, never raised');
    return raised;
  });
  return {raised: value, timeline};
}

const square = pyfunc('square', function* (x: number): Blocking<number> {
  return x * x;
});
const squareLambda = pyfunc('<lambda>', square.call);

/** ProcessPoolExecutor().map over 4 items: how many results come back before an error. */
function picklePitfall(seed: number, fn: typeof square): {results: number; error: string | null; timeline: Timeline} {
  const title = fn.qualname === '<lambda>' ? 'ProcessPoolExecutor().map(lambda x: x * x, …) (the mistake)' : 'ProcessPoolExecutor().map(square, …), a module-level def (the fix)';
  const {value, timeline} = onMachine(seed, title, function* (machine, mark) {
    let results = 0;
    let error: string | null = null;
    yield* new ProcessPoolExecutor(machine, {maxWorkers: 2}).within(function* (pool) {
      try {
        const iterator = yield* pool.map(fn, [1, 2, 3, 4]);
        while ((yield* iterator.next()) !== null) results += 1;
      } catch (raised) {
        if (!(raised instanceof PythonError)) throw raised;
        error = raised.pythonType;
        mark(`map's iterator raised ${raised.pythonType}`);
      }
    });
    return {results, error};
  });
  return {...value, timeline};
}

/** gather(call(1 s), fail after 0.5 s, call(2 s)); main catches, then waits 3 s to see what the others did. */
function gatherPitfall(seed: number, returnExceptions: boolean): {raisedAtUs: number | null; othersFinished: number; results: number; timeline: Timeline} {
  let othersFinished = 0;
  let raisedAtUs: number | null = null;
  let results = 0;
  function* call(delayS: number): Coro<string> {
    yield* loopSleep(microsecondsFromSeconds(delayS));
    othersFinished += 1;
    return `ok after ${delayS} s`;
  }
  function* failing(): Coro<string> {
    yield* loopSleep(microsecondsFromSeconds(0.5));
    throw new PythonError('ValueError', 'downstream failed');
  }
  const outcome = run(function* main(): Coro<void> {
    try {
      const values = returnExceptions ? yield* gather([call(1), failing(), call(2)], {returnExceptions: true}) : yield* gather([call(1), failing(), call(2)]);
      results = values.length;
    } catch (error) {
      if (!(error instanceof PythonError)) throw error;
      raisedAtUs = getRunningLoop().time();
    }
    // asyncio.run would cancel what is still running when main returns: give the others time.
    yield* loopSleep(microsecondsFromSeconds(3));
  }, {seed});
  const title = returnExceptions ? 'gather(1 s, fails at 0.5 s, 2 s, return_exceptions=True) (the fix)' : 'gather(1 s, fails at 0.5 s, 2 s): the others run on';
  const timeline = withMarks(
    loopTimeline(outcome, title),
    raisedAtUs === null ? [] : [{lane: 'loop', atUs: raisedAtUs, label: 'the ValueError reaches main; the other calls run on'}],
  );
  return {raisedAtUs, othersFinished, results, timeline};
}

export const pitfalls: Scenario = {
  id: 'pitfalls',
  description: "seed 004's pitfalls, each as the mistake and the fix: globals across processes, time.sleep in a coroutine, exceptions kept in futures, pickling a lambda, one failure in gather",
  defaults: {seed: 1},
  run({seed}) {
    const globals = globalsPitfall(seed);
    const blocked = blockingPitfall(seed, true);
    const awaited = blockingPitfall(seed, false);
    const lambda = picklePitfall(seed, squareLambda);
    const named = picklePitfall(seed, square);
    const gatherFirst = gatherPitfall(seed, false);
    const gatherAll = gatherPitfall(seed, true);
    const futureKept = futurePitfall(seed, false);
    const futureRaised = futurePitfall(seed, true);
    const rows: ScenarioRow[] = [
      {key: 'global-in-child', label: 'child sets global counter = 100: the parent then sees', value: globals.symptom, unit: 'value', seed: null},
      {key: 'global-returned', label: 'fix: the child returns 100 through a ProcessPoolExecutor future', value: globals.fixed, unit: 'value', seed: null},
      {key: 'time-sleep-gap', label: 'time.sleep(1) in a coroutine: longest gap of a 0.1 s heartbeat', value: milliseconds(blocked.longestGapUs), unit: 'ms', seed: null},
      {key: 'time-sleep-slow-callbacks', label: 'time.sleep(1): slow callbacks reported (debug mode, over 0.1 s)', value: blocked.slowCallbacks, unit: 'callbacks', seed: null},
      {key: 'asyncio-sleep-gap', label: 'fix: await asyncio.sleep(1): longest heartbeat gap', value: milliseconds(awaited.longestGapUs), unit: 'ms', seed: null},
      {key: 'asyncio-sleep-slow-callbacks', label: 'await asyncio.sleep(1): slow callbacks reported', value: awaited.slowCallbacks, unit: 'callbacks', seed: null},
      {key: 'future-no-result', label: 'submit(fetch) that raises, result() never called: exceptions raised', value: futureKept.raised, unit: 'exceptions', seed: 0},
      {key: 'future-result', label: 'fix: future.result() raises it', value: futureRaised.raised, unit: 'exceptions', seed: 1},
      {key: 'lambda-results', label: `ProcessPoolExecutor().map(lambda x: x * x, 4 items): results before ${lambda.error ?? 'no error'}`, value: lambda.results, unit: 'results', seed: 0},
      {key: 'named-function-results', label: 'fix: a module-level def square(x): results', value: named.results, unit: 'results', seed: null},
      {key: 'gather-raises-at', label: 'gather(1 s, fails at 0.5 s, 2 s): the exception reaches main at', value: gatherFirst.raisedAtUs === null ? -1 : seconds(gatherFirst.raisedAtUs), unit: 's', seed: null},
      {key: 'gather-others-finished', label: 'without return_exceptions: other calls that still ran to completion', value: gatherFirst.othersFinished, unit: 'calls', seed: 0},
      {key: 'gather-return-exceptions-results', label: 'fix: return_exceptions=True: results returned (the error among them)', value: gatherAll.results, unit: 'results', seed: 3},
    ];
    const timelines = [
      ...globals.timelines,
      blocked.timeline,
      awaited.timeline,
      futureKept.timeline,
      futureRaised.timeline,
      lambda.timeline,
      named.timeline,
      gatherFirst.timeline,
      gatherAll.timeline,
    ];
    return {rows, timelines};
  },
};
