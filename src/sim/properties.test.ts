/** Property tests: invariants that must hold for any small random program. */
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {Machine, type RunResult} from './machine';
import {cpu, io, nativeCpu, sleep, withLock, type Step, type ThreadProgram} from './threads';

type Op = {kind: 'cpu' | 'io' | 'sleep' | 'nativeCpu'; us: number} | {kind: 'locked'; lock: number; body: Op[]};

const simpleOp = fc.record({kind: fc.constantFrom('cpu', 'io', 'sleep', 'nativeCpu') as fc.Arbitrary<'cpu' | 'io' | 'sleep' | 'nativeCpu'>, us: fc.integer({min: 0, max: 20_000})});
const op: fc.Arbitrary<Op> = fc.oneof(
  {weight: 3, arbitrary: simpleOp},
  {weight: 1, arbitrary: fc.record({kind: fc.constant('locked' as const), lock: fc.integer({min: 0, max: 1}), body: fc.array(fc.oneof(simpleOp, fc.record({kind: fc.constant('locked' as const), lock: fc.integer({min: 0, max: 1}), body: fc.array(simpleOp, {maxLength: 2})})), {maxLength: 3})})},
);
const scenario = fc.record({
  cores: fc.integer({min: 1, max: 3}),
  mode: fc.constantFrom('gil', 'free-threaded') as fc.Arbitrary<'gil' | 'free-threaded'>,
  seed: fc.integer({min: 0, max: 1000}),
  threads: fc.array(fc.record({ops: fc.array(op, {maxLength: 5}), daemon: fc.boolean()}), {minLength: 1, maxLength: 4}),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

const stepOf = {cpu, io, sleep, nativeCpu} satisfies Record<string, (us: number) => Step>;

function simulate(input: Scenario): RunResult {
  const machine = new Machine({cores: input.cores, mode: input.mode, seed: input.seed});
  const locks = [machine.lock('A'), machine.lock('B')];
  function* perform(ops: Op[]): ThreadProgram {
    for (const current of ops) {
      if (current.kind === 'locked') yield* withLock(locks[current.lock], () => perform(current.body));
      else yield stepOf[current.kind](current.us);
    }
  }
  return machine.run(function* main() {
    const threads = input.threads.map((spec, index) => machine.thread({name: `t${index}`, daemon: spec.daemon, target: () => perform(spec.ops)}));
    for (const thread of threads) yield thread.start();
    for (const thread of threads) if (!thread.daemon) yield thread.join();
  });
}

describe('simulator invariants over random programs', () => {
  const check = (property: (input: Scenario, result: RunResult) => void): void =>
    fc.assert(fc.property(scenario, (input) => property(input, simulate(input))), {numRuns: 150});

  it('never has two GIL holders at once', () => {
    check((_input, result) => {
      let holder: string | null = null;
      for (const record of result.trace.filter((r) => r.kind === 'gil')) {
        if (record.details.action === 'take') {
          expect(holder).toBeNull();
          holder = record.actor;
        } else if (record.details.action === 'drop') {
          expect(holder).toBe(record.actor);
          holder = null;
        }
      }
    });
  });

  it('never gives a lock two owners', () => {
    check((_input, result) => {
      const owners = new Map<string, string | null>();
      for (const record of result.trace.filter((r) => r.kind === 'lock')) {
        if (record.details.action === 'acquire') {
          expect(owners.get(record.actor) ?? null).toBeNull();
          owners.set(record.actor, String(record.details.thread));
        } else {
          owners.set(record.actor, null);
        }
      }
    });
  });

  it('only runs a thread that was ready, and keeps each thread’s states consistent', () => {
    check((_input, result) => {
      const current = new Map<string, string>();
      for (const record of result.trace.filter((r) => r.kind === 'state')) {
        expect(record.details.from).toBe(current.get(record.actor) ?? 'new');
        if (record.details.to === 'running') expect(record.details.from).toBe('ready');
        current.set(record.actor, String(record.details.to));
      }
    });
  });

  it('never moves time backwards, and uses no more CPU than wall time × cores', () => {
    check((input, result) => {
      result.trace.forEach((record, index) => {
        if (index > 0) expect(record.time).toBeGreaterThanOrEqual(result.trace[index - 1].time);
      });
      expect(result.metrics.totalCpuTimeUs).toBeLessThanOrEqual(result.metrics.wallTimeUs * input.cores);
    });
  });

  it('ends every thread: terminated, reported deadlocked, or an abandoned daemon', () => {
    check((_input, result) => {
      for (const thread of result.threads) {
        const accounted = thread.state === 'terminated' || result.deadlock?.blocked.includes(thread.name) || result.abandonedDaemons.includes(thread.name);
        expect(accounted).toBe(true);
      }
    });
  });

  it('gives the same trace, byte for byte, for the same program and seed', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        expect(JSON.stringify(simulate(input))).toBe(JSON.stringify(simulate(input)));
      }),
      {numRuns: 50},
    );
  });
});
