/**
 * Seed 004: "process start has a fixed cost (~50–200 ms); too small a task gets slower". The model
 * gives each start method its own cost: fork about a millisecond or two, forkserver ~10–15 ms once
 * its server runs (its first start also waits for the server), spawn ~70 ms (a fresh interpreter
 * importing the main module). Then, for n tasks on a ProcessPoolExecutor, the smallest task size
 * (from a fixed ladder) at which the pool beats running them serially.
 */
import {Machine} from '../machine';
import {ProcessPoolExecutor} from '../pools';
import {Process, START_METHODS, pyfunc, type StartMethod} from '../processes';
import {cpu} from '../threads';
import {milliseconds, type Scenario, type ScenarioRow} from './types';

/** Task sizes tried for the break-even, in microseconds. */
const TASK_LADDER_US = [100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000];

function startTimes(method: StartMethod, cores: number, seed: number): {first: number; warm: number; warmJoin: number} {
  const machine = new Machine({cores, seed});
  const began: number[] = [];
  const mark = pyfunc('mark', function* () {
    began.push(machine.now);
    yield cpu(1);
  });
  const starts: number[] = [];
  let warmJoin = 0;
  machine.run(function* main() {
    for (let round = 0; round < 2; round += 1) {
      const before = machine.now;
      starts.push(before);
      const p = new Process(machine, {target: mark, startMethod: method});
      yield* p.start();
      yield* p.join();
      if (round === 1) warmJoin = machine.now - before;
    }
  });
  return {first: began[0] - starts[0], warm: began[1] - starts[1], warmJoin};
}

function poolBeatsSerial(method: StartMethod, taskUs: number, n: number, cores: number, seed: number): boolean {
  const task = pyfunc('task', function* (x: number) {
    yield cpu(taskUs);
    return x;
  });
  const serial = new Machine({cores, seed}).run(function* main() {
    for (let index = 0; index < n; index += 1) yield* task.call(index);
  }).metrics.wallTimeUs;
  const machine = new Machine({cores, seed});
  const pooled = machine.run(function* main() {
    yield* new ProcessPoolExecutor(machine, {startMethod: method}).within(function* (pool) {
      const results = yield* pool.map(task, Array.from({length: n}, (_, i) => i));
      while ((yield* results.next()) !== null);
    });
  }).metrics.wallTimeUs;
  return pooled < serial;
}

export const processStartup: Scenario = {
  id: 'process-startup',
  description: 'start cost of a process for fork, spawn and forkserver, and the smallest task for which a process pool beats serial',
  defaults: {cores: 8, n: 8, seed: 1},
  run({cores, n, seed}) {
    const rows: ScenarioRow[] = [];
    for (const method of START_METHODS) {
      const {first, warm, warmJoin} = startTimes(method, cores, seed);
      rows.push({key: `start-${method}`, label: `${method}: start() until the target runs`, value: milliseconds(warm), unit: 'ms', seed: null});
      // The seed claims a fixed ~50–200 ms for any process start; its low end is shown.
      rows.push({key: `start-join-${method}`, label: `${method}: start() + join() of an empty target (seed: 50–200 ms)`, value: milliseconds(warmJoin), unit: 'ms', seed: 50});
      if (method === 'forkserver') rows.push({key: 'start-forkserver-first', label: 'forkserver: the first start, waiting for the server', value: milliseconds(first), unit: 'ms', seed: null});
    }
    for (const method of START_METHODS) {
      const smallest = TASK_LADDER_US.find((taskUs) => poolBeatsSerial(method, taskUs, n, cores, seed)) ?? null;
      rows.push({
        key: `breakeven-${method}`,
        label: `${method}: smallest task (of a 0.1 ms … 1 s ladder) for which ProcessPoolExecutor() beats serial over ${n} tasks`,
        // -1: no task size on the ladder makes the pool win (with n = 1 it never can).
        value: smallest === null ? -1 : milliseconds(smallest),
        unit: 'ms',
        seed: null,
      });
    }
    return rows;
  },
};
