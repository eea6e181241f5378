/**
 * The multiplexing scenarios as data to chart: the cost of one wait call against the number of
 * watched fds, for select, poll and epoll (multiplexing-scaling), and the per-mechanism summary
 * table (multiplexing-summary). Every cost is a measureWait of the selector model (selectors.ts);
 * select's series stops where CPython's select.select raises ValueError, found by running it.
 */
import {FD_SETSIZE} from './constants';
import {PythonError} from './errors';
import {measureWait, multiplexingScaling} from './scenarios/multiplexing-scaling';
import {LIMIT, PLATFORM} from './scenarios/multiplexing-summary';
import {runScenario} from './scenarios';
import {resolveParams, type ScenarioParams} from './scenarios/types';
import type {SelectorKind} from './selectors';

/** Watched-fd counts spaced evenly on a log axis, 1 to 10,000. */
export const WATCHED_COUNTS: readonly number[] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000];
export const SELECTOR_KINDS: readonly SelectorKind[] = ['select', 'poll', 'epoll'];

export interface WaitPoint {
  watched: number;
  /** min(ready per call, watched): a call cannot find more fds ready than it watches. */
  ready: number;
  costUs: number;
  copiedBytes: number;
}

/** The error a call raised instead of returning, and the fewest watched fds that raise it. */
export interface WaitFailure {
  watched: number;
  pythonType: string;
  message: string;
}

export interface WaitSeries {
  kind: SelectorKind;
  points: WaitPoint[];
  /** Where the series stops: select past FD_SETSIZE; null when every count works. */
  failure: WaitFailure | null;
}

export interface WaitCostCurves {
  /** Fds ready per call (the scenario's `n`). */
  ready: number;
  fdSetSize: number;
  series: WaitSeries[];
}

type Measured = ReturnType<typeof measureWait>;

const point = (watched: number, ready: number, measured: Exclude<Measured, PythonError>): WaitPoint => ({watched, ready, costUs: measured.costUs, copiedBytes: measured.copiedBytes});

/** Boundaries already found, by kind and bracket: the search runs the model a dozen times, and a knob change should not repeat it. */
const boundaries = new Map<string, number>();

/**
 * The fewest watched fds in (works, fails] at which the call raises: the fd values are contiguous,
 * so it fails from one count on. Whether a call raises depends on the fd values it watches, not on
 * how many are ready (select's FD_SETSIZE check), so the answer is kept per kind and bracket.
 */
function firstFailing(kind: SelectorKind, works: number, fails: number, ready: number): number {
  const key = `${kind} ${works} ${fails}`;
  const known = boundaries.get(key);
  if (known !== undefined) return known;
  let low = works;
  let high = fails;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (measureWait(kind, middle, Math.min(ready, middle)) instanceof PythonError) high = middle;
    else low = middle;
  }
  boundaries.set(key, high);
  return high;
}

function series(kind: SelectorKind, ready: number): WaitSeries {
  const points: WaitPoint[] = [];
  for (const watched of WATCHED_COUNTS) {
    const measured = measureWait(kind, watched, Math.min(ready, watched));
    if (!(measured instanceof PythonError)) {
      points.push(point(watched, Math.min(ready, watched), measured));
      continue;
    }
    const works = points.at(-1)?.watched ?? 0;
    const failsFrom = firstFailing(kind, works, watched, ready);
    // The last count that still works, so the line reaches the limit itself.
    const last = failsFrom - 1;
    if (last > works) {
      const lastMeasured = measureWait(kind, last, Math.min(ready, last));
      if (lastMeasured instanceof PythonError) throw new Error(`${kind} failed at ${last} fds after the search found it works`);
      points.push(point(last, Math.min(ready, last), lastMeasured));
    }
    const raised = measureWait(kind, failsFrom, Math.min(ready, failsFrom)) as PythonError;
    return {kind, points, failure: {watched: failsFrom, pythonType: raised.pythonType, message: raised.message}};
  }
  return {kind, points, failure: null};
}

/** multiplexing-scaling as curves: cost per wait call against watched fds, `n` of them ready; knobs checked as the CLI checks them. */
export function waitCostCurves(given: ScenarioParams): WaitCostCurves {
  const {n} = resolveParams(multiplexingScaling, given);
  return {ready: n, fdSetSize: FD_SETSIZE, series: SELECTOR_KINDS.map((kind) => series(kind, n))};
}

export interface MechanismSummary {
  kind: SelectorKind;
  platform: string;
  fdLimit: string;
  /** k in cost ∝ watched^k, measured from the model, and what the seed claims (1 for O(n), 0 for "O(1)"). */
  kWatched: number;
  seedKWatched: number | null;
  /** k in cost ∝ ready^k, and the seed's claim where it makes one. */
  kReady: number;
  seedKReady: number | null;
  asyncioDefaultOnLinux: boolean;
}

/** multiplexing-summary's rows, one record per mechanism. */
export function mechanismSummaries(): MechanismSummary[] {
  const {rows} = runScenario('multiplexing-summary');
  const row = (key: string) => {
    const found = rows.find((candidate) => candidate.key === key);
    if (found === undefined) throw new Error(`multiplexing-summary has no row "${key}"`);
    return found;
  };
  return SELECTOR_KINDS.map((kind) => ({
    kind,
    platform: PLATFORM[kind],
    fdLimit: LIMIT[kind],
    kWatched: row(`${kind}-k-watched`).value,
    seedKWatched: row(`${kind}-k-watched`).seed,
    kReady: row(`${kind}-k-ready`).value,
    seedKReady: row(`${kind}-k-ready`).seed,
    asyncioDefaultOnLinux: row(`${kind}-asyncio-linux`).value === 1,
  }));
}
