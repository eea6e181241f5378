/**
 * Seeds 003 and 004: n factorisations of 112272535095293 (CPU-bound, 1.5 s each on the seed's
 * machine) run serially, with ThreadPoolExecutor(max_workers=n), with ProcessPoolExecutor()
 * (default max_workers = cores) under each start method, and with multiprocessing.Pool(workers).map.
 * Seed 004 claims serial ~12.0 s, threads ~12.0 s, processes ~1.6 s on 8 cores: the model gives
 * 12/8 = 1.5 s plus the start of the workers and the pickling, so ~1.5 s with fork (3.12's
 * default) and ~1.6 s with spawn.
 */
import {FACTORIZE_TASK_CPU_US} from '../constants';
import {Machine, type RunResult} from '../machine';
import {Pool, ProcessPoolExecutor, ThreadPoolExecutor, type Blocking} from '../pools';
import {pyfunc, type StartMethod} from '../processes';
import {cpu} from '../threads';
import {machineTimeline} from '../timeline';
import {seconds, type Scenario, type ScenarioRow} from './types';

const NUMBER = 112272535095293;

const wall = (run: RunResult): number => seconds(run.metrics.wallTimeUs);

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
    const runOf = (program: (machine: Machine) => Blocking<void>): RunResult => {
      const machine = new Machine({cores, seed});
      return machine.run(function* main() {
        yield* program(machine);
      });
    };
    const serial = runOf(function* () {
      for (const number of numbers) yield* factorize.call(number);
    });
    const threads = runOf(function* (machine) {
      yield* new ThreadPoolExecutor(machine, {maxWorkers: n}).within(function* (pool) {
        const results = yield* pool.map(factorize, numbers);
        while ((yield* results.next()) !== null);
      });
    });
    const processes = (startMethod: StartMethod): RunResult =>
      runOf(function* (machine) {
        yield* new ProcessPoolExecutor(machine, {startMethod}).within(function* (pool) {
          const results = yield* pool.map(factorize, numbers);
          while ((yield* results.next()) !== null);
        });
      });
    const fork = processes('fork');
    const spawn = processes('spawn');
    const forkserver = processes('forkserver');
    const poolMap = runOf(function* (machine) {
      const pool = yield* Pool.create(machine, {processes: workers});
      yield* pool.within(function* (p) {
        yield* p.map(factorize, numbers);
      });
    });
    const seedRun = n === 8 && cores === 8;
    const rows: ScenarioRow[] = [
      {key: 'serial', label: `serial: ${n} factorisations`, value: wall(serial), unit: 's', seed: n === 8 ? 12.0 : null},
      {key: 'threads', label: `ThreadPoolExecutor(max_workers=${n}).map`, value: wall(threads), unit: 's', seed: n === 8 ? 12.0 : null},
      {key: 'processes', label: `ProcessPoolExecutor() (${cores} workers), fork: the default up to 3.13`, value: wall(fork), unit: 's', seed: seedRun ? 1.6 : null},
      {key: 'processes-spawn', label: 'ProcessPoolExecutor(), spawn', value: wall(spawn), unit: 's', seed: null},
      {key: 'processes-forkserver', label: 'ProcessPoolExecutor(), forkserver: the default from 3.14', value: wall(forkserver), unit: 's', seed: null},
      {key: 'pool-map', label: `multiprocessing.Pool(${workers}).map, fork`, value: wall(poolMap), unit: 's', seed: null},
    ];
    const timelines = [
      machineTimeline(serial, 'serial'),
      machineTimeline(threads, `threads: ThreadPoolExecutor(${n})`),
      machineTimeline(fork, `processes (fork): ProcessPoolExecutor(), ${cores} workers`),
      machineTimeline(spawn, `processes (spawn): ProcessPoolExecutor(), ${cores} workers`),
      machineTimeline(forkserver, `processes (forkserver): ProcessPoolExecutor(), ${cores} workers`),
      machineTimeline(poolMap, `multiprocessing.Pool(${workers}).map (fork)`),
    ];
    return {rows, timelines};
  },
};
