import {describe, expect, it} from 'vitest';
import {
  MANAGER_DISPATCH_US,
  MP_QUEUE_EXTRA_US,
  PIPE_CAPACITY_BYTES,
  PIPE_NS_PER_BYTE,
  SHARED_MEMORY_NS_PER_BYTE,
  SHARED_VALUE_ACCESS_US,
  SOCKETPAIR_CAPACITY_BYTES,
} from './constants';
import {PythonError} from './errors';
import {Array as SharedArray, Manager, Pipe, Queue, Value} from './ipc';
import {Machine, type RunResult} from './machine';
import {Payload, Process, pickleCostUs, pyfunc, startCost} from './processes';
import {sleep, withLock, type Step} from './threads';

type Program = Generator<Step, void, void>;

/** Run `main` on a fresh machine; returns the run. */
function run(main: (machine: Machine) => Program, options: {cores?: number; seed?: number} = {}): RunResult {
  const machine = new Machine({cores: options.cores ?? 4, seed: options.seed ?? 1});
  return machine.run(() => main(machine));
}

/** Start a forked child running `body`. */
function* fork(machine: Machine, body: () => Program, name = 'child'): Generator<Step, Process, void> {
  const p = new Process(machine, {target: pyfunc(name, body), startMethod: 'fork'});
  yield* p.start();
  return p;
}

/** Run `body` and return the Python error it raised (pythonType and message), or fail. */
function* raised(body: () => Generator<Step, unknown, void>): Generator<Step, {type: string; message: string}, void> {
  try {
    yield* body();
  } catch (error) {
    if (error instanceof PythonError) return {type: error.pythonType, message: error.message};
    throw error;
  }
  throw new Error('expected a Python exception');
}

/** Microseconds per message for n messages of `bytes` sent from a child to its parent through `mechanism`. */
function perMessageUs(mechanism: 'pipe' | 'queue' | 'manager', bytes: number, n = 20): number {
  let begin = 0;
  let end = 0;
  run(function* (machine) {
    const payload = new Payload(bytes);
    if (mechanism === 'pipe') {
      const [reader, writer] = Pipe(machine, {duplex: false});
      const p = yield* fork(machine, function* () {
        begin = machine.now;
        for (let i = 0; i < n; i += 1) yield* writer.send(payload);
      });
      for (let i = 0; i < n; i += 1) yield* reader.recv();
      end = machine.now;
      yield* p.join();
    } else if (mechanism === 'queue') {
      const q = new Queue(machine);
      const p = yield* fork(machine, function* () {
        begin = machine.now;
        for (let i = 0; i < n; i += 1) yield* q.put(payload);
      });
      for (let i = 0; i < n; i += 1) yield* q.get();
      end = machine.now;
      yield* p.join();
    } else {
      const manager = yield* Manager(machine, {startMethod: 'fork'});
      const items = yield* manager.list<Payload>();
      const p = yield* fork(machine, function* () {
        begin = machine.now;
        for (let i = 0; i < n; i += 1) yield* items.append(payload);
      });
      yield* p.join();
      end = machine.now;
      yield* manager.shutdown();
    }
  });
  return (end - begin) / n;
}

