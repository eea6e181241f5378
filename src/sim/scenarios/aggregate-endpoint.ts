/**
 * Seed 004: an /aggregate endpoint calling 3 downstream services of 1 s each. Awaited one after
 * another it takes the sum; under asyncio.gather, about the slowest one.
 */
import {gather, httpGet, run, type Coro} from '../asyncio';
import {loopTimeline} from '../timeline';
import {microsecondsFromSeconds, seconds, type Scenario} from './types';

export const aggregateEndpoint: Scenario = {
  id: 'aggregate-endpoint',
  description: 'one endpoint awaiting n downstream calls: one after another vs asyncio.gather',
  defaults: {n: 3, delay: 1, seed: 1},
  run({n, delay, seed}) {
    const latencyUs = microsecondsFromSeconds(delay);
    const serial = run(function* endpoint(): Coro<void> {
      for (let call = 0; call < n; call += 1) yield* httpGet({latencyUs});
    }, {seed});
    const gathered = run(() => gather(Array.from({length: n}, () => httpGet({latencyUs})))[Symbol.iterator](), {seed});
    const rows = [
      {key: 'serial', label: `${n} downstream calls awaited one after another`, value: seconds(serial.wallTimeUs), unit: 's', seed: null},
      {key: 'gathered', label: `${n} downstream calls under asyncio.gather`, value: seconds(gathered.wallTimeUs), unit: 's', seed: null},
    ];
    return {rows, timelines: [loopTimeline(serial, `${n} calls awaited one after another`), loopTimeline(gathered, `${n} calls under asyncio.gather`)]};
  },
};
