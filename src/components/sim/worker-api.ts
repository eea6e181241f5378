/**
 * What the page may ask the simulation Worker to do: each entry is a call into the simulator's
 * public API, run in the Worker so that a long simulation never stalls the page. A widget's
 * sim-side work lives in `src/sim`; this table only names it.
 */
import {knobSpecs, runScenario, scenarios, type KnobName, type ScenarioParams} from '../../sim';
import {levels as challengeLevels, setExpanded, startLevel, step, type ChallengeState} from '../../sim/challenge';
import {loopSteps} from '../../sim/asyncio/stepper';
import {syntheticTimeline} from '../../sim/synthetic-timeline';
import {mechanismSummaries, waitCostCurves} from '../../sim/multiplexing';
import {threadLifecycleTransitions} from '../../sim/thread-states';

export interface ScenarioInfo {
  id: string;
  description: string;
  defaults: ScenarioParams;
  /** Where the scenario allows less than the knob's own maximum. */
  maxima: ScenarioParams;
  knobs: KnobName[];
}

export const simApi = {
  /** Timelines can run to megabytes: they cross to the page only when a widget will draw them. */
  runScenario: (id: string, params: ScenarioParams, withTimelines = false) => {
    const result = runScenario(id, params);
    return withTimelines ? result : {...result, timelines: []};
  },
  scenarioInfo: (id: string): ScenarioInfo => {
    const scenario = scenarios.find((candidate) => candidate.id === id);
    if (scenario === undefined) throw new RangeError(`unknown scenario "${id}"`);
    return {id, description: scenario.description, defaults: scenario.defaults, maxima: scenario.maxima ?? {}, knobs: (Object.keys(scenario.defaults) as KnobName[]).filter((name) => name in knobSpecs)};
  },
  challengeLevels: () => challengeLevels(),
  challengeStart: (id: string) => startLevel(id),
  challengeStep: (state: ChallengeState, thread: string) => step(state, thread),
  challengeExpand: (state: ChallengeState, expanded: boolean) => setExpanded(state, expanded),
  /** The event-loop stepper: a snapshot per phase of each _run_once iteration of a small program. */
  loopSteps: (program: string) => loopSteps(program),
  /** A timeline of `spanCount` spans over `threadCount` threads, for the Timeline's stress test (docs/lab/timelines.mdx). */
  syntheticTimeline: (spanCount: number, threadCount: number) => syntheticTimeline(spanCount, threadCount),
  /** ThreadStates: the thread-lifecycle scenario's state changes, every thread's. */
  threadLifecycleTransitions: (params: ScenarioParams) => threadLifecycleTransitions(params),
  /** MultiplexingChart: multiplexing-scaling as cost curves over watched fds. */
  waitCostCurves: (params: ScenarioParams) => waitCostCurves(params),
  /** MultiplexingSummary: multiplexing-summary, one record per mechanism. */
  mechanismSummaries: () => mechanismSummaries(),
};

export type SimApi = typeof simApi;
export type SimMethod = keyof SimApi;

export interface SimRequest {
  id: number;
  method: SimMethod;
  args: unknown[];
}

export type SimResponse = {id: number; ok: true; value: unknown} | {id: number; ok: false; error: string};

/** Runs one request; an error becomes its message, which the widget shows. */
export function answer(request: SimRequest): SimResponse {
  try {
    const method = simApi[request.method] as ((...args: unknown[]) => unknown) | undefined;
    if (method === undefined) throw new Error(`the simulator has no method "${String(request.method)}"`);
    return {id: request.id, ok: true, value: method(...request.args)};
  } catch (error) {
    return {id: request.id, ok: false, error: error instanceof Error ? error.message : String(error)};
  }
}
