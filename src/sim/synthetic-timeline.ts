/**
 * A timeline of any size, shaped like a CPU-bound threaded run (threads taking turns at the GIL),
 * for measuring how fast a timeline draws and lays out. Not a model of anything: the simulator's
 * own runs stay small at their seed parameters, and a widget must stay smooth far beyond them.
 */
import {Random} from './kernel';
import type {Timeline, TimelineLane, TimelineSpan} from './timeline';

export const SYNTHETIC_MAX_SPANS = 1_000_000;
export const SYNTHETIC_MAX_THREADS = 64;

const THREAD_STATES = [
  {state: 'running', detail: 'running'},
  {state: 'ready', detail: 'ready (gil signalled)'},
  {state: 'blocked', detail: 'blocked (gil)'},
] as const;

/**
 * `spanCount` spans spread evenly over `threadCount` thread lanes and one GIL lane: each thread
 * cycles through running, ready and blocked for a random 1–200 µs each; the GIL lane is held for
 * random stretches with short gaps where nobody holds it. Same arguments, same timeline.
 */
export function syntheticTimeline(spanCount: number, threadCount = 7, seed = 1): Timeline {
  if (!Number.isInteger(spanCount) || spanCount < 0 || spanCount > SYNTHETIC_MAX_SPANS) {
    throw new RangeError(`spanCount must be an integer from 0 to ${SYNTHETIC_MAX_SPANS}, got ${String(spanCount)}`);
  }
  if (!Number.isInteger(threadCount) || threadCount < 1 || threadCount > SYNTHETIC_MAX_THREADS) {
    throw new RangeError(`threadCount must be an integer from 1 to ${SYNTHETIC_MAX_THREADS}, got ${String(threadCount)}`);
  }
  const random = new Random(seed);
  const lanes: TimelineLane[] = [];
  for (let thread = 1; thread <= threadCount; thread += 1) lanes.push({id: `thread:Thread-${thread}`, label: `Thread-${thread}`, kind: 'thread'});
  lanes.push({id: 'gil:MainProcess', label: 'GIL', kind: 'gil'});

  const spans: TimelineSpan[] = [];
  let endUs = 0;
  lanes.forEach((lane, laneIndex) => {
    // The first `spanCount % lanes` lanes take one span more, so the total is exact.
    const count = Math.floor(spanCount / lanes.length) + (laneIndex < spanCount % lanes.length ? 1 : 0);
    let atUs = 0;
    for (let index = 0; index < count; index += 1) {
      const durationUs = 1 + random.intBelow(200);
      if (lane.kind === 'gil') {
        const holder = 1 + random.intBelow(threadCount);
        spans.push({lane: lane.id, startUs: atUs, endUs: atUs + durationUs, state: 'held', detail: `Thread-${holder} holds the GIL`});
        atUs += durationUs + random.intBelow(20);
      } else {
        const {state, detail} = THREAD_STATES[(index + laneIndex) % THREAD_STATES.length];
        spans.push({lane: lane.id, startUs: atUs, endUs: atUs + durationUs, state, detail});
        atUs += durationUs;
      }
    }
    if (count > 0) endUs = Math.max(endUs, spans[spans.length - 1].endUs);
  });
  return {title: `${spanCount.toLocaleString('en-US')} synthetic spans, ${threadCount} threads`, endUs, lanes, spans, marks: []};
}
