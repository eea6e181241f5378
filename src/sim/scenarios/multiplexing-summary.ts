/**
 * Seed 000's summary table of select / poll / epoll, with the complexity column measured from the
 * model: the exponent k in cost ∝ size^k between two sizes, once in watched fds and once in ready
 * fds. The seed calls epoll "O(1)": per wait it is O(ready), independent of how many fds are
 * watched. It also says asyncio picks "libuv or the built-in selector": asyncio never uses libuv
 * (uvloop does); on Linux it uses selectors.DefaultSelector, i.e. epoll.
 */
import {FD_SETSIZE} from '../constants';
import {PythonError} from '../errors';
import type {SelectorKind} from '../selectors';
import {measureWait} from './multiplexing-scaling';
import {type Scenario, type ScenarioRow} from './types';

/** Where each mechanism exists (the select module docs' availability notes: poll Unix, epoll Linux >= 2.5.44). */
export const PLATFORM: Record<SelectorKind, string> = {select: 'POSIX and Windows', poll: 'POSIX (not Windows)', epoll: 'Linux only'};
/** What bounds how many fds one call can watch. */
export const LIMIT: Record<SelectorKind, string> = {select: `fd values below FD_SETSIZE (${FD_SETSIZE})`, poll: 'the process fd limit (RLIMIT_NOFILE)', epoll: 'the process fd limit (RLIMIT_NOFILE)'};

function cost(kind: SelectorKind, watched: number, ready: number): number {
  const measured = measureWait(kind, watched, ready);
  if (measured instanceof PythonError) throw measured;
  return measured.costUs;
}

const exponent = (small: number, large: number, ratio: number): number => Math.round((Math.log(large / small) / Math.log(ratio)) * 100) / 100;

export const multiplexingSummary: Scenario = {
  id: 'multiplexing-summary',
  description: 'per mechanism: platform, fd limit, complexity measured from model costs, asyncio default on Linux',
  defaults: {},
  run() {
    const rows: ScenarioRow[] = [];
    for (const kind of ['select', 'poll', 'epoll'] as const) {
      if (kind === 'select') rows.push({key: 'select-fd-limit', label: `select: highest fd value + 1 it accepts (FD_SETSIZE)`, value: FD_SETSIZE, unit: 'fd', seed: FD_SETSIZE});
      rows.push({key: `${kind}-k-watched`, label: `${kind}: cost ∝ watched^k (100 → 1000 fds, 10 ready)`, value: exponent(cost(kind, 100, 10), cost(kind, 1000, 10), 10), unit: 'k', seed: kind === 'epoll' ? 0 : 1});
      rows.push({key: `${kind}-k-ready`, label: `${kind}: cost ∝ ready^k (10 → 100 ready of 1000 fds)`, value: exponent(cost(kind, 1000, 10), cost(kind, 1000, 100), 10), unit: 'k', seed: kind === 'epoll' ? 0 : null});
      rows.push({key: `${kind}-asyncio-linux`, label: `${kind} (${PLATFORM[kind]}; fd limit: ${LIMIT[kind]}): asyncio's DefaultSelector on Linux`, value: kind === 'epoll' ? 1 : 0, unit: 'bool', seed: kind === 'epoll' ? 1 : null});
    }
    return rows;
  },
};
