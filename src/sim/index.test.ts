import {describe, expect, it} from 'vitest';
import {EVENT_READ, Environment, InterpreterPoolExecutor, IoSystem, Machine, PythonError, SubInterpreter, cpu, makeSelector, measureSelectorWait, pyfunc, type SelectorKind} from './index';

describe('the public API (what exercises import from @course/sim)', () => {
  it('measureSelectorWait gives the cost of one select / poll / epoll call, as a selector from makeSelector pays it', () => {
    for (const kind of ['select', 'poll', 'epoll'] as SelectorKind[]) {
      const env = new Environment({seed: 1});
      const io = new IoSystem(env);
      const selector = makeSelector(kind, env);
      expect(selector.kind).toBe(kind);
      for (let fd = 0; fd < 200; fd += 1) selector.register(io.socket(), EVENT_READ);
      expect(measureSelectorWait(kind, 200, 20)).toEqual({costUs: selector.callCostNs(20) / 1000, copiedBytes: selector.copiedBytes(20)});
    }
    // select and poll scan every watched fd; epoll only the ready ones.
    expect(measureSelectorWait('poll', 2000, 20)).not.toEqual(measureSelectorWait('poll', 200, 20));
    expect(measureSelectorWait('epoll', 2000, 20)).toEqual(measureSelectorWait('epoll', 200, 20));
  });

  it('measureSelectorWait returns select’s ValueError past FD_SETSIZE instead of a cost', () => {
    const raised = measureSelectorWait('select', 5000, 1);
    expect(raised).toBeInstanceOf(PythonError);
    expect((raised as PythonError).message).toBe('filedescriptor out of range in select()');
  });

  it('exports InterpreterPoolExecutor and the subinterpreters it runs calls in', () => {
    const machine = new Machine({cores: 2, mode: 'free-threaded-gil'});
    const interpreters: unknown[] = [];
    machine.run(function* main() {
      interpreters.push(machine.createInterpreter());
      yield* new InterpreterPoolExecutor(machine, {maxWorkers: 1}).within(function* (pool) {
        yield* (yield* pool.submit(pyfunc('work', function* () {
          yield cpu(10);
        }))).result();
      });
    });
    expect(interpreters[0]).toBeInstanceOf(SubInterpreter);
  });
});
