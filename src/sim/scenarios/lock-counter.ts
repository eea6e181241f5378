/** Seed 003: n threads each doing `with lock: counter += 1`; the seed prints 1000. */
import {SMALL_STATEMENT_CPU_US} from '../constants';
import {Machine} from '../machine';
import {cpu, withLock} from '../threads';
import {machineTimeline} from '../timeline';
import {milliseconds, type Scenario} from './types';

export const lockCounter: Scenario = {
  id: 'lock-counter',
  description: 'n threads incrementing a counter under a lock: final count and hand-offs',
  defaults: {cores: 4, n: 1000, seed: 1},
  run({cores, n, seed}) {
    const machine = new Machine({cores, seed});
    const lock = machine.lock('lock');
    let counter = 0;
    const result = machine.run(function* main() {
      const threads = Array.from({length: n}, () =>
        machine.thread({
          *target() {
            yield* withLock(lock, function* increment() {
              const read = counter;
              yield cpu(SMALL_STATEMENT_CPU_US);
              counter = read + 1;
            });
          },
        }),
      );
      for (const thread of threads) yield thread.start();
      for (const thread of threads) yield thread.join();
    });
    const {metrics} = result;
    const rows = [
      {key: 'final-count', label: 'final counter', value: counter, unit: 'count', seed: n === 1000 ? 1000 : null},
      {key: 'lock-handoffs', label: 'lock hand-offs between threads', value: metrics.lockHandoffs[lock.name], unit: 'hand-offs', seed: null},
      {key: 'gil-handoffs', label: 'GIL hand-offs', value: metrics.gilHandoffs, unit: 'hand-offs', seed: null},
      {key: 'context-switches', label: 'context switches', value: metrics.contextSwitches, unit: 'switches', seed: null},
      {key: 'wall', label: 'wall time', value: milliseconds(metrics.wallTimeUs), unit: 'ms', seed: null},
    ];
    return {rows, timelines: [machineTimeline(result, `${n} threads, one lock`)]};
  },
};
