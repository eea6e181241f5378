/**
 * Seeds 000, 003 and 004: a thread, a process and an asyncio task side by side. Each figure is
 * measured on the model by a short run minus the same run without the units (memory at the peak,
 * wall time of creating and finishing them), except the switch costs, which are the model's
 * constants: the OS scheduler's context switch (the model charges threads and processes alike)
 * and the event loop's cost of running one ready handle. Own GIL and parallelism are observed:
 * which GIL a unit's code runs under, and whether two units of CPU-bound work on two cores finish
 * in the time of one.
 */
import {cpu as asyncCpu, gather, run, sleep as asyncSleep, type Coro} from '../asyncio';
import {ASYNCIO_HANDLE_US, CONTEXT_SWITCH_US} from '../constants';
import type {Gil} from '../gil';
import {Machine, type RunResult} from '../machine';
import {Process, pyfunc} from '../processes';
import {cpu, sleep, type ThreadProgram} from '../threads';
import type {Scenario, ScenarioRow} from './types';

const KiB = 1024;
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
/** Idle units wait this long, so that all of them are alive at the peak. */
const IDLE_US = 100_000;
/** CPU-bound work per unit in the parallelism test. */
const PARALLEL_WORK_US = 100_000;

type Unit = 'thread' | 'process' | 'task';

interface Measured {
  reservedBytes: number;
  residentBytes: number;
  createUs: number;
  switchUs: number;
  ownGil: boolean;
  parallel: boolean;
}

/** Run `count` units of a kind, each running `body`, started one after another and then joined. */
function machineRun(unit: 'thread' | 'process', count: number, body: () => ThreadProgram, cores: number, seed: number): RunResult {
  const machine = new Machine({cores, seed});
  const work = pyfunc('work', function* () {
    yield* body();
    return null;
  });
  return machine.run(function* main() {
    if (unit === 'thread') {
      const threads = Array.from({length: count}, (_, index) => machine.thread({name: `unit-${index + 1}`, target: body}));
      for (const thread of threads) yield thread.start();
      for (const thread of threads) yield thread.join();
    } else {
      const processes = Array.from({length: count}, () => new Process(machine, {target: work, startMethod: 'fork'}));
      for (const process of processes) yield* process.start();
      for (const process of processes) yield* process.join();
    }
  });
}

function asyncRun(count: number, body: () => Coro<unknown>, cores: number, seed: number) {
  return run(() => gather(Array.from({length: count}, body))[Symbol.iterator](), {cores, seed});
}

/** Whether code started as a unit runs under the main thread's GIL, observed inside a run. */
function runsUnderOwnGil(unit: 'thread' | 'process', cores: number, seed: number): boolean {
  const machine = new Machine({cores, seed});
  let mainGil: Gil | null = null;
  let unitGil: Gil | null = null;
  const probe = function* (): ThreadProgram {
    unitGil = machine.currentProcess.gil;
    yield cpu(1);
  };
  const check = pyfunc('check', function* () {
    yield* probe();
    return null;
  });
  machine.run(function* main() {
    mainGil = machine.currentProcess.gil;
    if (unit === 'thread') {
      const thread = machine.thread({target: probe});
      yield thread.start();
      yield thread.join();
    } else {
      const process = new Process(machine, {target: check, startMethod: 'fork'});
      yield* process.start();
      yield* process.join();
    }
  });
  return unitGil !== null && unitGil !== mainGil;
}

