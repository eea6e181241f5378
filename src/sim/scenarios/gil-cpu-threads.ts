/**
 * Seeds 002–004: CPU-bound threads are no faster than serial under the GIL. The same total work
 * split over 1, 2, 4, 8 threads, with the GIL and free-threaded.
 */
import {Machine, type FreeThreadedVersion, type InterpreterMode, type RunResult} from '../machine';
import {cpu} from '../threads';
import {machineTimeline, type Timeline} from '../timeline';
import {seconds, type Scenario, type ScenarioRow} from './types';

/** Total bytecode work: two seconds of one core on the GIL build. */
export const TOTAL_WORK_US = 2_000_000;
export const THREAD_COUNTS = [1, 2, 4, 8] as const;

/** TOTAL_WORK_US of bytecode split evenly over `threadCount` threads. */
export function runSplit(threadCount: number, mode: InterpreterMode, cores: number, seed: number, freeThreadedVersion?: FreeThreadedVersion): RunResult {
  const machine = new Machine({cores, mode, seed, freeThreadedVersion});
  return machine.run(function* main() {
    const workers = Array.from({length: threadCount}, (_, index) =>
      machine.thread({
        name: `worker-${index + 1}`,
        *target() {
          // Whole microseconds: with 256 threads the even share is 7812.5 us.
          yield cpu(Math.round(TOTAL_WORK_US / threadCount));
        },
      }),
    );
    for (const worker of workers) yield worker.start();
    for (const worker of workers) yield worker.join();
  });
}

export const gilCpuThreads: Scenario = {
  id: 'gil-cpu-threads',
  description: 'wall time and GIL hand-offs for 1, 2, 4, 8 CPU-bound threads doing the same work, GIL vs free-threaded',
  defaults: {cores: 4, seed: 1},
  run({cores, seed}) {
    const serial = new Machine({cores, seed}).run(function* main() {
      yield cpu(TOTAL_WORK_US);
    });
    const rows: ScenarioRow[] = [
      {key: 'serial', label: 'serial, no threads', value: seconds(serial.metrics.wallTimeUs), unit: 's', seed: null},
    ];
    const timelines: Timeline[] = [];
    for (const count of THREAD_COUNTS) {
      const withGil = runSplit(count, 'gil', cores, seed);
      const freeThreaded = runSplit(count, 'free-threaded', cores, seed);
      if (count === 2) timelines.push(machineTimeline(withGil, '2 threads with the GIL'), machineTimeline(freeThreaded, '2 threads, free-threaded'));
      rows.push(
        {key: `gil-${count}`, label: `${count} thread(s), GIL`, value: seconds(withGil.metrics.wallTimeUs), unit: 's', seed: null},
        {key: `gil-${count}-handoffs`, label: `${count} thread(s), GIL hand-offs`, value: withGil.metrics.gilHandoffs, unit: 'hand-offs', seed: null},
        {key: `free-${count}`, label: `${count} thread(s), free-threaded`, value: seconds(freeThreaded.metrics.wallTimeUs), unit: 's', seed: null},
      );
    }
    return {rows, timelines};
  },
};
