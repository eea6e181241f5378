/**
 * Seed 000: 10,000 threads "need 80 GB" (8 MB stack each) vs 10,000 coroutines "10–50 MB". The
 * 80 GB is reserved address space: a thread's stack is mapped at 8 MiB but only the pages it
 * touches become resident, so 10,000 idle threads hold well under 1 GB. Processes pay a whole
 * interpreter each. Threads and tasks are run in the model (each waits `delay`); the process
 * figures come from an idle CPython's measured footprint.
 */
import {IDLE_PYTHON_PROCESS_PRIVATE_BYTES, IDLE_PYTHON_PROCESS_RESERVED_BYTES} from '../constants';
import {gather, run, sleep} from '../asyncio';
import {Machine} from '../machine';
import {sleep as threadSleep} from '../threads';
import {microsecondsFromSeconds, seconds, type Scenario} from './types';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

export const tenThousandTasks: Scenario = {
  id: 'ten-thousand-tasks',
  description: 'n threads vs n processes vs n asyncio tasks: reserved vs resident memory',
  defaults: {n: 10_000, delay: 1, cores: 4, seed: 1},
  run({n, delay, cores, seed}) {
    const waitUs = microsecondsFromSeconds(delay);
    const machine = new Machine({cores, seed});
    const threaded = machine.run(function* main() {
      const threads = Array.from({length: n}, (_, index) =>
        machine.thread({
          name: `worker-${index}`,
          *target() {
            yield threadSleep(waitUs);
          },
        }),
      );
      for (const thread of threads) yield thread.start();
      for (const thread of threads) yield thread.join();
    });
    const tasks = run(() => gather(Array.from({length: n}, () => sleep(waitUs)))[Symbol.iterator](), {cores, seed});
    const seedSetup = n === 10_000;
    return [
      {key: 'threads-reserved', label: `${n} threads: stacks reserved (8 MiB each, virtual)`, value: threaded.metrics.peakReservedBytes / GiB, unit: 'GiB', seed: seedSetup ? 80 : null},
      {key: 'threads-resident', label: `${n} threads: stack pages actually resident`, value: threaded.metrics.peakResidentBytes / MiB, unit: 'MiB', seed: null},
      {key: 'threads-wall', label: `${n} threads each sleeping ${delay} s: wall time`, value: seconds(threaded.metrics.wallTimeUs), unit: 's', seed: null},
      {key: 'processes-reserved', label: `${n} processes: address space of an idle interpreter each`, value: (n * IDLE_PYTHON_PROCESS_RESERVED_BYTES) / GiB, unit: 'GiB', seed: null},
      {key: 'processes-resident', label: `${n} processes: private resident memory (shared libraries counted once)`, value: (n * IDLE_PYTHON_PROCESS_PRIVATE_BYTES) / GiB, unit: 'GiB', seed: null},
      {key: 'asyncio-resident', label: `${n} asyncio tasks (seed: 10–50 MB)`, value: tasks.peakTaskBytes / MiB, unit: 'MiB', seed: seedSetup ? 10 : null},
      {key: 'asyncio-wall', label: `${n} tasks each awaiting sleep(${delay}): wall time`, value: seconds(tasks.wallTimeUs), unit: 's', seed: null},
    ];
  },
};
