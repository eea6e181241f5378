/**
 * Seeds 000 and 003: the GIL's effect on threads, processes and coroutines, by workload. The
 * seeds' tables say threads help I/O but not CPU-bound work, processes help both, asyncio helps
 * I/O only. Each cell runs the same n tasks serially and under one model on the Machine (threads:
 * one threading.Thread per task; processes: ProcessPoolExecutor(max_workers=n), fork) or under
 * asyncio.run (one task per job, asyncio.gather), and reports serial wall time / model wall time.
 * The runner is shared with parallel-vs-concurrent.
 */
import {cpu as asyncCpu, gather, httpGet, run, type AsyncioRun, type Coro} from '../asyncio';
import {HTTP_REQUEST_CPU_US} from '../constants';
import {Machine, type RunResult} from '../machine';
import {ProcessPoolExecutor} from '../pools';
import {pyfunc} from '../processes';
import {cpu, io, type ThreadProgram} from '../threads';
import {loopTimeline, machineTimeline, type Timeline} from '../timeline';
import {microsecondsFromSeconds, type Scenario, type ScenarioRow} from './types';

export type Model = 'serial' | 'threads' | 'processes' | 'asyncio';
export type Workload = 'cpu' | 'io' | 'mixed';
export const MODELS: readonly Exclude<Model, 'serial'>[] = ['threads', 'processes', 'asyncio'];
export const WORKLOADS: readonly Workload[] = ['cpu', 'io', 'mixed'];

/** Bytecode per CPU-bound task: a fifth of a second of one core (the work, not a cost). */
export const CPU_TASK_US = 200_000;

export const workloadLabel: Record<Workload, string> = {
  cpu: `CPU-bound (${CPU_TASK_US / 1000} ms of bytecode per task)`,
  io: 'I/O-bound (one HTTP request per task)',
  mixed: `mixed (${CPU_TASK_US / 2000} ms of bytecode, then one HTTP request)`,
};

export interface WorkloadRun {
  cores: number;
  n: number;
  delayUs: number;
  seed: number;
}

/** One task as a blocking program: the request is built and parsed in Python around the wait, as in io-fetch. */
function* blockingTask(workload: Workload, delayUs: number): ThreadProgram {
  if (workload !== 'io') yield cpu(workload === 'cpu' ? CPU_TASK_US : CPU_TASK_US / 2);
  if (workload === 'cpu') return;
  yield cpu(HTTP_REQUEST_CPU_US / 2);
  yield io(delayUs);
  yield cpu(HTTP_REQUEST_CPU_US / 2);
}

/** The same task as a coroutine: an async client's request (httpGet) instead of a blocking one. */
function* asyncTask(workload: Workload, delayUs: number): Coro<void> {
  if (workload !== 'io') yield asyncCpu(workload === 'cpu' ? CPU_TASK_US : CPU_TASK_US / 2);
  if (workload !== 'cpu') yield* httpGet({latencyUs: delayUs});
}

const task = pyfunc('task', function* (job: {workload: Workload; delayUs: number}) {
  yield* blockingTask(job.workload, job.delayUs);
  return null;
});

/** A run of n tasks: on the Machine (serial, threads, processes) or on an event loop (asyncio). */
export type WorkloadResult = {on: 'machine'; result: RunResult} | {on: 'loop'; result: AsyncioRun<unknown>};

/** Wall time, in microseconds, of n tasks of a workload under a model. */
export function wallTimeUs(model: Model, workload: Workload, setup: WorkloadRun): number {
  return wallOf(runWorkload(model, workload, setup));
}

export const wallOf = (ran: WorkloadResult): number => (ran.on === 'loop' ? ran.result.wallTimeUs : ran.result.metrics.wallTimeUs);

export const timelineOf = (ran: WorkloadResult, title: string): Timeline => (ran.on === 'loop' ? loopTimeline(ran.result, title) : machineTimeline(ran.result, title));

/** n tasks of a workload under a model. */
export function runWorkload(model: Model, workload: Workload, {cores, n, delayUs, seed}: WorkloadRun): WorkloadResult {
  if (model === 'asyncio') {
    return {on: 'loop', result: run(() => gather(Array.from({length: n}, () => asyncTask(workload, delayUs)))[Symbol.iterator](), {cores, seed})};
  }
  const machine = new Machine({cores, seed});
  const result = machine.run(function* main() {
    if (model === 'serial') {
      for (let index = 0; index < n; index += 1) yield* blockingTask(workload, delayUs);
    } else if (model === 'threads') {
      const threads = Array.from({length: n}, (_, index) => machine.thread({name: `task-${index + 1}`, target: () => blockingTask(workload, delayUs)}));
      for (const thread of threads) yield thread.start();
      for (const thread of threads) yield thread.join();
    } else {
      const jobs = Array.from({length: n}, () => ({workload, delayUs}));
      yield* new ProcessPoolExecutor(machine, {maxWorkers: n, startMethod: 'fork'}).within(function* (pool) {
        const results = yield* pool.map(task, jobs);
        while ((yield* results.next()) !== null);
      });
    }
  });
  return {on: 'machine', result};
}

export const gilImpact: Scenario = {
  id: 'gil-impact',
  description: 'speed-up over serial of threads, processes and asyncio for CPU-bound, I/O-bound and mixed work',
  defaults: {cores: 4, n: 4, delay: 0.2, seed: 1},
  run({cores, n, delay, seed}) {
    const setup: WorkloadRun = {cores, n, delayUs: microsecondsFromSeconds(delay), seed};
    const rows: ScenarioRow[] = [];
    for (const workload of WORKLOADS) {
      const serial = wallTimeUs('serial', workload, setup);
      for (const model of MODELS) {
        rows.push({
          key: `${model}-${workload}`,
          label: `${model}, ${workloadLabel[workload]}: ${n} tasks on ${cores} core(s), serial wall time / ${model} wall time`,
          value: serial / wallTimeUs(model, workload, setup),
          unit: '×',
          seed: null,
        });
      }
    }
    return rows;
  },
};
