/**
 * Beyond the seeds: an I/O thread next to a CPU-bound thread. Each time its read returns, the I/O
 * thread must take the GIL back from the CPU-bound thread, which only lets go after a drop request,
 * i.e. after about one switch interval. Nothing here is scripted; the wait falls out of gil.ts.
 */
import {SWITCH_INTERVAL_US} from '../constants';
import {Machine, type RunResult} from '../machine';
import {cpu, io} from '../threads';
import {machineTimeline, type Timeline} from '../timeline';
import {milliseconds, type Scenario, type ScenarioRow} from './types';

const READ_US = 1000;
const HANDLE_CPU_US = 20;
const SWITCH_INTERVALS_US = [1000, SWITCH_INTERVAL_US, 20_000] as const;

/** Mean time from a read's return to the I/O thread running Python again, beyond the read itself; and the run. */
function readLatency(options: {reads: number; cores: number; seed: number; switchIntervalUs: number; cpuBound: boolean}): {meanUs: number; run: RunResult} {
  const machine = new Machine({cores: options.cores, seed: options.seed, switchIntervalUs: options.switchIntervalUs});
  let extraUs = 0;
  const run = machine.run(function* main() {
    if (options.cpuBound) {
      const spinner = machine.thread({
        name: 'cpu-bound',
        daemon: true,
        *target() {
          yield cpu(3_600_000_000);
        },
      });
      yield spinner.start();
    }
    const reader = machine.thread({
      name: 'io-thread',
      *target() {
        for (let read = 0; read < options.reads; read += 1) {
          const issuedAt = machine.now;
          yield io(READ_US);
          extraUs += machine.now - issuedAt - READ_US;
          yield cpu(HANDLE_CPU_US);
        }
      },
    });
    yield reader.start();
    yield reader.join();
  });
  return {meanUs: extraUs / options.reads, run};
}

export const gilConvoy: Scenario = {
  id: 'gil-convoy',
  description: "an I/O thread's latency after each read, alone and next to a CPU-bound thread, vs switch interval",
  defaults: {cores: 4, n: 100, seed: 1},
  run({cores, n, seed}) {
    const alone = readLatency({reads: n, cores, seed, switchIntervalUs: SWITCH_INTERVAL_US, cpuBound: false});
    const rows: ScenarioRow[] = [
      {key: 'alone', label: 'I/O thread alone: mean wait after a read', value: milliseconds(alone.meanUs), unit: 'ms', seed: null},
    ];
    const timelines: Timeline[] = [machineTimeline(alone.run, 'I/O thread alone')];
    for (const switchIntervalUs of SWITCH_INTERVALS_US) {
      const latency = readLatency({reads: n, cores, seed, switchIntervalUs, cpuBound: true});
      rows.push({
        key: `interval-${milliseconds(switchIntervalUs)}ms`,
        label: `next to a CPU-bound thread, switch interval ${milliseconds(switchIntervalUs)} ms`,
        value: milliseconds(latency.meanUs),
        unit: 'ms',
        seed: null,
      });
      timelines.push(machineTimeline(latency.run, `next to a CPU-bound thread, switch interval ${milliseconds(switchIntervalUs)} ms`));
    }
    return {rows, timelines};
  },
};
