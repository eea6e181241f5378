/**
 * Seeds 003 and 004: n factorisations of 112272535095293 (CPU-bound, 1.5 s each on the seed's
 * machine) run serially, with ThreadPoolExecutor(max_workers=n), with ProcessPoolExecutor()
 * (default max_workers = cores) under each start method, and with multiprocessing.Pool(workers).map.
 * Seed 004 claims serial ~12.0 s, threads ~12.0 s, processes ~1.6 s on 8 cores: the model gives
 * 12/8 = 1.5 s plus the start of the workers and the pickling, so ~1.5 s with fork (3.12's
 * default) and ~1.6 s with spawn.
 */
import {FACTORIZE_TASK_CPU_US} from '../constants';
import {Machine} from '../machine';
import {Pool, ProcessPoolExecutor, ThreadPoolExecutor, type Blocking} from '../pools';
import {pyfunc, type StartMethod} from '../processes';
import {cpu} from '../threads';
import {seconds, type Scenario, type ScenarioRow} from './types';

const NUMBER = 112272535095293;

const factorize = pyfunc('factorize', function* (n: number) {
  yield cpu(FACTORIZE_TASK_CPU_US);
  return [n];
});

export const cpuBound: Scenario = {
  id: 'cpu-bound',
  description: 'n CPU-bound factorisations: serial vs ThreadPoolExecutor vs ProcessPoolExecutor (fork, spawn, forkserver) vs Pool(workers).map',
  defaults: {cores: 8, n: 8, workers: 4, seed: 1},
  // Every task is real CPU time on the simulated machine: 10,000 of them would take minutes to simulate.
  maxima: {n: 1000},
  run({cores, n, workers, seed}) {
    const numbers = Array.from({length: n}, () => NUMBER);
    const wall = (program: (machine: Machine) => Blocking<void>): number => {
      const machine = new Machine({cores, seed});
      return seconds(machine.run(function* main() {
        yield* program(machine);
      }).metrics.wallTimeUs);
    };
    const serial = wall(function* () {
      for (const number of numbers) yield* factorize.call(number);
    });
    const threads = wall(function* (machine) {
      yield* new ThreadPoolExecutor(machine, {maxWorkers: n}).within(function* (pool) {
        const results = yield* pool.map(factorize, numbers);
        while ((yield* results.next()) !== null);
      });
    });
    const processes = (startMethod: StartMethod): number =>
      wall(function* (machine) {
        yield* new ProcessPoolExecutor(machine, {startMethod}).within(function* (pool) {
          const results = yield* pool.map(factorize, numbers);
          while ((yield* results.next()) !== null);
        });
      });
    const poolMap = wall(function* (machine) {
      const pool = yield* Pool.create(machine, {processes: workers});
      yield* pool.within(function* (p) {
        yield* p.map(factorize, numbers);
      });
    });
    const seedRun = n === 8 && cores === 8;
    const rows: ScenarioRow[] = [
      {key: 'serial', label: `serial: ${n} factorisations`, value: serial, unit: 's', seed: n === 8 ? 12.0 : null},
      {key: 'threads', label: `ThreadPoolExecutor(max_workers=${n}).map`, value: threads, unit: 's', seed: n === 8 ? 12.0 : null},
      {key: 'processes', label: `ProcessPoolExecutor() (${cores} workers), fork: the default up to 3.13`, value: processes('fork'), unit: 's', seed: seedRun ? 1.6 : null},
      {key: 'processes-spawn', label: 'ProcessPoolExecutor(), spawn', value: processes('spawn'), unit: 's', seed: null},
      {key: 'processes-forkserver', label: 'ProcessPoolExecutor(), forkserver: the default from 3.14', value: processes('forkserver'), unit: 's', seed: null},
      {key: 'pool-map', label: `multiprocessing.Pool(${workers}).map, fork`, value: poolMap, unit: 's', seed: null},
    ];
    return rows;
  },
};
