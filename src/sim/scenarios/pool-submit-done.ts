/**
 * Seed 001: ThreadPoolExecutor(max_workers=5), spider(page) sleeps `page` seconds; tasks of 1, 2
 * and 3 s; done() right after submit and after time.sleep(2.5); then add_done_callback on each.
 * Tasks 1 and 2 are done by then, so their callbacks run at once in the main thread; task 3's runs
 * in the worker thread that finishes it, at 3 s.
 */
import {Machine} from '../machine';
import {ThreadPoolExecutor, type Future} from '../pools';
import {pyfunc} from '../processes';
import {PRINT_CPU_US} from '../constants';
import {cpu, sleep} from '../threads';
import {machineTimeline, withMarks} from '../timeline';
import {microsecondsFromSeconds, seconds, type Scenario, type ScenarioRow} from './types';

export const poolSubmitDone: Scenario = {
  id: 'pool-submit-done',
  description: 'ThreadPoolExecutor(5) with tasks of 1, 2, 3 s: done() at 0 s and 2.5 s, then the order and thread of add_done_callback',
  defaults: {cores: 4, workers: 5, delay: 2.5, seed: 1},
  run({cores, workers, delay, seed}) {
    const machine = new Machine({cores, seed});
    const pages = [1, 2, 3];
    const spider = pyfunc('spider', function* (page: number) {
      yield sleep(microsecondsFromSeconds(page));
      yield cpu(PRINT_CPU_US);
      return page;
    });
    const doneAtStart: boolean[] = [];
    const doneLater: boolean[] = [];
    const checkedAt: number[] = [];
    const callbacks: {page: number; thread: string; time: number}[] = [];
    const defaultWorkers = new ThreadPoolExecutor(new Machine({cores})).maxWorkers;
    const result = machine.run(function* main() {
      yield* new ThreadPoolExecutor(machine, {maxWorkers: workers}).within(function* (pool) {
        const tasks: Future<number>[] = [];
        for (const page of pages) tasks.push(yield* pool.submit(spider, page));
        doneAtStart.push(...tasks.map((t) => t.done()));
        checkedAt.push(machine.now);
        yield sleep(microsecondsFromSeconds(delay));
        doneLater.push(...tasks.map((t) => t.done()));
        checkedAt.push(machine.now);
        for (const task of tasks) {
          task.addDoneCallback((f) => callbacks.push({page: f.finishedValue(), thread: machine.currentThread.name, time: machine.now}));
        }
      });
    });
    const seedRun = workers === 5 && delay === 2.5;
    const rows: ScenarioRow[] = [];
    pages.forEach((page, index) => {
      rows.push({key: `done-0s-task${page}`, label: `task${page}.done() right after submit (1 = True)`, value: Number(doneAtStart[index]), unit: 'bool', seed: seedRun ? 0 : null});
    });
    pages.forEach((page, index) => {
      rows.push({key: `done-later-task${page}`, label: `task${page}.done() after sleep(${delay})`, value: Number(doneLater[index]), unit: 'bool', seed: seedRun ? [1, 1, 0][index] : null});
    });
    callbacks.forEach((call, index) => {
      rows.push({key: `callback-${index + 1}`, label: `callback #${index + 1}: result ${call.page}, run by ${call.thread} at ${seconds(call.time).toFixed(3)} s`, value: call.page, unit: 'result', seed: null});
    });
    rows.push(
      {key: 'wall', label: 'wall time of the with-block (shutdown waits for task3)', value: seconds(result.metrics.wallTimeUs), unit: 's', seed: null},
      // Seed 001: "默认值是 CPU 个数的 5 倍" (5 × CPUs): true for 3.5–3.7 only; 3.8+ is min(32, cpu + 4).
      {key: 'default-max-workers', label: `ThreadPoolExecutor() default max_workers on ${cores} cores: min(32, cpu + 4)`, value: defaultWorkers, unit: 'threads', seed: 5 * cores},
    );
    const said = (states: boolean[]): string => states.map((done, index) => `task${pages[index]} ${done ? 'True' : 'False'}`).join(', ');
    const timeline = withMarks(machineTimeline(result, `ThreadPoolExecutor(${workers}), tasks of 1, 2, 3 s`), [
      {lane: 'thread:MainThread', atUs: checkedAt[0], label: `done() right after submit: ${said(doneAtStart)}`},
      {lane: 'thread:MainThread', atUs: checkedAt[1], label: `done() after sleep(${delay}): ${said(doneLater)}`},
      ...callbacks.map((call) => ({lane: `thread:${call.thread}`, atUs: call.time, label: `done callback: result ${call.page}, run by ${call.thread}`})),
    ]);
    return {rows, timelines: [timeline]};
  },
};
