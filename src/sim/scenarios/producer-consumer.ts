/**
 * Seeds 003 and 004 (threads version): a producer puts n items on queue.Queue(maxsize=10), one
 * every 0.1 s, then a sentinel; `workers` consumers (two in the seed) take 0.2 s per item and pass
 * the sentinel on. The seeds give the code but no figures. With two consumers, consumption (2 ×
 * 5/s) matches production (10/s): the queue never holds more than an item or so, and the bound
 * of 10 never matters. With one consumer it fills up and the producer blocks in put().
 * The asyncio version (rows `asyncio-…`) is the same program on asyncio.Queue (Lib/asyncio/queues.py)
 * with tasks and asyncio.sleep, on one loop: the same pace, the same queue lengths.
 */
import {PRINT_CPU_US, SMALL_STATEMENT_CPU_US} from '../constants';
import {createTask, cpu as loopCpu, getRunningLoop, Queue as AsyncQueue, run, sleep as loopSleep, type AsyncioRun, type Coro} from '../asyncio';
import {Machine} from '../machine';
import {Queue} from '../sync';
import {cpu, sleep, type ThreadProgram} from '../threads';
import {loopTimeline, machineTimeline} from '../timeline';
import {microsecondsFromSeconds, seconds, type Scenario, type ScenarioRow} from './types';

const MAXSIZE = 10;
const PRODUCE_EVERY_US = microsecondsFromSeconds(0.1);
const CONSUME_US = microsecondsFromSeconds(0.2);
const SENTINEL = null;

export const producerConsumer: Scenario = {
  id: 'producer-consumer',
  description: 'threads: a producer every 0.1 s into Queue(maxsize=10), consumers taking 0.2 s per item',
  defaults: {cores: 4, n: 10, workers: 2, seed: 1},
  run({cores, n, workers, seed}) {
    const machine = new Machine({cores, seed});
    const q = new Queue<number | null>(machine, MAXSIZE, 'q');
    let producerBlockedUs = 0;
    const consumed = new Map<string, number>();
    function* timedPut(item: number | null): ThreadProgram {
      const before = machine.now;
      yield* q.put(item);
      producerBlockedUs += machine.now - before;
    }
    const result = machine.run(function* main() {
      const producer = machine.thread({
        name: 'producer',
        *target(): ThreadProgram {
          for (let index = 0; index < n; index += 1) {
            yield cpu(SMALL_STATEMENT_CPU_US); // random.randint(1, 100)
            yield* timedPut(index);
            yield cpu(PRINT_CPU_US);
            yield sleep(PRODUCE_EVERY_US);
          }
          yield* timedPut(SENTINEL);
        },
      });
      const consumers = Array.from({length: workers}, (_, index) => {
        const name = `C${index + 1}`;
        consumed.set(name, 0);
        return machine.thread({
          name,
          *target(): ThreadProgram {
            for (;;) {
              const item = yield* q.get();
              if (item === SENTINEL) {
                yield* q.put(SENTINEL); // tell the other consumers
                return;
              }
              consumed.set(name, consumed.get(name)! + 1);
              yield cpu(PRINT_CPU_US);
              yield sleep(CONSUME_US);
              q.taskDone();
            }
          },
        });
      });
      for (const thread of [producer, ...consumers]) yield thread.start();
      for (const thread of [producer, ...consumers]) yield thread.join();
    });
    if (result.deadlock !== null) throw new Error(`producer-consumer deadlocked: ${JSON.stringify(result.deadlock.waits)}`);
    const rows: ScenarioRow[] = [
      {key: 'max-queue-length', label: `most items in the queue at once (maxsize ${MAXSIZE})`, value: q.peakSize, unit: 'items', seed: null},
      {key: 'producer-blocked', label: 'time the producer spent blocked in put() on a full queue', value: seconds(producerBlockedUs), unit: 's', seed: null},
    ];
    for (const [name, count] of consumed) rows.push({key: `consumed-${name.toLowerCase()}`, label: `items consumed by ${name}`, value: count, unit: 'items', seed: null});
    rows.push({key: 'wall', label: `wall time for ${n} items`, value: seconds(result.metrics.wallTimeUs), unit: 's', seed: null});
    const asyncio = asyncioVersion(n, workers, seed);
    rows.push(...asyncio.rows);
    const timelines = [
      machineTimeline(result, `threads: a producer and ${workers} consumer(s), queue.Queue(maxsize=${MAXSIZE})`),
      loopTimeline(asyncio.outcome, `asyncio: a producer task and ${workers} consumer task(s), asyncio.Queue(maxsize=${MAXSIZE})`),
    ];
    return {rows, timelines};
  },
};

/** The asyncio version: asyncio.Queue(maxsize=10), a producer task and `workers` consumer tasks. */
function asyncioVersion(n: number, workers: number, seed: number): {rows: ScenarioRow[]; outcome: AsyncioRun<void>} {
  let producerBlockedUs = 0;
  let peak = 0;
  const consumed = new Map<string, number>();
  const outcome = run(function* main(): Coro<void> {
    const q = new AsyncQueue<number | null>(MAXSIZE, 'q');
    function* timedPut(item: number | null): Coro<void> {
      const before = getRunningLoop().time();
      yield* q.put(item);
      producerBlockedUs += getRunningLoop().time() - before;
      peak = Math.max(peak, q.qsize());
    }
    function* producer(): Coro<void> {
      for (let index = 0; index < n; index += 1) {
        yield loopCpu(SMALL_STATEMENT_CPU_US); // random.randint(1, 100)
        yield* timedPut(index);
        yield loopCpu(PRINT_CPU_US);
        yield* loopSleep(PRODUCE_EVERY_US);
      }
      yield* timedPut(SENTINEL);
    }
    function* consumer(name: string): Coro<void> {
      for (;;) {
        const item = yield* q.get();
        if (item === SENTINEL) {
          yield* q.put(SENTINEL); // tell the other consumers
          return;
        }
        consumed.set(name, consumed.get(name)! + 1);
        yield loopCpu(PRINT_CPU_US);
        yield* loopSleep(CONSUME_US);
        q.taskDone();
      }
    }
    const tasks = [createTask(producer(), 'producer')];
    for (let index = 0; index < workers; index += 1) {
      const name = `C${index + 1}`;
      consumed.set(name, 0);
      tasks.push(createTask(consumer(name), name));
    }
    for (const task of tasks) yield* task;
  }, {seed});
  const rows: ScenarioRow[] = [
    {key: 'asyncio-max-queue-length', label: `asyncio: most items in the queue at once (maxsize ${MAXSIZE})`, value: peak, unit: 'items', seed: null},
    {key: 'asyncio-producer-blocked', label: 'asyncio: time the producer spent suspended in put() on a full queue', value: seconds(producerBlockedUs), unit: 's', seed: null},
  ];
  for (const [name, count] of consumed) rows.push({key: `asyncio-consumed-${name.toLowerCase()}`, label: `asyncio: items consumed by ${name}`, value: count, unit: 'items', seed: null});
  rows.push({key: 'asyncio-wall', label: `asyncio: wall time for ${n} items`, value: seconds(outcome.wallTimeUs), unit: 's', seed: null});
  return {rows, outcome};
}
