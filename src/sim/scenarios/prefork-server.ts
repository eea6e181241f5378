/**
 * Seeds 002 and 004: a pre-fork server, as `uvicorn main:app --workers 4` runs it. Seed 002 has a
 * master forward each request to one of m workers, each getting 1k/m. Uvicorn (and gunicorn's
 * UvicornWorker) instead binds the listening socket in the parent and each worker process accepts
 * on the inherited socket in its own asyncio loop (Lib/asyncio/selector_events._accept_connection):
 * every idle worker waits in epoll on the same fd, and whichever the kernel runs first wins the
 * accept. So the split is even only on average; this run draws each accept's winner with the seeded
 * Random. Each worker is then an asyncio.run over the requests it accepted: a little CPU, a wait
 * (a downstream call), a little CPU. Workers on separate cores run in parallel; with more workers
 * than cores they share the cores, so their CPU phases stretch by workers / cores.
 */
import {createTask, cpu, gather, run, sleep, type Coro} from '../asyncio';
import {PREFORK_REQUEST_CPU_US} from '../constants';
import {Random} from '../kernel';
import {combineTimelines, loopTimeline, type Timeline} from '../timeline';
import {microsecondsFromSeconds, type Scenario, type ScenarioRow} from './types';

interface ServerRun {
  wallUs: number;
  handled: number[];
  /** Every worker's event loop, side by side. */
  timeline: Timeline;
}

function serve(n: number, workers: number, cores: number, waitUs: number, seed: number, title: string): ServerRun {
  const random = new Random(seed);
  const handled = new Array<number>(workers).fill(0);
  for (let request = 0; request < n; request += 1) handled[random.intBelow(workers)] += 1;
  const cpuUs = Math.round(PREFORK_REQUEST_CPU_US * Math.max(1, workers / cores));
  const halfCpuUs = Math.round(cpuUs / 2);
  let wallUs = 0;
  const loops: {name: string; timeline: Timeline}[] = [];
  handled.forEach((count, worker) => {
    function* endpoint(): Coro<void> {
      yield cpu(halfCpuUs, 'parse and validate');
      yield* sleep(waitUs);
      yield cpu(halfCpuUs, 'serialise the response');
    }
    const outcome = run(function* main(): Coro<void> {
      yield* gather(Array.from({length: count}, (_, i) => createTask(endpoint(), `worker-${worker + 1}-request-${i + 1}`)));
    }, {seed: seed + worker, cores});
    wallUs = Math.max(wallUs, outcome.wallTimeUs);
    loops.push({name: `worker-${worker + 1}`, timeline: loopTimeline(outcome, `worker-${worker + 1}`)});
  });
  return {wallUs, handled, timeline: combineTimelines(title, loops)};
}

export const preforkServer: Scenario = {
  id: 'prefork-server',
  description: 'uvicorn --workers m: m worker processes, each an asyncio loop, accepting n requests from one listening socket',
  defaults: {cores: 4, n: 1000, workers: 4, delay: 0.1, seed: 1},
  run({cores, n, workers, delay, seed}) {
    const waitUs = microsecondsFromSeconds(delay);
    const server = serve(n, workers, cores, waitUs, seed, `${workers} worker process(es), each an event loop`);
    const single = serve(n, 1, cores, waitUs, seed, '1 worker process');
    const perSecond = (r: ServerRun): number => Math.round((n * 1_000_000) / r.wallUs);
    const evenShare = n % workers === 0 ? n / workers : null;
    const seedSetup = n === 1000 && workers === 4;
    const rows: ScenarioRow[] = [
      {key: 'throughput', label: `${workers} workers: requests per second for ${n} requests`, value: perSecond(server), unit: 'requests/s', seed: null},
      {key: 'throughput-1-worker', label: '1 worker: requests per second', value: perSecond(single), unit: 'requests/s', seed: null},
      {key: 'most-per-worker', label: 'most requests any worker handled', value: Math.max(...server.handled), unit: 'requests', seed: seedSetup ? evenShare : null},
      {key: 'least-per-worker', label: 'fewest requests any worker handled', value: Math.min(...server.handled), unit: 'requests', seed: seedSetup ? evenShare : null},
    ];
    return {rows, timelines: [server.timeline, single.timeline]};
  },
};
