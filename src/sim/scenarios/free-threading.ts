/**
 * Seed 004 (section 10): the 3.13 free-threaded build (PEP 703, --disable-gil) lets threads run
 * CPU-bound Python code in parallel. The same total work split over 1, 2, 4, … threads up to
 * --cores, on a GIL build and on the free-threaded 3.13t and 3.14t builds, whose bytecode runs
 * slower on one thread (the Machine charges FREE_THREADED_SINGLE_THREAD_SLOWDOWN per build).
 */
import type {FreeThreadedVersion, RunResult} from '../machine';
import {machineTimeline} from '../timeline';
import {runSplit} from './gil-cpu-threads';
import {seconds, type Scenario, type ScenarioRow} from './types';

type Build = {name: string; key: string} & ({mode: 'gil'} | {mode: 'free-threaded'; version: FreeThreadedVersion});
const BUILDS: readonly Build[] = [
  {name: 'GIL build (3.13/3.14)', key: 'gil', mode: 'gil'},
  {name: 'free-threaded 3.13t', key: 'ft313', mode: 'free-threaded', version: '3.13'},
  {name: 'free-threaded 3.14t', key: 'ft314', mode: 'free-threaded', version: '3.14'},
];

export const freeThreading: Scenario = {
  id: 'free-threading',
  description: 'CPU-bound threads on a GIL build vs the free-threaded 3.13t and 3.14t builds, with their single-thread slowdown',
  defaults: {cores: 4, seed: 1},
  run({cores, seed}) {
    const counts: number[] = [];
    for (let count = 1; count < cores; count *= 2) counts.push(count);
    counts.push(cores);
    // Each run once: the rows and the timelines read the same runs.
    const runs = new Map<string, RunResult>();
    const runOf = (build: Build, threads: number): RunResult => {
      const key = `${build.key}-${threads}`;
      if (!runs.has(key)) runs.set(key, runSplit(threads, build.mode, cores, seed, build.mode === 'gil' ? undefined : build.version));
      return runs.get(key)!;
    };
    const wall = (build: Build, threads: number): number => runOf(build, threads).metrics.wallTimeUs;
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
    const timelines = BUILDS.map((build) => machineTimeline(runOf(build, cores), `${build.name}: ${cores} thread(s) on ${cores} core(s)`));
    return {rows, timelines};
  },
};
