/**
 * Seed 003: create_task, task.done(), task.result() and asyncio.wait. The seed's comment says
 * task.result() "waits for completion and gets the result": it does not; on a pending task it
 * raises InvalidStateError('Result is not set.'). Awaiting the task is what waits.
 */
import {createTask, getRunningLoop, InvalidStateError, run, sleep, wait, type Coro} from '../asyncio';
import {loopTimeline, withMarks, type TimelineMark} from '../timeline';
import {microsecondsFromSeconds, seconds, type Scenario, type ScenarioRow} from './types';

const SAMPLES_S = [0, 0.5, 1.5, 2.5] as const;

export const asyncioTasks: Scenario = {
  id: 'asyncio-tasks',
  description: 'create_task, done() over time, result() before completion, and wait()',
  defaults: {delay: 1, seed: 1},
  run({delay, seed}) {
    const rows: ScenarioRow[] = [];
    const moments: TimelineMark[] = [];
    const outcome = run(function* main(): Coro<void> {
      const loop = getRunningLoop();
      function* fetch(url: string, delayUs: number): Coro<string> {
        yield* sleep(delayUs);
        return `data from ${url}`;
      }
      const task1 = createTask(fetch('url1', microsecondsFromSeconds(delay)), 'task1');
      const task2 = createTask(fetch('url2', microsecondsFromSeconds(2 * delay)), 'task2');
      let raised = 0;
      try {
        task1.result();
      } catch (error) {
        if (error instanceof InvalidStateError) raised = 1;
      }
      rows.push({key: 'result-before-done-raises', label: "task.result() on a pending task raises InvalidStateError('Result is not set.') (the seed says it waits)", value: raised, unit: 'bool', seed: 0});
      for (const at of SAMPLES_S) {
        const target = microsecondsFromSeconds(at * delay);
        if (target > loop.time()) yield* sleep(target - loop.time());
        rows.push({key: `done-at-${at}`, label: `at ${at * delay} s: task1.done()=${String(task1.done())}, task2.done()=${String(task2.done())}`, value: Number(task1.done()) + Number(task2.done()), unit: 'tasks done', seed: null});
        moments.push({lane: 'loop', atUs: loop.time(), label: `task1.done()=${task1.done() ? 'True' : 'False'}, task2.done()=${task2.done() ? 'True' : 'False'}`});
      }
      const task3 = createTask(fetch('url3', microsecondsFromSeconds(delay)), 'task3');
      const task4 = createTask(fetch('url4', microsecondsFromSeconds(2 * delay)), 'task4');
      const startedAt = loop.time();
      const {done, pending} = yield* wait([task3, task4]);
      moments.push({lane: 'loop', atUs: loop.time(), label: `wait() returned: ${done.length} done, ${pending.length} pending`});
      rows.push({key: 'wait-seconds', label: 'wait([1 s task, 2 s task]) returned after', value: seconds(loop.time() - startedAt), unit: 's', seed: null});
      rows.push({key: 'wait-done', label: `done set: ${done.map((t) => t.result()).join(', ')}`, value: done.length, unit: 'tasks', seed: null});
      rows.push({key: 'wait-pending', label: 'pending set', value: pending.length, unit: 'tasks', seed: null});
    }, {seed});
    return {rows, timelines: [withMarks(loopTimeline(outcome, 'create_task, done() and wait()'), moments)]};
  },
};
