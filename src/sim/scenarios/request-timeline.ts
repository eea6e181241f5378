/**
 * Seed 001 (synchronous vs asynchronous, threads vs processes): n requests, each a pre-processing
 * CPU phase, a wait (a blocking recv, or an awaited sleep under asyncio), and a post-processing
 * CPU phase. Mirrors threading.Thread, multiprocessing.Process (fork) and asyncio.run over tasks.
 * Single thread: everything in a row. Threads: the waits overlap, the CPU phases queue for the
 * GIL. Processes: everything overlaps while there are cores (plus the fork). asyncio: the waits
 * overlap and the CPU phases run one after another on the loop's thread, much like threads.
 */
import {createTask, cpu as loopCpu, gather, getRunningLoop, run, sleep as loopSleep, type Coro} from '../asyncio';
import {REQUEST_POST_CPU_US, REQUEST_PRE_CPU_US} from '../constants';
import {Machine} from '../machine';
import {loopTimeline, machineTimeline, type Timeline} from '../timeline';
import {Process, pyfunc} from '../processes';
import {cpu, io, type ThreadProgram} from '../threads';
import {microsecondsFromSeconds, seconds, type Scenario, type ScenarioRow} from './types';

/** A model's run: when it ended, when each request finished, and its timeline. */
interface ModelRun {
  wallUs: number;
  finishedUs: number[];
  timeline: Timeline;
}

function onMachine(cores: number, seed: number, program: (machine: Machine, handle: () => ThreadProgram) => ThreadProgram, waitUs: number, title: string): ModelRun {
  const machine = new Machine({cores, seed});
  const finishedUs: number[] = [];
  function* handle(): ThreadProgram {
    yield cpu(REQUEST_PRE_CPU_US);
    yield io(waitUs);
    yield cpu(REQUEST_POST_CPU_US);
    finishedUs.push(machine.now);
  }
  const result = machine.run(function* main() {
    yield* program(machine, handle);
  });
  return {wallUs: result.metrics.wallTimeUs, finishedUs, timeline: machineTimeline(result, title)};
}

function onLoop(n: number, seed: number, waitUs: number, title: string): ModelRun {
  const finishedUs: number[] = [];
  function* handle(): Coro<void> {
    yield loopCpu(REQUEST_PRE_CPU_US);
    yield* loopSleep(waitUs);
    yield loopCpu(REQUEST_POST_CPU_US);
    finishedUs.push(getRunningLoop().time());
  }
  const outcome = run(function* main(): Coro<void> {
    yield* gather(Array.from({length: n}, (_, i) => createTask(handle(), `request-${i + 1}`)));
  }, {seed});
  return {wallUs: outcome.wallTimeUs, finishedUs, timeline: loopTimeline(outcome, title)};
}

export const requestTimeline: Scenario = {
  id: 'request-timeline',
  description: 'n requests of pre-processing CPU, a wait, post-processing CPU: single thread vs threads vs processes vs asyncio',
  defaults: {cores: 4, n: 4, delay: 1, seed: 1},
  run({cores, n, delay, seed}) {
    const waitUs = microsecondsFromSeconds(delay);
    const models: Array<[string, string, ModelRun]> = [
      ['single', 'single thread, one request after another', onMachine(cores, seed, function* (_machine, handle) {
        for (let i = 0; i < n; i += 1) yield* handle();
      }, waitUs, 'single thread')],
      ['threads', `${n} threads`, onMachine(cores, seed, function* (machine, handle) {
        const threads = Array.from({length: n}, (_, i) => machine.thread({name: `request-${i + 1}`, target: handle}));
        for (const t of threads) yield t.start();
        for (const t of threads) yield t.join();
      }, waitUs, `${n} threads`)],
      ['processes', `${n} processes (fork) on ${cores} cores`, onMachine(cores, seed, function* (machine, handle) {
        const target = pyfunc('handle', handle);
        const processes = Array.from({length: n}, (_, i) => new Process(machine, {target, name: `request-${i + 1}`, startMethod: 'fork'}));
        for (const p of processes) yield* p.start();
        for (const p of processes) yield* p.join();
      }, waitUs, `${n} processes (fork)`)],
      ['asyncio', `asyncio, ${n} tasks on one loop`, onLoop(n, seed, waitUs, `asyncio, ${n} tasks`)],
    ];
    const rows: ScenarioRow[] = [];
    for (const [key, label, model] of models) {
      rows.push({key: `${key}-wall`, label: `${label}: wall time`, value: seconds(model.wallUs), unit: 's', seed: null});
      rows.push({key: `${key}-first-done`, label: `${label}: first request finished at`, value: seconds(Math.min(...model.finishedUs)), unit: 's', seed: null});
      rows.push({key: `${key}-last-done`, label: `${label}: last request finished at`, value: seconds(Math.max(...model.finishedUs)), unit: 's', seed: null});
    }
    return {rows, timelines: models.map(([, , model]) => model.timeline)};
  },
};
