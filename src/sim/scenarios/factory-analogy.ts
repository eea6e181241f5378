/**
 * Seed 001's analogy as a run: the workshop is a process, its workers are threads sharing the
 * workshop's rooms (memory). The toilet holds one person and has one key: a mutex (Lock). The
 * kitchen holds n people and has n keys on a rack: a Semaphore(n). Each worker does a few rounds
 * of work, and after each round sometimes needs the toilet and sometimes the kitchen; the run
 * shows who waited at which door and that neither room ever holds more than its keys allow.
 * The workers' plans (which room, how long) are drawn from the seeded PRNG, so a seed gives one
 * working day, the same every time.
 */
import {Random} from '../kernel';
import {Machine} from '../machine';
import {Semaphore, withSemaphore} from '../sync';
import {sleep, withLock, type ThreadProgram} from '../threads';
import {machineTimeline} from '../timeline';
import {milliseconds, seconds, type Scenario} from './types';

const ROUNDS = 5;
/** Chances, after a round of work, of going to the toilet, else of going to the kitchen. */
const TOILET_CHANCE = 0.3;
const KITCHEN_CHANCE = 0.5;

/** A duration in microseconds drawn uniformly from [lowMs, highMs]. */
const between = (random: Random, lowMs: number, highMs: number): number => (lowMs + random.intBelow(highMs - lowMs + 1)) * 1000;

type Visit = {workUs: number; room: 'toilet' | 'kitchen' | null; stayUs: number};

function planDay(random: Random): Visit[] {
  return Array.from({length: ROUNDS}, () => {
    const workUs = between(random, 50, 150);
    const roll = random.nextFloat();
    if (roll < TOILET_CHANCE) return {workUs, room: 'toilet', stayUs: between(random, 30, 60)};
    if (random.nextFloat() < KITCHEN_CHANCE) return {workUs, room: 'kitchen', stayUs: between(random, 100, 200)};
    return {workUs, room: null, stayUs: 0};
  });
}

export const factoryAnalogy: Scenario = {
  id: 'factory-analogy',
  description: 'workers (threads) sharing a one-key toilet (Lock) and an n-key kitchen (Semaphore(n)): who waits at which door',
  defaults: {cores: 4, workers: 8, n: 3, seed: 1},
  run({cores, workers, n, seed}) {
    const random = new Random(seed);
    const plans = Array.from({length: workers}, () => planDay(random));
    const machine = new Machine({cores, seed});
    const toilet = machine.lock('toilet');
    const kitchen = new Semaphore(machine, n, 'kitchen');
    const inside = {toilet: 0, kitchen: 0};
    const most = {toilet: 0, kitchen: 0};
    const waited = {toilet: 0, kitchen: 0};
    const waitedBy = new Map<string, number>();

    function* visit(worker: string, room: 'toilet' | 'kitchen', stayUs: number): ThreadProgram {
      const arrived = machine.now;
      const stay = function* (): ThreadProgram {
        const waitUs = machine.now - arrived;
        waited[room] += waitUs;
        waitedBy.set(worker, (waitedBy.get(worker) ?? 0) + waitUs);
        inside[room] += 1;
        most[room] = Math.max(most[room], inside[room]);
        yield sleep(stayUs);
        inside[room] -= 1;
      };
      if (room === 'toilet') yield* withLock(toilet, stay);
      else yield* withSemaphore(kitchen, stay);
    }

    const result = machine.run(function* main() {
      const threads = plans.map((plan, index) => {
        const name = `worker-${index + 1}`;
        waitedBy.set(name, 0);
        return machine.thread({
          name,
          *target(): ThreadProgram {
            for (const {workUs, room, stayUs} of plan) {
              yield sleep(workUs);
              if (room !== null) yield* visit(name, room, stayUs);
            }
          },
        });
      });
      for (const thread of threads) yield thread.start();
      for (const thread of threads) yield thread.join();
    });
    if (result.deadlock !== null) throw new Error(`factory-analogy deadlocked: ${JSON.stringify(result.deadlock.waits)}`);
    // The first worker with the longest total wait (Map keeps creation order, so ties are stable).
    const [longestName, longestUs] = [...waitedBy].reduce((best, entry) => (entry[1] > best[1] ? entry : best));
    const rows = [
      {key: 'toilet-max', label: 'most people in the toilet at once (one key: a Lock)', value: most.toilet, unit: 'people', seed: 1},
      {key: 'kitchen-max', label: `most people in the kitchen at once (${n} keys: Semaphore(${n}))`, value: most.kitchen, unit: 'people', seed: n},
      {key: 'toilet-wait', label: 'total time waited at the toilet door', value: milliseconds(waited.toilet), unit: 'ms', seed: null},
      {key: 'kitchen-wait', label: 'total time waited at the kitchen door', value: milliseconds(waited.kitchen), unit: 'ms', seed: null},
      {key: 'longest-wait', label: `longest total wait: ${longestName}`, value: milliseconds(longestUs), unit: 'ms', seed: null},
      {key: 'wall', label: `working day of ${workers} workers, ${ROUNDS} rounds each`, value: seconds(result.metrics.wallTimeUs), unit: 's', seed: null},
    ];
    return {rows, timelines: [machineTimeline(result, `a working day: ${workers} workers, a one-key toilet (Lock), a ${n}-key kitchen (Semaphore(${n}))`)]};
  },
};
