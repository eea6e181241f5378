import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {PythonError} from './errors';
import {Machine} from './machine';
import {Process, defaultStartMethod, pickledSize, picklingError, pyfunc, startCost, Payload} from './processes';
import {cpu, sleep} from './threads';

describe('multiprocessing.Process', () => {
  it('gives each process its own globals: a child’s change is invisible to the parent', () => {
    const machine = new Machine({cores: 2, globals: {counter: 0}});
    let seenByParent: unknown;
    let seenByChild: unknown;
    const bump = pyfunc('bump', function* () {
      machine.globals.set('counter', (machine.globals.get('counter') as number) + 1);
      seenByChild = machine.globals.get('counter');
      yield cpu(10);
    });
    machine.run(function* main() {
      const p = new Process(machine, {target: bump});
      yield* p.start();
      yield* p.join();
      seenByParent = machine.globals.get('counter');
    });
    expect(seenByChild).toBe(1);
    expect(seenByParent).toBe(0);
  });

  it('fork copies the parent’s globals as they are now; spawn re-imports the main module', () => {
    const seen: Record<string, unknown> = {};
    for (const startMethod of ['fork', 'spawn', 'forkserver'] as const) {
      const machine = new Machine({cores: 2, globals: {mode: 'import-time'}});
      const read = pyfunc('read', function* () {
        seen[startMethod] = machine.globals.get('mode');
        yield cpu(1);
      });
      machine.run(function* main() {
        machine.globals.set('mode', 'changed-before-start');
        const p = new Process(machine, {target: read, startMethod});
        yield* p.start();
        yield* p.join();
      });
    }
    expect(seen).toEqual({fork: 'changed-before-start', spawn: 'import-time', forkserver: 'import-time'});
  });

  it('runs CPU-bound processes in parallel: each has its own GIL', () => {
    const machine = new Machine({cores: 4});
    const work = pyfunc('work', function* () {
      yield cpu(1_000_000);
    });
    const result = machine.run(function* main() {
      const ps = Array.from({length: 4}, () => new Process(machine, {target: work, startMethod: 'fork'}));
      for (const p of ps) yield* p.start();
      for (const p of ps) yield* p.join();
    });
    expect(result.metrics.wallTimeUs).toBeGreaterThan(1_000_000);
    expect(result.metrics.wallTimeUs).toBeLessThan(1_020_000);
    expect(result.processes.map((p) => p.exitcode)).toEqual([0, 0, 0, 0, 0]);
  });

  it('reports exitcode 0, 1 after an uncaught exception, -15 after terminate()', () => {
    const machine = new Machine({cores: 2});
    const codes: (number | null)[] = [];
    const ok = pyfunc('ok', function* () {
      yield cpu(10);
    });
    const fail = pyfunc('fail', function* (): Generator<never, void, void> {
      throw new PythonError('ValueError', 'boom');
    });
    const forever = pyfunc('forever', function* () {
      yield cpu(10_000_000);
    });
    machine.run(function* main() {
      const ps = [new Process(machine, {target: ok}), new Process(machine, {target: fail}), new Process(machine, {target: forever})];
      for (const p of ps) yield* p.start();
      expect(ps[2].exitcode).toBeNull();
      yield* ps[0].join();
      yield* ps[1].join();
      ps[2].terminate();
      yield* ps[2].join();
      codes.push(...ps.map((p) => p.exitcode));
      expect(ps[2].is_alive()).toBe(false);
    });
    expect(codes).toEqual([0, 1, -15]);
  });

  it('raises Python’s errors for misuse', () => {
    const machine = new Machine({cores: 1});
    const errors: string[] = [];
    const noop = pyfunc('noop', function* () {});
    machine.run(function* main() {
      const p = new Process(machine, {target: noop});
      try {
        yield* p.join();
      } catch (e) {
        errors.push((e as Error).message);
      }
      yield* p.start();
      try {
        yield* p.start();
      } catch (e) {
        errors.push((e as Error).message);
      }
      yield* p.join();
    });
    expect(errors).toEqual(['can only join a started process', 'cannot start a process twice']);
  });

  it('terminates daemonic children when the main process exits, and waits for the others', () => {
    const machine = new Machine({cores: 2});
    const long = pyfunc('long', function* () {
      yield cpu(500_000);
    });
    const result = machine.run(function* main() {
      yield* new Process(machine, {target: long, daemon: true, name: 'd'}).start();
      yield* new Process(machine, {target: long, name: 'n'}).start();
    });
    expect(result.processes.find((p) => p.name === 'd')?.exitcode).toBe(-15);
    expect(result.processes.find((p) => p.name === 'n')?.exitcode).toBe(0);
    expect(result.metrics.wallTimeUs).toBeGreaterThan(500_000);
  });

  it('cannot pickle a lambda or a local function (messages of python3 3.11), but fork needs no pickling', () => {
    const lambda = pyfunc('<lambda>', function* () {});
    const local = pyfunc('outer.<locals>.inner', function* () {});
    expect(picklingError(lambda)?.message).toMatch(/^Can't pickle <function <lambda> at 0x[0-9a-f]{12}>: attribute lookup <lambda> on __main__ failed$/);
    expect(picklingError(lambda)?.pythonType).toBe('PicklingError');
    expect(picklingError(local)).toMatchObject({pythonType: 'AttributeError', message: "Can't pickle local object 'outer.<locals>.inner'"});
    const outcomes: string[] = [];
    for (const startMethod of ['fork', 'spawn'] as const) {
      const machine = new Machine({cores: 1});
      machine.run(function* main() {
        try {
          yield* new Process(machine, {target: lambda, startMethod}).start();
          outcomes.push(`${startMethod}: started`);
        } catch (e) {
          outcomes.push(`${startMethod}: ${(e as PythonError).pythonType}`);
        }
      });
    }
    expect(outcomes).toEqual(['fork: started', 'spawn: PicklingError']);
  });

  it('has the default start method of each version and costs fork < forkserver < spawn', () => {
    expect(['3.11', '3.12', '3.13', '3.14'].map((v) => defaultStartMethod(v as '3.12'))).toEqual(['fork', 'fork', 'fork', 'forkserver']);
    expect(() => defaultStartMethod('2.7' as '3.12')).toThrow('pythonVersion must be one of 3.11, 3.12, 3.13, 3.14, got 2.7');
    const total = (m: 'fork' | 'spawn' | 'forkserver') => startCost(m).parentUs + startCost(m).childBootUs;
    expect(total('fork')).toBeLessThan(total('forkserver'));
    expect(total('forkserver')).toBeLessThan(total('spawn'));
    expect(pickledSize(new Payload(1000))).toBeGreaterThan(1000);
    expect(() => new Payload(-1)).toThrow('bytes must be a non-negative integer, got -1');
  });

  it('accounts a spawned child’s full interpreter but only a forked child’s private pages', () => {
    const peak = (startMethod: 'fork' | 'spawn') => {
      const machine = new Machine({cores: 2});
      const idle = pyfunc('idle', function* () {
        yield cpu(1000);
      });
      return machine.run(function* main() {
        const p = new Process(machine, {target: idle, startMethod});
        yield* p.start();
        yield* p.join();
      }).metrics.peakResidentBytes;
    };
    expect(peak('spawn')).toBeGreaterThan(peak('fork'));
  });
});

describe('processes: invariants over random programs', () => {
  it('never gives one process’s GIL two holders, never uses more CPU than wall × cores, and every child exits 0', () => {
    const work = fc.array(fc.record({cpu: fc.integer({min: 0, max: 20_000}), sleep: fc.integer({min: 0, max: 5000})}), {maxLength: 3});
    fc.assert(
      fc.property(
        fc.integer({min: 1, max: 3}),
        fc.constantFrom('fork', 'spawn', 'forkserver'),
        fc.array(fc.record({threads: fc.array(work, {minLength: 1, maxLength: 3}), daemon: fc.boolean()}), {minLength: 1, maxLength: 3}),
        fc.integer({min: 0, max: 100}),
        (cores, startMethod, specs, seed) => {
          const machine = new Machine({cores, seed});
          const result = machine.run(function* main() {
            const ps = specs.map((spec, index) =>
              new Process(machine, {
                daemon: false,
                startMethod: startMethod as 'fork',
                target: pyfunc(`child${index}`, function* () {
                  const threads = spec.threads.map((steps) =>
                    machine.thread({
                      *target() {
                        for (const step of steps) {
                          yield cpu(step.cpu);
                          yield sleep(step.sleep);
                        }
                      },
                    }),
                  );
                  for (const t of threads) yield t.start();
                  for (const t of threads) yield t.join();
                }),
              }),
            );
            for (const p of ps) yield* p.start();
            for (const p of ps) yield* p.join();
          });
          const holders = new Map<string, string | null>();
          for (const record of result.trace.filter((r) => r.kind === 'gil')) {
            const process = record.actor.includes('/') ? record.actor.split('/')[0] : 'MainProcess';
            if (record.details.action === 'take') {
              expect(holders.get(process) ?? null).toBeNull();
              holders.set(process, record.actor);
            } else if (record.details.action === 'drop') {
              expect(holders.get(process)).toBe(record.actor);
              holders.set(process, null);
            }
          }
          expect(result.metrics.totalCpuTimeUs).toBeLessThanOrEqual(result.metrics.wallTimeUs * cores);
          expect(result.processes.map((p) => p.exitcode)).toEqual(result.processes.map(() => 0));
          expect(result.deadlock).toBeNull();
        },
      ),
      {numRuns: 80},
    );
  });
});
