/**
 * Seed 004 (section 10): the 3.13 free-threaded build (PEP 703, --disable-gil) lets threads run
 * CPU-bound Python code in parallel. The same total work split over 1, 2, 4, … threads up to
 * --cores, on a GIL build and on the free-threaded 3.13t and 3.14t builds, whose bytecode runs
 * slower on one thread (FREE_THREADED_SINGLE_THREAD_SLOWDOWN). The Machine's free-threaded mode
 * does not charge that slowdown, so this scenario charges it on each `cpu` step it runs in
 * free-threaded mode, through the `singleThreadSlowdown` option of runSplit only.
 */
import {FREE_THREADED_SINGLE_THREAD_SLOWDOWN} from '../constants';
import {Machine} from '../machine';
import {cpu} from '../threads';
import {seconds, type Scenario, type ScenarioRow} from './types';

/** Total bytecode work: two seconds of one core on the GIL build. */
const TOTAL_WORK_US = 2_000_000;
type Build = {name: string; key: string} & ({mode: 'gil'} | {mode: 'free-threaded'; version: keyof typeof FREE_THREADED_SINGLE_THREAD_SLOWDOWN});
const BUILDS: readonly Build[] = [
  {name: 'GIL build (3.13/3.14)', key: 'gil', mode: 'gil'},
  {name: 'free-threaded 3.13t', key: 'ft313', mode: 'free-threaded', version: '3.13'},
  {name: 'free-threaded 3.14t', key: 'ft314', mode: 'free-threaded', version: '3.14'},
];

/** Wall time of TOTAL_WORK_US split over `threads` threads; `singleThreadSlowdown` stretches each cpu step. */
function runSplit(threads: number, options: {mode: 'gil' | 'free-threaded'; singleThreadSlowdown: number; cores: number; seed: number}): number {
  const {mode, singleThreadSlowdown, cores, seed} = options;
  const machine = new Machine({cores, mode, seed});
  const share = Math.round((TOTAL_WORK_US / threads) * (1 + singleThreadSlowdown));
  return machine.run(function* main() {
    const workers = Array.from({length: threads}, (_, index) =>
      machine.thread({
        name: `worker-${index + 1}`,
        *target() {
          yield cpu(share);
        },
      }),
    );
    for (const worker of workers) yield worker.start();
    for (const worker of workers) yield worker.join();
  }).metrics.wallTimeUs;
}

export const freeThreading: Scenario = {
  id: 'free-threading',
  description: 'CPU-bound threads on a GIL build vs the free-threaded 3.13t and 3.14t builds, with their single-thread slowdown',
  defaults: {cores: 4, seed: 1},
  run({cores, seed}) {
    const counts: number[] = [];
    for (let count = 1; count < cores; count *= 2) counts.push(count);
    counts.push(cores);
    const wall = (build: Build, threads: number): number =>
      runSplit(threads, {mode: build.mode, singleThreadSlowdown: build.mode === 'gil' ? 0 : FREE_THREADED_SINGLE_THREAD_SLOWDOWN[build.version], cores, seed});
    const rows: ScenarioRow[] = [];
    const gilOne = wall(BUILDS[0], 1);
    for (const build of BUILDS) {
      for (const count of counts) {
        rows.push({key: `${build.key}-${count}`, label: `${build.name}: ${count} thread(s) on ${cores} core(s)`, value: seconds(wall(build, count)), unit: 's', seed: null});
      }
    }
    for (const build of BUILDS.slice(1)) {
      rows.push(
        {key: `${build.key}-single-thread-slowdown`, label: `${build.name}: one thread, wall time / the GIL build's`, value: wall(build, 1) / gilOne, unit: '×', seed: null},
        {key: `${build.key}-speedup`, label: `${build.name}: ${cores} threads vs one thread on the GIL build`, value: gilOne / wall(build, cores), unit: '×', seed: null},
      );
    }
    return rows;
  },
};