describe('Pipe and Connection (connection.py)', () => {
  it('carries objects in order from a child to its parent; the receiver gets a copy', () => {
    const received: unknown[] = [];
    const sent = [1, 2];
    const result = run(function* (machine) {
      const [parentEnd, childEnd] = Pipe(machine);
      const p = yield* fork(machine, function* () {
        yield* childEnd.send('hello');
        yield* childEnd.send(sent);
        sent.push(3); // after send: the pickle was taken already
        yield* childEnd.send({answer: 42});
      });
      for (let i = 0; i < 3; i += 1) received.push(yield* parentEnd.recv());
      yield* p.join();
    });
    expect(received).toEqual(['hello', [1, 2], {answer: 42}]);
    expect(received[1]).not.toBe(sent);
    expect(result.deadlock).toBeNull();
    expect(result.trace.filter((r) => r.kind === 'ipc' && r.details.action === 'send')).toHaveLength(3);
  });

  it('a one-way pipe is [reader, writer]; the wrong end raises OSError as Python does', () => {
    const errors: {type: string; message: string}[] = [];
    run(function* (machine) {
      const [reader, writer] = Pipe(machine, {duplex: false});
      expect([reader.readable, reader.writable, writer.readable, writer.writable]).toEqual([true, false, false, true]);
      errors.push(yield* raised(() => reader.send(1)));
      errors.push(yield* raised(() => writer.recv()));
      errors.push(yield* raised(() => writer.poll()));
    });
    expect(errors).toEqual([
      {type: 'OSError', message: 'connection is read-only'},
      {type: 'OSError', message: 'connection is write-only'},
      {type: 'OSError', message: 'connection is write-only'},
    ]);
  });

  it('raises pickle’s errors in the sender, before anything is written', () => {
    const errors: {type: string; message: string}[] = [];
    run(function* (machine) {
      const [a, b] = Pipe(machine);
      errors.push(yield* raised(() => a.send(pyfunc('<lambda>', function* () {}))));
      errors.push(yield* raised(() => a.send([1, pyfunc('outer.<locals>.inner', function* () {})])));
      errors.push(yield* raised(() => a.send(new Queue(machine))));
      errors.push(yield* raised(() => a.send(Value(machine, 'i', 0))));
      expect(yield* b.poll()).toBe(false);
    });
    expect(errors[0].type).toBe('PicklingError');
    expect(errors[0].message).toMatch(/^Can't pickle <function <lambda> at 0x[0-9a-f]+>: attribute lookup <lambda> on __main__ failed$/);
    expect(errors[1]).toEqual({type: 'AttributeError', message: "Can't pickle local object 'outer.<locals>.inner'"});
    expect(errors[2]).toEqual({type: 'RuntimeError', message: 'Queue objects should only be shared between processes through inheritance'});
    expect(errors[3]).toEqual({type: 'RuntimeError', message: 'Synchronized objects should only be shared between processes through inheritance'});
  });

  it('recv() gets EOFError once the other end is closed and drained; poll() is then true; a closed end raises OSError', () => {
    const log: unknown[] = [];
    run(function* (machine) {
      const [reader, writer] = Pipe(machine, {duplex: false});
      yield* writer.send(5);
      writer.close();
      log.push(writer.closed, yield* reader.poll(), yield* reader.recv(), yield* reader.poll());
      log.push(yield* raised(() => reader.recv()));
      log.push(yield* raised(() => writer.send(1)));
    });
    expect(log).toEqual([true, true, 5, true, {type: 'EOFError', message: ''}, {type: 'OSError', message: 'handle is closed'}]);
  });

  it('send() to an end every holder has closed raises BrokenPipeError', () => {
    let error: unknown;
    run(function* (machine) {
      const [parentEnd, childEnd] = Pipe(machine);
      const p = yield* fork(machine, function* () {
        yield* childEnd.recv();
        // the child exits: its copy of childEnd closes with it
      });
      childEnd.close(); // the parent's copy of the child's end
      yield* parentEnd.send('one');
      yield* p.join();
      error = yield* raised(() => parentEnd.send('two'));
    });
    expect(error).toEqual({type: 'BrokenPipeError', message: '[Errno 32] Broken pipe'});
  });

  it('the idiom: the parent closes its copy of the child’s end, so EOF comes when the child exits', () => {
    const received: unknown[] = [];
    const result = run(function* (machine) {
      const [parentEnd, childEnd] = Pipe(machine);
      yield* fork(machine, function* () {
        yield* childEnd.send('a');
        yield* childEnd.send('b');
      });
      childEnd.close(); // right after start(): the child has not used its copy yet
      for (;;) {
        try {
          received.push(yield* parentEnd.recv());
        } catch (error) {
          if (error instanceof PythonError && error.pythonType === 'EOFError') break;
          throw error;
        }
      }
    });
    expect(received).toEqual(['a', 'b']);
    expect(result.deadlock).toBeNull();
  });

  it('without that close, the parent’s copy keeps the pipe open: the loop waits for ever (the deadlock report says where)', () => {
    const result = run(function* (machine) {
      const [parentEnd, childEnd] = Pipe(machine);
      yield* fork(machine, function* () {
        yield* childEnd.send('a');
      });
      for (;;) yield* parentEnd.recv();
    });
    expect(result.deadlock?.blocked).toEqual(['MainThread']);
    expect(result.deadlock?.waits[0].waitsFor).toEqual({kind: 'pipe', name: 'Pipe-1[0].recv'});
  });

  it('a message bigger than the pipe blocks the sender until the reader drains it; two big sends at once deadlock', () => {
    const big = new Payload(2 * SOCKETPAIR_CAPACITY_BYTES);
    const deadlocked = run(function* (machine) {
      const [a, b] = Pipe(machine);
      const p = yield* fork(machine, function* () {
        yield* b.send(big);
        yield* b.recv();
      });
      yield* a.send(big); // both ends write first: neither buffer can take the whole message
      yield* a.recv();
      yield* p.join();
    });
    expect(deadlocked.deadlock?.waits.map((w) => w.waitsFor)).toEqual([
      {kind: 'pipe', name: 'Pipe-1[0].send'},
      {kind: 'pipe', name: 'Pipe-1[1].send'},
    ]);

    const fine = run(function* (machine) {
      const [a, b] = Pipe(machine);
      const p = yield* fork(machine, function* () {
        yield* b.send(big);
        yield* b.recv();
      });
      yield* a.recv(); // read first: the child's message drains, then the reply fits
      yield* a.send(big);
      yield* p.join();
    });
    expect(fine.deadlock).toBeNull();
  });

  it('poll(timeout) waits at most that long, and returns true as soon as a message starts to arrive', () => {
    const seen: [boolean, number][] = [];
    run(function* (machine) {
      const [reader, writer] = Pipe(machine, {duplex: false});
      let start = machine.now;
      seen.push([yield* reader.poll(1000), machine.now - start]);
      yield* fork(machine, function* () {
        yield sleep(5000);
        yield* writer.send('late');
      });
      start = machine.now;
      seen.push([yield* reader.poll(null), machine.now - start]);
    });
    expect(seen[0][0]).toBe(false);
    expect(seen[0][1]).toBeGreaterThanOrEqual(1000);
    expect(seen[0][1]).toBeLessThan(1100);
    expect(seen[1][0]).toBe(true);
    expect(seen[1][1]).toBeGreaterThanOrEqual(5000);
  });

  it('costs more per message as the payload grows, at least the kernel copy each way for a big one', () => {
    const small = perMessageUs('pipe', 100);
    const medium = perMessageUs('pipe', 10 * 1024);
    const large = perMessageUs('pipe', 1024 * 1024);
    expect(small).toBeLessThan(medium);
    expect(medium).toBeLessThan(large);
    const copyUs = (1024 * 1024 * PIPE_NS_PER_BYTE) / 1000;
    expect(large).toBeGreaterThan(copyUs + pickleCostUs(1024 * 1024, 'bytes'));
  });

  it('rejects a timeout that is not an integer, naming the parameter', () => {
    run(function* (machine) {
      const [reader] = Pipe(machine, {duplex: false});
      let error: unknown;
      try {
        yield* reader.poll(1.5);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(RangeError);
      expect(String(error)).toContain('timeoutUs');
    });
  });
});

describe('Queue (queues.py)', () => {
  it('carries items in order from a child that puts and returns at once: its feeder is flushed at exit', () => {
    const got: unknown[] = [];
    const result = run(function* (machine) {
      const q = new Queue<number>(machine);
      const p = yield* fork(machine, function* () {
        for (let i = 0; i < 5; i += 1) yield* q.put(i);
      });
      for (let i = 0; i < 5; i += 1) got.push(yield* q.get());
      yield* p.join();
    });
    expect(got).toEqual([0, 1, 2, 3, 4]);
    expect(result.deadlock).toBeNull();
    expect(result.processes.map((p) => p.exitcode)).toEqual([0, 0]);
    expect(result.threads.some((t) => t.name === 'Process-1/QueueFeederThread')).toBe(true);
  });

  it('starts the feeder thread on the first put; empty() stays true until the feeder has written', () => {
    const seen: unknown[] = [];
    run(function* (machine) {
      const q = new Queue(machine);
      seen.push(yield* q.empty());
      yield* q.put('x');
      seen.push(q.qsize(), yield* q.empty());
      yield sleep(1000);
      seen.push(yield* q.empty(), yield* q.get(), q.qsize());
    });
    expect(seen).toEqual([true, 1, true, false, 'x', 0]);
  });

  it('maxsize bounds it: full(), and a put that times out raises queue.Full; a get that times out raises queue.Empty', () => {
    const seen: unknown[] = [];
    run(function* (machine) {
      const q = new Queue(machine, 2);
      yield* q.put(1);
      yield* q.put(2);
      seen.push(q.full(), q.qsize());
      let start = machine.now;
      seen.push(yield* raised(() => q.put(3, {timeoutUs: 500})));
      seen.push(machine.now - start >= 500);
      seen.push(yield* raised(() => q.put(3, {block: false})));
      yield* q.get();
      yield* q.get();
      start = machine.now;
      seen.push(yield* raised(() => q.get({timeoutUs: 2000})));
      seen.push(machine.now - start >= 2000 && machine.now - start < 2100);
      seen.push(yield* raised(() => q.get({block: false})));
    });
    expect(seen).toEqual([true, 2, {type: 'queue.Full', message: ''}, true, {type: 'queue.Full', message: ''}, {type: '_queue.Empty', message: ''}, true, {type: '_queue.Empty', message: ''}]);
  });

  it('put or get after close raises ValueError naming the queue; join_thread before close is an AssertionError', () => {
    const seen: {type: string; message: string}[] = [];
    run(function* (machine) {
      const q = new Queue(machine);
      seen.push(yield* raised(() => q.join_thread()));
      yield* q.put(1);
      q.close();
      yield* q.join_thread();
      seen.push(yield* raised(() => q.put(2)));
      seen.push(yield* raised(() => q.get()));
    });
    expect(seen[0].type).toBe('AssertionError');
    expect(seen[0].message).toMatch(/^Queue <multiprocessing\.queues\.Queue object at 0x[0-9a-f]+> not closed$/);
    expect(seen[1].type).toBe('ValueError');
    expect(seen[1].message).toMatch(/^Queue <multiprocessing\.queues\.Queue object at 0x[0-9a-f]+> is closed$/);
    expect(seen[2]).toEqual(seen[1]);
  });

  it('an unpicklable item fails in the feeder thread, not in put(): it is dropped and no longer counted', () => {
    const seen: unknown[] = [];
    const result = run(function* (machine) {
      const q = new Queue(machine);
      yield* q.put(pyfunc('<lambda>', function* () {}));
      seen.push(q.qsize());
      yield sleep(1000);
      seen.push(q.qsize(), yield* raised(() => q.get({timeoutUs: 1000})));
    });
    expect(seen).toEqual([1, 0, {type: '_queue.Empty', message: ''}]);
    const feederError = result.trace.find((r) => r.kind === 'ipc' && r.details.action === 'feeder-error');
    expect(feederError?.details.type).toBe('PicklingError');
    expect(feederError?.details.thread).toBe('QueueFeederThread');
  });

  it('joining a child before getting its big item deadlocks (the docs’ “joining processes that use queues”); getting first does not', () => {
    const big = new Payload(4 * PIPE_CAPACITY_BYTES);
    const joinFirst = run(function* (machine) {
      const q = new Queue(machine);
      const p = yield* fork(machine, function* () {
        yield* q.put(big);
      });
      yield* p.join();
      yield* q.get();
    });
    expect(joinFirst.deadlock?.blocked.sort()).toEqual(['MainThread', 'Process-1/Finalize(Queue-1)', 'Process-1/QueueFeederThread'].sort());

    const getFirst = run(function* (machine) {
      const q = new Queue(machine);
      const p = yield* fork(machine, function* () {
        yield* q.put(big);
      });
      yield* q.get();
      yield* p.join();
    });
    expect(getFirst.deadlock).toBeNull();
  });

  it('costs more per message than a Pipe: the feeder hop and get()’s locks', () => {
    for (const bytes of [100, 10 * 1024]) {
      const pipe = perMessageUs('pipe', bytes);
      const queue = perMessageUs('queue', bytes);
      expect(queue).toBeGreaterThan(pipe + MP_QUEUE_EXTRA_US / 2);
    }
  });
});

describe('Value and Array (sharedctypes.py)', () => {
  it('stores C numbers in shared memory that every process sees, with C’s wrap-around', () => {
    const seen: unknown[] = [];
    run(function* (machine) {
      const v = Value(machine, 'i', 7);
      const bytesValue = Value(machine, 'B', 300);
      const a = SharedArray(machine, 'd', [1.5, 2]);
      const p = yield* fork(machine, function* () {
        yield* v.setValue(2 ** 31);
        yield* a.setSlice(0, 2, [3, 4.25]);
      });
      yield* p.join();
      seen.push(yield* v.getValue(), yield* bytesValue.getValue(), yield* a.getSlice(), yield* a.getItem(-1), a.length);
    });
    expect(seen).toEqual([-(2 ** 31), 44, [3, 4.25], 4.25, 2]);
  });

  it('loses updates when `v.value += 1` runs in two processes without get_lock(); holding the lock keeps every one', () => {
    const ITERATIONS = 2000;
    const finalCount = (useLock: boolean): number => {
      let count = 0;
      run(function* (machine) {
        const counter = Value(machine, 'i', 0);
        const increment = function* () {
          for (let i = 0; i < ITERATIONS; i += 1) {
            if (useLock) {
              yield* withLock(counter.get_lock(), function* () {
                yield* counter.setValue((yield* counter.getValue()) + 1);
              });
            } else {
              yield* counter.setValue((yield* counter.getValue()) + 1); // a locked read, then a locked write
            }
          }
        };
        const a = yield* fork(machine, increment, 'increment');
        const b = yield* fork(machine, increment, 'increment');
        yield* a.join();
        yield* b.join();
        count = yield* counter.getValue();
      }, {cores: 2});
      return count;
    };
    expect(finalCount(false)).toBeLessThan(2 * ITERATIONS);
    expect(finalCount(true)).toBe(2 * ITERATIONS);
  });

  it('costs SHARED_VALUE_ACCESS_US plus the bytes at memcpy speed per access, with no pickling', () => {
    const accessUs = (bytes: number): number => {
      let took = 0;
      run(function* (machine) {
        const shared = SharedArray(machine, 'c', bytes);
        const start = machine.now;
        yield* shared.setRaw(new Payload(bytes));
        took = machine.now - start;
      });
      return took;
    };
    for (const bytes of [100, 1024 * 1024]) expect(accessUs(bytes)).toBe(SHARED_VALUE_ACCESS_US + Math.ceil((bytes * SHARED_MEMORY_NS_PER_BYTE) / 1000));
  });

  it('raises Python’s errors for bad indexes, values, typecodes and sizes', () => {
    const seen: unknown[] = [];
    run(function* (machine) {
      const a = SharedArray(machine, 'i', 3);
      const s = SharedArray(machine, 'c', 4);
      seen.push(yield* raised(() => a.getItem(3)));
      seen.push(yield* raised(() => a.setItem(0, 1.5)));
      seen.push(yield* raised(() => a.setSlice(0, 2, [1])));
      seen.push(yield* raised(() => s.setRaw(new Payload(5))));
      for (const make of [() => Value(machine, 'z' as 'i', 0), () => SharedArray(machine, 'i', -1), () => Value(machine, 'd', 'x' as unknown as number)]) {
        try {
          make();
        } catch (error) {
          if (!(error instanceof PythonError)) throw error;
          seen.push({type: error.pythonType, message: error.message});
        }
      }
      try {
        Value(machine, 'i', 0, {lock: false}).get_lock();
      } catch (error) {
        if (!(error instanceof PythonError)) throw error;
        seen.push({type: error.pythonType, message: error.message});
      }
    });
    expect(seen).toEqual([
      {type: 'IndexError', message: 'invalid index'},
      {type: 'TypeError', message: "'float' object cannot be interpreted as an integer"},
      {type: 'ValueError', message: 'Can only assign sequence of same size'},
      {type: 'ValueError', message: 'byte string too long'},
      {type: 'TypeError', message: 'this type has no size'},
      {type: 'ValueError', message: 'Array length must be >= 0, not -1'},
      {type: 'TypeError', message: 'must be real number, not str'},
      {type: 'AttributeError', message: "'c_int' object has no attribute 'get_lock'"},
    ]);
  });
});

describe('Manager (managers.py)', () => {
  it('shares a list and a dict through a server process; every read returns a copy', () => {
    const seen: unknown[] = [];
    const result = run(function* (machine) {
      const manager = yield* Manager(machine);
      const items = yield* manager.list<number[]>([[1]]);
      const scores = yield* manager.dict<string, number>([['a', 1]]);
      const p = yield* fork(machine, function* () {
        yield* items.append([2]);
        yield* scores.setItem('b', 2);
      });
      yield* p.join();
      const first = yield* items.getItem(0);
      first.push(99); // changes the copy only, as in Python
      seen.push(yield* items.copy(), yield* items.len(), yield* items.getSlice(1));
      seen.push(yield* scores.getItem('b'), yield* scores.get('zz', 0), yield* scores.contains('a'), yield* scores.items());
      seen.push(yield* items.pop(), yield* scores.pop('a'), yield* scores.keys());
      yield* manager.shutdown();
    });
    expect(seen).toEqual([[[1], [2]], 2, [[2]], 2, 0, true, [['a', 1], ['b', 2]], [2], 1, ['b']]);
    expect(result.processes.map((p) => [p.name, p.exitcode])).toEqual([['MainProcess', 0], ['SyncManager-1', 0], ['Process-2', 0]]);
  });

  it('costs a process start to create, and is shut down at exit if the program forgets', () => {
    let startedAt = 0;
    const result = run(function* (machine) {
      yield* Manager(machine, {startMethod: 'fork'});
      startedAt = machine.now;
    });
    const fork = startCost('fork');
    expect(startedAt).toBeGreaterThan(fork.parentUs + fork.childBootUs);
    expect(result.deadlock).toBeNull();
    expect(result.processes.find((p) => p.name === 'SyncManager-1')?.exitcode).toBe(0);
  });

  it('is slower than a Pipe per message: a round trip with the server’s dispatch, each way pickled', () => {
    for (const bytes of [100, 10 * 1024, 1024 * 1024]) {
      const pipe = perMessageUs('pipe', bytes);
      const manager = perMessageUs('manager', bytes);
      expect(manager).toBeGreaterThan(pipe + MANAGER_DISPATCH_US);
    }
    expect(perMessageUs('manager', 1024 * 1024)).toBeGreaterThan(perMessageUs('manager', 100));
  });

  it('raises the server’s errors in the caller, and pickle’s errors before sending', () => {
    const seen: {type: string; message: string}[] = [];
    run(function* (machine) {
      const manager = yield* Manager(machine);
      const items = yield* manager.list<unknown>();
      const scores = yield* manager.dict<string, number>();
      seen.push(yield* raised(() => items.getItem(5)));
      seen.push(yield* raised(() => items.pop()));
      seen.push(yield* raised(() => items.setItem(0, 1)));
      seen.push(yield* raised(() => scores.getItem('zz')));
      seen.push(yield* raised(() => items.append(pyfunc('<lambda>', function* () {}))));
      seen.push(yield* raised(() => items._callmethod('nope')));
      yield* manager.shutdown();
    });
    expect(seen.slice(0, 4)).toEqual([
      {type: 'IndexError', message: 'list index out of range'},
      {type: 'IndexError', message: 'pop from empty list'},
      {type: 'IndexError', message: 'list assignment index out of range'},
      {type: 'KeyError', message: "'zz'"},
    ]);
    expect(seen[4].type).toBe('PicklingError');
    expect(seen[5].type).toBe('AttributeError');
    expect(seen[5].message).toMatch(/^method 'nope' of <class 'list'> object is not in exposed=\('append', /);
  });

  it('after shutdown: BrokenPipeError on a thread’s open connection, FileNotFoundError for a new one, and no new proxies', () => {
    const seen: {type: string; message: string}[] = [];
    run(function* (machine) {
      const manager = yield* Manager(machine);
      const items = yield* manager.list<number>();
      yield* items.append(1);
      yield* manager.shutdown();
      seen.push(yield* raised(() => items.append(2)));
      const other = machine.thread({
        name: 'other',
        *target() {
          seen.push(yield* raised(() => items.append(3)));
        },
      });
      yield other.start();
      yield other.join();
      seen.push(yield* raised(() => manager.list()));
      seen.push(yield* raised(() => manager.start()));
    });
    expect(seen).toEqual([
      {type: 'BrokenPipeError', message: '[Errno 32] Broken pipe'},
      {type: 'FileNotFoundError', message: '[Errno 2] No such file or directory'},
      {type: 'AssertionError', message: 'server not yet started'},
      {type: 'ProcessError', message: 'Manager has shut down'},
    ]);
  });
});

describe('determinism', () => {
  it('gives the same trace for the same seed', () => {
    const program = (seed: number) =>
      run(
        function* (machine) {
          const [reader, writer] = Pipe(machine, {duplex: false});
          const q = new Queue(machine);
          const counter = Value(machine, 'i', 0);
          const manager = yield* Manager(machine);
          const items = yield* manager.list<number>();
          const p = yield* fork(machine, function* () {
            for (let i = 0; i < 3; i += 1) {
              yield* writer.send(new Payload(20_000));
              yield* q.put(i);
              yield* counter.setValue((yield* counter.getValue()) + 1);
              yield* items.append(i);
              yield sleep(10); // timer slack: the seed shows
            }
          });
          for (let i = 0; i < 3; i += 1) {
            yield* reader.recv();
            yield* q.get();
          }
          yield* p.join();
        },
        {seed},
      ).trace;
    expect(program(3)).toEqual(program(3));
    expect(JSON.stringify(program(3))).not.toEqual(JSON.stringify(program(4)));
  });
});
