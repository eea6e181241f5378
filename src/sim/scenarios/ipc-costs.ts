/**
 * Seeds 001 and 003: a child process sends n payloads of a given size to its parent through
 * multiprocessing.Pipe, multiprocessing.Queue, a shared Array (under its lock) and a Manager list,
 * using the simulator's multiprocessing classes (ipc.ts). The time per message comes from running
 * it: Pipe pickles and writes in the sender, reads and unpickles in the receiver; Queue adds a
 * feeder thread in the sender and a lock in get(); Array copies into shared memory with no
 * pickling (and no notification: the reader must poll or use an Event), so the child writes every
 * payload and the parent then reads each back; every Manager operation is a proxy round trip to
 * the manager's server process, so the child's append and the parent's read are each a request
 * and a reply. All processes are forked; the clock starts when the child starts running.
 */
import * as multiprocessing from '../ipc';
import {Machine} from '../machine';
import {Payload, Process, pyfunc} from '../processes';
import type {Step} from '../threads';
import type {Scenario, ScenarioRow} from './types';

type Mechanism = 'pipe' | 'queue' | 'array' | 'manager';
const MECHANISMS: readonly Mechanism[] = ['pipe', 'queue', 'array', 'manager'];
const SIZES = [{label: '100 B', key: '100b', bytes: 100}, {label: '10 KiB', key: '10kib', bytes: 10 * 1024}, {label: '1 MiB', key: '1mib', bytes: 1024 * 1024}];

/** How each mechanism moves n payloads: the child's side, then the parent's (run while and after the child runs). */
interface Transfer {
  send(payload: Payload): Generator<Step, void, void>;
  /** The parent's receiving loop while the child runs (Pipe, Queue), or nothing. */
  receiveDuring?(n: number): Generator<Step, void, void>;
  /** The parent's reads after the child has exited (shared memory, the Manager's list), or nothing. */
  readAfter?(n: number): Generator<Step, void, void>;
  close?(): Generator<Step, void, void>;
}

function* openTransfer(machine: Machine, mechanism: Mechanism, bytes: number): Generator<Step, Transfer, void> {
  if (mechanism === 'pipe') {
    const [reader, writer] = multiprocessing.Pipe<Payload>(machine, {duplex: false});
    return {
      send: (payload) => writer.send(payload),
      *receiveDuring(n) {
        for (let index = 0; index < n; index += 1) yield* reader.recv();
      },
    };
  }
  if (mechanism === 'queue') {
    const queue = new multiprocessing.Queue<Payload>(machine);
    return {
      send: (payload) => queue.put(payload),
      *receiveDuring(n) {
        for (let index = 0; index < n; index += 1) yield* queue.get();
      },
    };
  }
  if (mechanism === 'array') {
    const shared = multiprocessing.Array(machine, 'c', bytes);
    return {
      send: (payload) => shared.setRaw(payload),
      *readAfter(n) {
        for (let index = 0; index < n; index += 1) yield* shared.getRaw();
      },
    };
  }
  const manager = yield* multiprocessing.Manager(machine, {startMethod: 'fork'});
  const items = yield* manager.list<Payload>();
  return {
    send: (payload) => items.append(payload),
    *readAfter(n) {
      for (let index = 0; index < n; index += 1) yield* items.getItem(index);
    },
    close: () => manager.shutdown(),
  };
}

function microsecondsPerMessage(mechanism: Mechanism, bytes: number, n: number, cores: number, seed: number): number {
  const machine = new Machine({cores, seed});
  let begin = 0;
  let end = 0;
  machine.run(function* main() {
    const transfer = yield* openTransfer(machine, mechanism, bytes);
    const producer = pyfunc('producer', function* () {
      begin = machine.now;
      for (let index = 0; index < n; index += 1) yield* transfer.send(new Payload(bytes));
      end = machine.now;
    });
    const p = new Process(machine, {target: producer, startMethod: 'fork'});
    yield* p.start();
    if (transfer.receiveDuring !== undefined) {
      yield* transfer.receiveDuring(n);
      end = machine.now;
    }
    yield* p.join();
    if (transfer.readAfter !== undefined) {
      const readStart = machine.now;
      yield* transfer.readAfter(n);
      end += machine.now - readStart;
    }
    if (transfer.close !== undefined) yield* transfer.close();
  });
  return (end - begin) / n;
}

export const ipcCosts: Scenario = {
  id: 'ipc-costs',
  description: 'time per message between two processes vs payload size: Pipe, Queue, shared Array, Manager list',
  defaults: {cores: 4, n: 100, seed: 1},
  run({cores, n, seed}) {
    const rows: ScenarioRow[] = [];
    for (const mechanism of MECHANISMS) {
      for (const size of SIZES) {
        const label = {pipe: 'Pipe send/recv', queue: 'Queue put/get', array: 'Array write, then read (no pickling)', manager: 'Manager list append, then read (2 proxy round trips)'}[mechanism];
        rows.push({key: `${mechanism}-${size.key}`, label: `${label}, ${size.label}`, value: Math.round(microsecondsPerMessage(mechanism, size.bytes, n, cores, seed) * 10) / 10, unit: 'us', seed: null});
      }
    }
    return rows;
  },
};