function measure(unit: Unit, n: number, cores: number, seed: number): Measured {
  const parallelCores = Math.max(2, cores);
  if (unit === 'task') {
    const idle = (count: number) => asyncRun(count, () => asyncSleep(IDLE_US), cores, seed);
    const quick = (count: number) => asyncRun(count, function* () {}, cores, seed);
    const bytes = (idle(n).peakTaskBytes - idle(0).peakTaskBytes) / n;
    const busy = asyncRun(2, () => (function* () {
      yield asyncCpu(PARALLEL_WORK_US);
    })(), parallelCores, seed).wallTimeUs;
    return {
      reservedBytes: bytes,
      residentBytes: bytes,
      createUs: (quick(n).wallTimeUs - quick(0).wallTimeUs) / n,
      switchUs: ASYNCIO_HANDLE_US,
      // Every task's code runs on the loop's thread, under that thread's (the process's) GIL.
      ownGil: false,
      parallel: busy < 1.5 * PARALLEL_WORK_US,
    };
  }
  const idle = (count: number) => machineRun(unit, count, function* () {
    yield sleep(IDLE_US);
  }, cores, seed).metrics;
  const quick = (count: number) => machineRun(unit, count, function* () {}, cores, seed).metrics.wallTimeUs;
  const [some, none] = [idle(n), idle(0)];
  const busy = machineRun(unit, 2, function* () {
    yield cpu(PARALLEL_WORK_US);
  }, parallelCores, seed).metrics.wallTimeUs;
  return {
    reservedBytes: (some.peakReservedBytes - none.peakReservedBytes) / n,
    residentBytes: (some.peakResidentBytes - none.peakResidentBytes) / n,
    createUs: (quick(n) - quick(0)) / n,
    switchUs: CONTEXT_SWITCH_US,
    ownGil: runsUnderOwnGil(unit, cores, seed),
    parallel: busy < 1.5 * PARALLEL_WORK_US,
  };
}

const UNITS: {unit: Unit; name: string; seeds: {reserved: number | null; resident: number | null; fit: number | null; fitNote: string; ownGil: number | null; parallel: number}}[] = [
  // Seed 000: "~1MB stack" per thread; "hundreds to a few thousand" at most; GIL-bound; not parallel.
  {unit: 'thread', name: 'threading.Thread', seeds: {reserved: 1, resident: null, fit: 1000, fitNote: 'seed: hundreds to a few thousand', ownGil: 0, parallel: 0}},
  // Seed 000: "limited by CPU cores (usually 2–64)"; "each process has its own GIL"; parallel.
  {unit: 'process', name: 'multiprocessing.Process (fork)', seeds: {reserved: null, resident: null, fit: 64, fitNote: 'seed: limited by cores, usually 2–64', ownGil: 1, parallel: 1}},
  // Seed 000: "~1KB per coroutine"; "tens of thousands to a hundred thousand"; single-threaded.
  {unit: 'task', name: 'asyncio Task', seeds: {reserved: null, resident: 1, fit: 100_000, fitNote: 'seed: tens of thousands to 100,000', ownGil: null, parallel: 0}},
];

export const modelsCompare: Scenario = {
  id: 'models-compare',
  description: 'a thread vs a process vs an asyncio task: memory, creation and switch cost, how many fit in 1 GiB, own GIL, parallelism',
  defaults: {cores: 4, n: 100, seed: 1},
  run({cores, n, seed}) {
    const rows: ScenarioRow[] = [];
    for (const {unit, name, seeds} of UNITS) {
      const m = measure(unit, n, cores, seed);
      rows.push(
        {key: `${unit}-reserved`, label: `${name}: address space reserved per unit`, value: m.reservedBytes / MiB, unit: 'MiB', seed: seeds.reserved},
        {key: `${unit}-resident`, label: `${name}: memory resident per idle unit`, value: m.residentBytes / KiB, unit: 'KiB', seed: seeds.resident},
        {key: `${unit}-create`, label: `${name}: creating, starting and finishing one (of ${n}, one after another)`, value: m.createUs, unit: 'us', seed: null},
        {key: `${unit}-switch`, label: `${name}: one switch (${unit === 'task' ? 'the event loop running the next ready handle' : 'an OS context switch'})`, value: m.switchUs, unit: 'us', seed: null},
        {key: `${unit}-fit`, label: `${name}: idle units that fit in 1 GiB resident (${seeds.fitNote})`, value: Math.floor(GiB / m.residentBytes), unit: 'units', seed: seeds.fit},
        {key: `${unit}-own-gil`, label: `${name}: runs under a GIL of its own (1 yes, 0 no)`, value: m.ownGil ? 1 : 0, unit: 'bool', seed: seeds.ownGil},
        {key: `${unit}-parallel`, label: `${name}: two CPU-bound units on 2+ cores finish in the time of one (1 yes, 0 no)`, value: m.parallel ? 1 : 0, unit: 'bool', seed: seeds.parallel},
      );
    }
    return rows;
  },
};
