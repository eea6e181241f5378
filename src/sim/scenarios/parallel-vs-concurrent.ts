/**
 * Seeds 000 and 004: concurrency (tasks overlap: one waits while another runs, possible on one
 * core) vs parallelism (tasks run at the same instant: needs several cores and no shared GIL).
 * The same n CPU-bound and n I/O-bound tasks run serially, with threads, processes and asyncio,
 * on 1 core and on --cores cores (workloads and models as in gil-impact). I/O-bound work overlaps
 * under every model, even on one core; CPU-bound work gets faster only with processes on more
 * than one core.
 */
import type {Timeline} from '../timeline';
import {runWorkload, timelineOf, wallOf, workloadLabel, type Model, type Workload} from './gil-impact';
import {microsecondsFromSeconds, seconds, type Scenario, type ScenarioRow} from './types';

const MODELS: readonly Model[] = ['serial', 'threads', 'processes', 'asyncio'];
const WORKLOADS: readonly Workload[] = ['cpu', 'io'];

export const parallelVsConcurrent: Scenario = {
  id: 'parallel-vs-concurrent',
  description: 'wall time of CPU-bound and I/O-bound tasks on 1 and N cores: serial vs threads vs processes vs asyncio',
  defaults: {cores: 4, n: 4, delay: 0.2, seed: 1},
  // Every task is real CPU time on the simulated machine: 10,000 of them would take minutes to simulate.
  maxima: {n: 1000},
  run({cores, n, delay, seed}) {
    const delayUs = microsecondsFromSeconds(delay);
    const rows: ScenarioRow[] = [];
    const timelines: Timeline[] = [];
    for (const workload of WORKLOADS) {
      for (const coreCount of [...new Set([1, cores])]) {
        for (const model of MODELS) {
          const ran = runWorkload(model, workload, {cores: coreCount, n, delayUs, seed});
          rows.push({
            key: `${workload}-${model}-${coreCount}`,
            label: `${workloadLabel[workload]}, ${n} tasks, ${model} on ${coreCount} core(s)`,
            value: seconds(wallOf(ran)),
            unit: 's',
            seed: null,
          });
          const unit = model === 'processes' ? 'processes (fork)' : model;
          timelines.push(timelineOf(ran, `${workload === 'cpu' ? 'CPU-bound' : 'I/O-bound'}, ${n} tasks: ${unit} on ${coreCount} core(s)`));
        }
      }
    }
    return {rows, timelines};
  },
};
