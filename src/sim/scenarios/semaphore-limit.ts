/**
 * Seed 004: `async with asyncio.Semaphore(10)` around each of 100 requests: at most 10 in flight,
 * so the wall time is about ceil(n / limit) × delay; without it all n are in flight at once.
 */
import {gather, httpGet, run, Semaphore, type Coro} from '../asyncio';
import {microsecondsFromSeconds, seconds, type Scenario, type ScenarioRow} from './types';

function simulate(n: number, limit: number | null, latencyUs: number, seed: number): {wallUs: number; peak: number} {
  let inFlight = 0;
  let peak = 0;
  const outcome = run(function* main(): Coro<void> {
    const semaphore = limit === null ? null : new Semaphore(limit);
    function* fetchLimited(): Coro<void> {
      if (semaphore !== null) yield* semaphore.acquire();
      try {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        yield* httpGet({latencyUs});
        inFlight -= 1;
      } finally {
        semaphore?.release();
      }
    }
    yield* gather(Array.from({length: n}, () => fetchLimited()));
  }, {seed});
  return {wallUs: outcome.wallTimeUs, peak};
}

export const semaphoreLimit: Scenario = {
  id: 'semaphore-limit',
  description: 'asyncio.Semaphore(workers) over n requests: wall time and the most requests in flight',
  defaults: {n: 100, workers: 10, delay: 1, seed: 1},
  run({n, workers, delay, seed}) {
    const latencyUs = microsecondsFromSeconds(delay);
    const limited = simulate(n, workers, latencyUs, seed);
    const unlimited = simulate(n, null, latencyUs, seed);
    const seedSetup = n === 100 && workers === 10;
    const rows: ScenarioRow[] = [
      {key: 'limited-wall', label: `Semaphore(${workers}), ${n} requests of ${delay} s`, value: seconds(limited.wallUs), unit: 's', seed: null},
      {key: 'limited-max-in-flight', label: `Semaphore(${workers}): most requests in flight at once`, value: limited.peak, unit: 'requests', seed: seedSetup ? 10 : null},
      {key: 'unlimited-wall', label: `no semaphore, ${n} requests`, value: seconds(unlimited.wallUs), unit: 's', seed: null},
      {key: 'unlimited-max-in-flight', label: 'no semaphore: most requests in flight at once', value: unlimited.peak, unit: 'requests', seed: null},
    ];
    return rows;
  },
};
