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
import {microsecondsFromSeconds, milliseconds, seconds, type Scenario, type ScenarioRow} from './types';

function onMachine<R>(seed: number, program: (machine: Machine) => Blocking<R>): R {
  const machine = new Machine({cores: 4, seed, globals: {counter: 0}});
  let value: R | undefined;
  machine.run(function* main() {
    value = yield* program(machine);
  });
  return value as R;
}

/** `counter = 0`, a child does `global counter; counter = 100`, then the parent prints counter. */
function globalsPitfall(seed: number): {symptom: number; fixed: number} {
  // A module-level function; the closure only reaches the simulated machine, whose globals are per process.
  const setCounter = (machine: Machine) =>
    pyfunc('set_counter', function* (): Blocking<number> {
      machine.globals.set('counter', 100);
      return 100;
    });
  const symptom = onMachine(seed, function* (machine) {
    const child = new Process(machine, {target: setCounter(machine)});
    yield* child.start();
    yield* child.join();
    return machine.globals.get('counter') as number;
  });
  // The fix: the child returns the value and the parent keeps it (or a Value / Manager shares it).
  const fixed = onMachine(seed, function* (machine) {
    yield* new ProcessPoolExecutor(machine, {maxWorkers: 1}).within(function* (pool) {
      const future = yield* pool.submit(setCounter(machine));
      machine.globals.set('counter', yield* future.result());
    });
    return machine.globals.get('counter') as number;
  });
  return {symptom, fixed};
}

/** A handler doing time.sleep(1) vs await asyncio.sleep(1) beside a 0.1 s heartbeat: the longest gap between beats. */
function blockingPitfall(seed: number, blocking: boolean): {longestGapUs: number; slowCallbacks: number} {
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
  return {longestGapUs: longestGap, slowCallbacks: outcome.slowCallbacks.length};
}

const fail = pyfunc('fetch', function* (): Blocking<number> {
  throw new PythonError('ValueError', 'bad response');
});

/** executor.submit(fetch) where fetch raises: without result() nothing is raised; result() raises it. */
function futurePitfall(seed: number, callResult: boolean): number {
  return onMachine(seed, function* (machine) {
    let raised = 0;
    yield* new ThreadPoolExecutor(machine, {maxWorkers: 2}).within(function* (pool) {
      const future = yield* pool.submit(fail);
      if (callResult) {
        try {
          yield* future.result();
        } catch (error) {
          if (!(error instanceof PythonError)) throw error;
          raised += 1;
        }
      }
    });
    return raised;
  });
}

const square = pyfunc('square', function* (x: number): Blocking<number> {
  return x * x;
});
const squareLambda = pyfunc('<lambda>', square.call);

/** ProcessPoolExecutor().map over 4 items: how many results come back before an error. */
function picklePitfall(seed: number, fn: typeof square): {results: number; error: string | null} {
  return onMachine(seed, function* (machine) {
    let results = 0;
    let error: string | null = null;
    yield* new ProcessPoolExecutor(machine, {maxWorkers: 2}).within(function* (pool) {
      try {
        const iterator = yield* pool.map(fn, [1, 2, 3, 4]);
        while ((yield* iterator.next()) !== null) results += 1;
      } catch (raised) {
        if (!(raised instanceof PythonError)) throw raised;
        error = raised.pythonType;
      }
    });
    return {results, error};
  });
}

/** gather(call(1 s), fail after 0.5 s, call(2 s)); main catches, then waits 3 s to see what the others did. */
function gatherPitfall(seed: number, returnExceptions: boolean): {raisedAtUs: number | null; othersFinished: number; results: number} {
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
  run(function* main(): Coro<void> {
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
  return {raisedAtUs, othersFinished, results};
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
    const rows: ScenarioRow[] = [
      {key: 'global-in-child', label: 'child sets global counter = 100: the parent then sees', value: globals.symptom, unit: 'value', seed: null},
      {key: 'global-returned', label: 'fix: the child returns 100 through a ProcessPoolExecutor future', value: globals.fixed, unit: 'value', seed: null},
      {key: 'time-sleep-gap', label: 'time.sleep(1) in a coroutine: longest gap of a 0.1 s heartbeat', value: milliseconds(blocked.longestGapUs), unit: 'ms', seed: null},
      {key: 'time-sleep-slow-callbacks', label: 'time.sleep(1): slow callbacks reported (debug mode, over 0.1 s)', value: blocked.slowCallbacks, unit: 'callbacks', seed: null},
      {key: 'asyncio-sleep-gap', label: 'fix: await asyncio.sleep(1): longest heartbeat gap', value: milliseconds(awaited.longestGapUs), unit: 'ms', seed: null},
      {key: 'asyncio-sleep-slow-callbacks', label: 'await asyncio.sleep(1): slow callbacks reported', value: awaited.slowCallbacks, unit: 'callbacks', seed: null},
      {key: 'future-no-result', label: 'submit(fetch) that raises, result() never called: exceptions raised', value: futurePitfall(seed, false), unit: 'exceptions', seed: 0},
      {key: 'future-result', label: 'fix: future.result() raises it', value: futurePitfall(seed, true), unit: 'exceptions', seed: 1},
      {key: 'lambda-results', label: `ProcessPoolExecutor().map(lambda x: x * x, 4 items): results before ${lambda.error ?? 'no error'}`, value: lambda.results, unit: 'results', seed: 0},
      {key: 'named-function-results', label: 'fix: a module-level def square(x): results', value: named.results, unit: 'results', seed: null},
      {key: 'gather-raises-at', label: 'gather(1 s, fails at 0.5 s, 2 s): the exception reaches main at', value: gatherFirst.raisedAtUs === null ? -1 : seconds(gatherFirst.raisedAtUs), unit: 's', seed: null},
      {key: 'gather-others-finished', label: 'without return_exceptions: other calls that still ran to completion', value: gatherFirst.othersFinished, unit: 'calls', seed: 0},
      {key: 'gather-return-exceptions-results', label: 'fix: return_exceptions=True: results returned (the error among them)', value: gatherAll.results, unit: 'results', seed: 3},
    ];
    return rows;
  },
};
