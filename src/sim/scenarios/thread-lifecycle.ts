/** Seed 000: a download thread goes ready → running → blocked (read) → ready → running → exit. */
import {HTTP_REQUEST_CPU_US} from '../constants';
import {Machine, type RunResult} from '../machine';
import {cpu, io} from '../threads';
import {machineTimeline} from '../timeline';
import {microsecondsFromSeconds, milliseconds, type Scenario, type ScenarioParams} from './types';

/** The scenario's program: the main thread starts a downloader (CPU, a blocking read, CPU) and joins it. */
export function runThreadLifecycle({cores, delay, seed}: Required<Pick<ScenarioParams, 'cores' | 'delay' | 'seed'>>): RunResult {
  const machine = new Machine({cores, seed});
  return machine.run(function* main() {
    const downloader = machine.thread({
      name: 'downloader',
      *target() {
        yield cpu(HTTP_REQUEST_CPU_US / 2);
        yield io(microsecondsFromSeconds(delay));
        yield cpu(HTTP_REQUEST_CPU_US / 2);
      },
    });
    yield downloader.start();
    yield downloader.join();
  });
}

export const threadLifecycle: Scenario = {
  id: 'thread-lifecycle',
  description: 'one thread does CPU work, a blocking read, CPU work and exits: its state changes',
  defaults: {cores: 2, delay: 0.1, seed: 1},
  run(params) {
    const result = runThreadLifecycle(params);
    const changes = result.trace.filter((record) => record.kind === 'state' && record.actor === 'downloader');
    const rows = changes.map((record, index) => {
      const {from, to, reason} = record.details;
      return {
        key: `${index + 1}-${String(to)}`,
        label: `${String(from)} → ${String(to)}${reason ? ` (${String(reason)})` : ''}`,
        value: milliseconds(record.time),
        unit: 'ms',
        seed: null,
      };
    });
    return {rows, timelines: [machineTimeline(result, 'one download thread')]};
  },
};
