/**
 * Seed 004: `async with asyncio.Semaphore(10)` around each of 100 requests: at most 10 in flight,
 * so the wall time is about ceil(n / limit) × delay; without it all n are in flight at once.
 */
import {gather, httpGet, run, Semaphore, type AsyncioRun, type Coro} from '../asyncio';
import {loopTimeline} from '../timeline';
import {microsecondsFromSeconds, seconds, type Scenario, type ScenarioRow} from './types';

/** The loop lists its tasks' states while at most 100 are alive (asyncio/core.ts): n requests plus main. */
const MOST_REQUESTS_LISTED = 99;

function simulate(n: number, limit: number | null, latencyUs: number, seed: number): {wallUs: number; peak: number; outcome: AsyncioRun<void>} {
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
  return {wallUs: outcome.wallTimeUs, peak, outcome};
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
    // Above 99 requests the loop stops listing its tasks, so the timelines come from a smaller run
    // (whole waves of the limit) where every request gets its lane.
    const shown = n <= MOST_REQUESTS_LISTED ? n : workers <= MOST_REQUESTS_LISTED ? Math.floor(MOST_REQUESTS_LISTED / workers) * workers : MOST_REQUESTS_LISTED;
    const smaller = shown < n ? ` (a smaller run than the rows' ${n}, so each request gets a lane)` : '';
    const [limitedRun, unlimitedRun] = shown < n ? [simulate(shown, workers, latencyUs, seed), simulate(shown, null, latencyUs, seed)] : [limited, unlimited];
    const timelines = [
      loopTimeline(limitedRun.outcome, `Semaphore(${workers}), ${shown} requests${smaller}`),
      loopTimeline(unlimitedRun.outcome, `no semaphore, ${shown} requests${smaller}`),
    ];
    return {rows, timelines};
  },
};
