/**
 * Seeds 000 and 004: n downloads of a given delay, one after another vs one thread each vs one
 * asyncio task each. The seed's figures (5 × 1 s: serial ~5.20 s, threads ~1.10 s, asyncio
 * ~1.05 s) are shown when the knobs match them.
 */
import {gather, httpGet, run} from '../asyncio';
import {HTTP_REQUEST_CPU_US} from '../constants';
import {Machine} from '../machine';
import {cpu, io, type ThreadProgram} from '../threads';
import {loopTimeline, machineTimeline} from '../timeline';
import {microsecondsFromSeconds, seconds, type Scenario} from './types';

function* download(delayUs: number): ThreadProgram {
  yield cpu(HTTP_REQUEST_CPU_US / 2);
  yield io(delayUs);
  yield cpu(HTTP_REQUEST_CPU_US / 2);
}

export const ioFetch: Scenario = {
  id: 'io-fetch',
  description: 'wall time for n downloads of a given delay: serial vs threads vs asyncio',
  defaults: {cores: 4, n: 5, delay: 1, workers: 5, seed: 1},
  run({cores, n, delay, workers, seed}) {
    const delayUs = microsecondsFromSeconds(delay);
    const seedSetup = n === 5 && delay === 1 && workers >= 5;
    const serial = new Machine({cores, seed}).run(function* main() {
      for (let index = 0; index < n; index += 1) yield* download(delayUs);
    });
    const machine = new Machine({cores, seed});
    const threaded = machine.run(function* main() {
      const threadCount = Math.min(workers, n);
      const threads = Array.from({length: threadCount}, (_, worker) =>
        machine.thread({
          name: `fetch-${worker + 1}`,
          *target() {
            for (let index = worker; index < n; index += threadCount) yield* download(delayUs);
          },
        }),
      );
      for (const thread of threads) yield thread.start();
      for (const thread of threads) yield thread.join();
    });
    // One event loop thread, n downloads under asyncio.gather (seed 004: aiohttp, ~1.05 s).
    const gathered = run(() => gather(Array.from({length: n}, () => httpGet({latencyUs: delayUs})))[Symbol.iterator](), {cores, seed});
    const rows = [
      {key: 'serial', label: `serial: ${n} downloads one after another`, value: seconds(serial.metrics.wallTimeUs), unit: 's', seed: seedSetup ? 5.2 : null},
      {key: 'threads', label: `threads: ${Math.min(workers, n)} thread(s)`, value: seconds(threaded.metrics.wallTimeUs), unit: 's', seed: seedSetup ? 1.1 : null},
      {key: 'asyncio', label: `asyncio: ${n} tasks on one event loop`, value: seconds(gathered.wallTimeUs), unit: 's', seed: n === 5 && delay === 1 ? 1.05 : null},
    ];
    const timelines = [machineTimeline(serial, 'serial'), machineTimeline(threaded, `${Math.min(workers, n)} thread(s)`), loopTimeline(gathered, 'asyncio')];
    return {rows, timelines};
  },
};
