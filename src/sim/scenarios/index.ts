/** The scenario registry: ids are the contract for `npm run sim -- run <id>` and `[data-sim="<id>"]`. */
import {gilConvoy} from './gil-convoy';
import {gilCpuThreads} from './gil-cpu-threads';
import {ioFetch} from './io-fetch';
import {lockCounter} from './lock-counter';
import {lockRace} from './lock-race';
import {threadLifecycle} from './thread-lifecycle';
import {cpuBound} from './cpu-bound';
import {ipcCosts} from './ipc-costs';
import {poolMapOrder} from './pool-map-order';
import {poolSubmitDone} from './pool-submit-done';
import {poolWait} from './pool-wait';
import {processStartup} from './process-startup';
import {aggregateEndpoint} from './aggregate-endpoint';
import {asyncioGather} from './asyncio-gather';
import {asyncioTasks} from './asyncio-tasks';
import {eventLoopAnatomy} from './event-loop-anatomy';
import {multiplexingScaling} from './multiplexing-scaling';
import {multiplexingSummary} from './multiplexing-summary';
import {semaphoreLimit} from './semaphore-limit';
import {tenThousandTasks} from './ten-thousand-tasks';
import {producerConsumer} from './producer-consumer';
import {factoryAnalogy} from './factory-analogy';
import {requestTimeline} from './request-timeline';
import {preforkServer} from './prefork-server';
import {pitfalls} from './pitfalls';
import {gilImpact} from './gil-impact';
import {parallelVsConcurrent} from './parallel-vs-concurrent';
import {modelsCompare} from './models-compare';
import {freeThreading} from './free-threading';
import {fitTimelines} from '../timeline';
import {resolveParams, type Scenario, type ScenarioParams, type ScenarioResult} from './types';

export {knobNames, knobProblem, knobSpecs, type KnobName, type KnobSpec, type Scenario, type ScenarioOutput, type ScenarioParams, type ScenarioResult, type ScenarioRow} from './types';

export const scenarios: readonly Scenario[] = [threadLifecycle, gilCpuThreads, gilConvoy, ioFetch, lockRace, lockCounter, cpuBound, processStartup, poolSubmitDone, poolMapOrder, poolWait, ipcCosts, eventLoopAnatomy, asyncioGather, asyncioTasks, aggregateEndpoint, semaphoreLimit, multiplexingScaling, multiplexingSummary, tenThousandTasks, producerConsumer, factoryAnalogy, requestTimeline, preforkServer, pitfalls, gilImpact, parallelVsConcurrent, modelsCompare, freeThreading];

export function findScenario(id: string): Scenario | undefined {
  return scenarios.find((scenario) => scenario.id === id);
}

/** Run a scenario by id with the given knobs; throws a RangeError naming a bad id or knob. */
export function runScenario(id: string, given: ScenarioParams = {}): ScenarioResult {
  const scenario = findScenario(id);
  if (scenario === undefined) {
    throw new RangeError(`unknown scenario "${id}"; valid ids: ${scenarios.map((s) => s.id).join(', ')}`);
  }
  const params = resolveParams(scenario, given);
  const output = scenario.run(params);
  // Whatever the knobs, a page is sent a bounded number of spans (the rest of a long run is cut).
  return Array.isArray(output) ? {scenario: id, params, rows: output, timelines: []} : {scenario: id, params, rows: output.rows, timelines: fitTimelines(output.timelines)};
}
