/**
 * Seed 001: n threads sleep, then read `num`, sleep 1 ms, and write `num - 1`, starting from
 * num = 100. Without a lock the sleep between read and write loses updates; with one it ends at
 * 0, as the seed says. Each variant runs over several seeds.
 */
import {PRINT_CPU_US, SMALL_STATEMENT_CPU_US} from '../constants';
import {Machine, type RunResult} from '../machine';
import {cpu, sleep, withLock, type ThreadProgram} from '../threads';
import {machineTimeline, type Timeline} from '../timeline';
import {type Scenario, type ScenarioRow} from './types';

const START_VALUE = 100;
const RUNS = 5;

function finalValue(threadCount: number, cores: number, seed: number, locked: boolean): {num: number; run: RunResult} {
  const machine = new Machine({cores, seed});
  let num = START_VALUE;
  const lock = machine.lock('lock');
  function* readSleepWrite(): ThreadProgram {
    const copy = num;
    yield cpu(SMALL_STATEMENT_CPU_US);
    yield sleep(1000);
    num = copy - 1;
    yield cpu(SMALL_STATEMENT_CPU_US);
  }
  const run = machine.run(function* main() {
    const threads = Array.from({length: threadCount}, () =>
      machine.thread({
        *target() {
          yield sleep(3_000_000);
          yield cpu(PRINT_CPU_US);
          if (locked) yield* withLock(lock, readSleepWrite);
          else yield* readSleepWrite();
        },
      }),
    );
    for (const thread of threads) yield thread.start();
    for (const thread of threads) yield thread.join();
  });
  return {num, run};
}

export const lockRace: Scenario = {
  id: 'lock-race',
  description: 'n threads doing read-sleep-write on num = 100, without and with a lock, over several seeds',
  defaults: {cores: 4, n: 100, seed: 1},
  run({cores, n, seed}) {
    const rows: ScenarioRow[] = [];
    const timelines: Timeline[] = [];
    for (const locked of [false, true]) {
      const runs = Array.from({length: RUNS}, (_, run) => finalValue(n, cores, seed + run, locked));
      const finals = runs.map((run) => run.num);
      const variant = locked ? 'with-lock' : 'no-lock';
      const words = locked ? 'with the lock' : 'without a lock';
      // The first seed's run: the others differ only in who wins each race.
      timelines.push(machineTimeline(runs[0].run, `${words} (seed ${seed}): num ends at ${runs[0].num}`));
      const seedClaim = locked && n === START_VALUE ? 0 : null;
      rows.push(
        {key: `${variant}-min`, label: `final num ${words}, lowest of ${RUNS} seeds`, value: Math.min(...finals), unit: 'num', seed: seedClaim},
        {key: `${variant}-max`, label: `final num ${words}, highest of ${RUNS} seeds`, value: Math.max(...finals), unit: 'num', seed: seedClaim},
      );
    }
    return {rows, timelines};
  },
};
