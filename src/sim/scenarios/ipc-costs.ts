/**
 * Seeds 001 and 003: a child process sends n payloads of a given size to its parent through
 * multiprocessing.Pipe, multiprocessing.Queue, a shared Array (under its lock) and a Manager list.
 * The time per message comes from running it: Pipe pickles and writes in the sender, reads and
 * unpickles in the receiver; Queue adds a feeder thread in the sender and a lock in get(); Array
 * copies into shared memory with no pickling (and no notification: the reader must poll or use an
 * Event); every Manager operation is a proxy round trip to the manager's server process (modelled
 * as a process serving requests), so the child's append and the parent's read are each a request
 * and a reply. All processes are forked.
 */
import {MANAGER_DISPATCH_US, MP_QUEUE_EXTRA_US, SHARED_MEMORY_NS_PER_BYTE, SHARED_VALUE_ACCESS_US} from '../constants';
import {Machine} from '../machine';
import {Channel, pipeCostUs} from '../pools';
import {Payload, Process, pickleCostUs, pickledSize, pyfunc} from '../processes';
import {cpu, type Step} from '../threads';
import type {Scenario, ScenarioRow} from './types';

type Mechanism = 'pipe' | 'queue' | 'array' | 'manager';
const MECHANISMS: readonly Mechanism[] = ['pipe', 'queue', 'array', 'manager'];
const SIZES = [{label: '100 B', key: '100b', bytes: 100}, {label: '10 KiB', key: '10kib', bytes: 10 * 1024}, {label: '1 MiB', key: '1mib', bytes: 1024 * 1024}];

interface ManagerRequest {
  requestBytes: number;
  replyBytes: number;
  reply: Channel<number>;
}

/** One proxy call: pickle and send the request, wait for the server's reply, unpickle it. */
function* managerCall(server: Channel<ManagerRequest | null>, machine: Machine, requestBytes: number, replyBytes: number): Generator<Step, void, void> {
  yield cpu(pickleCostUs(requestBytes, 'bytes') + pipeCostUs(requestBytes));
  const reply = new Channel<number>(machine, 'manager.reply');
  server.put({requestBytes, replyBytes, reply});
  const bytes = yield* reply.get();
  yield cpu(pipeCostUs(bytes) + pickleCostUs(bytes, 'bytes'));
}

/** The manager's server process (managers.py Server.serve_client): unpickle, dispatch, pickle the reply. */
function managerServer(server: Channel<ManagerRequest | null>) {
  return pyfunc('Server.serve_forever', function* () {
    for (let request; (request = yield* server.get()) !== null; ) {
      yield cpu(pipeCostUs(request.requestBytes) + pickleCostUs(request.requestBytes, 'bytes') + MANAGER_DISPATCH_US);
      yield cpu(pickleCostUs(request.replyBytes, 'bytes') + pipeCostUs(request.replyBytes));
      request.reply.put(request.replyBytes);
    }
  });
}

function microsecondsPerMessage(mechanism: Mechanism, bytes: number, n: number, cores: number, seed: number): number {
  const machine = new Machine({cores, seed});
  const size = pickledSize(new Payload(bytes));
  const small = pickledSize(null);
  const wire = new Channel<number>(machine, 'pipe');
  const server = new Channel<ManagerRequest | null>(machine, 'manager.requests');
  const copyUs = SHARED_VALUE_ACCESS_US + Math.ceil((bytes * SHARED_MEMORY_NS_PER_BYTE) / 1000);
  let begin = 0;
  let end = 0;
  const child = pyfunc('producer', function* () {
    begin = machine.now;
    if (mechanism === 'queue') {
      const buffer = new Channel<number | null>(machine, 'Queue.buffer');
      const feeder = machine.thread({
        name: 'QueueFeederThread',
        *target() {
          for (let item; (item = yield* buffer.get()) !== null; ) {
            yield cpu(pickleCostUs(item, 'bytes') + pipeCostUs(item));
            wire.put(item);
          }
        },
      });
      yield feeder.start();
      for (let index = 0; index < n; index += 1) {
        yield cpu(1);
        buffer.put(size);
      }
      buffer.put(null);
      yield feeder.join();
      return;
    }
    for (let index = 0; index < n; index += 1) {
      if (mechanism === 'pipe') {
        yield cpu(pickleCostUs(size, 'bytes') + pipeCostUs(size));
        wire.put(size);
      } else if (mechanism === 'array') {
        yield cpu(copyUs);
      } else {
        yield* managerCall(server, machine, size, small);
      }
    }
    end = machine.now;
  });
  machine.run(function* main() {
    const manager = mechanism === 'manager' ? new Process(machine, {target: managerServer(server), startMethod: 'fork', name: 'SyncManager'}) : null;
    if (manager !== null) yield* manager.start();
    const p = new Process(machine, {target: child, startMethod: 'fork'});
    yield* p.start();
    for (let index = 0; index < n; index += 1) {
      if (mechanism === 'pipe' || mechanism === 'queue') {
        const item = yield* wire.get();
        yield cpu(pipeCostUs(item) + pickleCostUs(item, 'bytes') + (mechanism === 'queue' ? MP_QUEUE_EXTRA_US : 0));
        end = machine.now;
      }
    }
    yield* p.join();
    // The parent reads each value back: a copy out of shared memory, or one more proxy round trip.
    const readStart = machine.now;
    if (mechanism === 'array') for (let index = 0; index < n; index += 1) yield cpu(copyUs);
    if (mechanism === 'manager') for (let index = 0; index < n; index += 1) yield* managerCall(server, machine, small, size);
    end += machine.now - readStart;
    if (manager !== null) {
      server.put(null);
      yield* manager.join();
    }
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
