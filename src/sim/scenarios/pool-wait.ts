/**
 * Seed 001: ThreadPoolExecutor(5) runs spider(1..4) (sleep page seconds); wait(FIRST_COMPLETED)
 * returns when task1 ends at 1 s; wait(timeout=2.5) then returns at 3.5 s with tasks 1–3 done and
 * task4 not done, as the seed says.
 */
import {Machine} from '../machine';
import {ThreadPoolExecutor, wait, type DoneAndNotDone, type Future} from '../pools';
import {pyfunc} from '../processes';
import {sleep} from '../threads';
import {machineTimeline, withMarks} from '../timeline';
import {microsecondsFromSeconds, seconds, type Scenario, type ScenarioRow} from './types';

export const poolWait: Scenario = {
  id: 'pool-wait',
  description: 'wait(FIRST_COMPLETED) then wait(timeout=2.5) over tasks of 1–4 s: the done / not-done sets at each return',
  defaults: {cores: 4, workers: 5, n: 4, delay: 2.5, seed: 1},
  run({cores, workers, n, delay, seed}) {
    const machine = new Machine({cores, seed});
    const spider = pyfunc('spider', function* (page: number) {
      yield sleep(microsecondsFromSeconds(page));
      return page;
    });
    const returns: {name: string; time: number; sets: DoneAndNotDone<number>; tasks: Future<number>[]}[] = [];
    const result = machine.run(function* main() {
      yield* new ThreadPoolExecutor(machine, {maxWorkers: workers}).within(function* (pool) {
        const tasks: Future<number>[] = [];
        for (let page = 1; page <= n; page += 1) tasks.push(yield* pool.submit(spider, page));
        const first = yield* wait(machine, tasks, {returnWhen: 'FIRST_COMPLETED'});
        returns.push({name: 'first-completed', time: machine.now, sets: first, tasks});
        const timed = yield* wait(machine, tasks, {timeoutUs: microsecondsFromSeconds(delay)});
        returns.push({name: 'timeout', time: machine.now, sets: timed, tasks});
      });
    });
    const seedRun = n === 4 && delay === 2.5 && workers >= 4;
    const rows: ScenarioRow[] = [];
    for (const {name, time, sets, tasks} of returns) {
      rows.push({key: `${name}-time`, label: `wait(${name === 'timeout' ? `timeout=${delay}` : 'FIRST_COMPLETED'}) returned at`, value: seconds(time), unit: 's', seed: null});
      tasks.forEach((task, index) => {
        const done = sets.done.includes(task);
        const seedValue = name === 'timeout' && seedRun ? (index === 3 ? 0 : 1) : null;
        rows.push({key: `${name}-task${index + 1}`, label: `task${index + 1} in ${done ? 'done' : 'not_done'}`, value: Number(done), unit: 'bool', seed: seedValue});
      });
    }
    const timeline = withMarks(
      machineTimeline(result, `ThreadPoolExecutor(${workers}), tasks of 1 to ${n} s`),
      returns.map(({name, time, sets, tasks}) => ({
        lane: 'thread:MainThread',
        atUs: time,
        label: `wait(${name === 'timeout' ? `timeout=${delay}` : 'FIRST_COMPLETED'}) returned: done {${sets.done.map((f) => `task${tasks.indexOf(f) + 1}`).join(', ')}}, not_done {${sets.notDone.map((f) => `task${tasks.indexOf(f) + 1}`).join(', ')}}`,
      })),
    );
    return {rows, timelines: [timeline]};
  },
};
