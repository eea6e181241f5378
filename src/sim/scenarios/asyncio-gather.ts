/**
 * Seed 003: asyncio.gather(fetch("url1", 1), fetch("url2", 2), fetch("url3", 0.5)) takes about
 * as long as the longest (2 s), completes in order of delay, and returns results in argument order.
 */
import {createTask, gather, getRunningLoop, run, sleep, type Coro} from '../asyncio';
import {loopTimeline, withMarks} from '../timeline';
import {microsecondsFromSeconds, seconds, type Scenario, type ScenarioRow} from './types';

const DELAYS_S = [1, 2, 0.5] as const;

export const asyncioGather: Scenario = {
  id: 'asyncio-gather',
  description: 'gather of 1 s, 2 s and 0.5 s sleeps: wall time, completion order, result order',
  defaults: {seed: 1},
  run({seed}) {
    const finishedAt: {url: string; atUs: number}[] = [];
    function* fetch(url: string, delayS: number): Coro<string> {
      yield* sleep(microsecondsFromSeconds(delayS));
      finishedAt.push({url, atUs: getRunningLoop().time()});
      return `data from ${url}`;
    }
    const outcome = run(() => gather(DELAYS_S.map((d, i) => createTask(fetch(`url${i + 1}`, d), `fetch-url${i + 1}`)))[Symbol.iterator](), {seed});
    const rows: ScenarioRow[] = [{key: 'wall', label: 'gather(1 s, 2 s, 0.5 s) wall time', value: seconds(outcome.wallTimeUs), unit: 's', seed: 2}];
    finishedAt.forEach(({url, atUs}, index) =>
      rows.push({key: `completed-${index + 1}`, label: `completion #${index + 1}: ${url}`, value: seconds(atUs), unit: 's', seed: null}),
    );
    (outcome.result ?? []).forEach((value, index) =>
      rows.push({key: `result-${index + 1}`, label: `results[${index}] = "${value}" (argument order)`, value: index + 1, unit: 'position', seed: null}),
    );
    const timeline = withMarks(
      loopTimeline(outcome, 'asyncio.gather(1 s, 2 s, 0.5 s)'),
      finishedAt.map(({url, atUs}, index) => ({lane: 'loop', atUs, label: `completion #${index + 1}: ${url}`})),
    );
    return {rows, timelines: [timeline]};
  },
};
