/**
 * Seed 001: ProcessPoolExecutor(max_workers=3).map(func, [2, 3, 1, 4]) yields results in input
 * order; submit + as_completed yields them in completion order. func sleeps its argument in
 * seconds. map's first result waits for the 2 s task even though the 1 s task ends first.
 */
import {Machine} from '../machine';
import {ProcessPoolExecutor, asCompleted, type Future} from '../pools';
import {pyfunc} from '../processes';
import {sleep} from '../threads';
import {machineTimeline, withMarks, type TimelineMark} from '../timeline';
import {microsecondsFromSeconds, seconds, type Scenario, type ScenarioRow} from './types';

const ITEMS = [2, 3, 1, 4];

export const poolMapOrder: Scenario = {
  id: 'pool-map-order',
  description: 'the same tasks through executor.map (input order) and submit + as_completed (completion order), ProcessPoolExecutor(3), fork',
  defaults: {cores: 4, workers: 3, seed: 1},
  run({cores, workers, seed}) {
    const func = pyfunc('func', function* (s: number) {
      yield sleep(microsecondsFromSeconds(s));
      return s;
    });
    const mapped: {value: number; time: number}[] = [];
    const machineA = new Machine({cores, seed});
    const mapRun = machineA.run(function* main() {
      yield* new ProcessPoolExecutor(machineA, {maxWorkers: workers, startMethod: 'fork'}).within(function* (pool) {
        const results = yield* pool.map(func, ITEMS);
        for (let next; (next = yield* results.next()) !== null; ) mapped.push({value: next.value, time: machineA.now});
      });
    });
    const completed: {value: number; time: number}[] = [];
    const machineB = new Machine({cores, seed});
    const completedRun = machineB.run(function* main() {
      yield* new ProcessPoolExecutor(machineB, {maxWorkers: workers, startMethod: 'fork'}).within(function* (pool) {
        const fs: Future<number>[] = [];
        for (const item of ITEMS) fs.push(yield* pool.submit(func, item));
        const it = asCompleted(machineB, fs);
        for (let f; (f = yield* it.next()) !== null; ) completed.push({value: yield* f.result(), time: machineB.now});
      });
    });
    const seedRun = workers === 3;
    const rows: ScenarioRow[] = [];
    mapped.forEach(({value, time}, index) => {
      rows.push({key: `map-${index + 1}`, label: `map: result #${index + 1} (received at ${seconds(time).toFixed(2)} s)`, value, unit: 'result', seed: seedRun ? ITEMS[index] : null});
    });
    completed.forEach(({value, time}, index) => {
      rows.push({key: `as-completed-${index + 1}`, label: `as_completed: result #${index + 1} (received at ${seconds(time).toFixed(2)} s)`, value, unit: 'result', seed: null});
    });
    const received = (results: {value: number; time: number}[]): TimelineMark[] =>
      results.map(({value, time}, index) => ({lane: 'thread:MainThread', atUs: time, label: `result #${index + 1}: ${value}`}));
    const timelines = [
      withMarks(machineTimeline(mapRun, `executor.map: ProcessPoolExecutor(${workers}), fork`), received(mapped)),
      withMarks(machineTimeline(completedRun, `submit + as_completed: ProcessPoolExecutor(${workers}), fork`), received(completed)),
    ];
    return {rows, timelines};
  },
};
