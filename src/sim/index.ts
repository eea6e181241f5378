/** The simulator's public API: build a Machine, run a Python-like program, read the trace and metrics. */
export {Environment, Random, SimEvent, type ProcessGenerator, type Scheduled, type TraceRecord, type TraceValue} from './kernel';
export * as constants from './constants';
export {PythonError, RuntimeError} from './errors';
export {Gil} from './gil';
export {Lock, RLock, waitForCycle, type WaitForEdge} from './locks';
export {Machine, type DeadlockReport, type InterpreterMode, type MachineOptions, type RunMetrics, type RunResult, type ThreadReport} from './machine';
export {PyThread, cpu, io, nativeCpu, sleep, withLock, type BlockReason, type Step, type ThreadProgram, type ThreadState, type ThreadTarget} from './threads';
export {scenarios, findScenario, runScenario, type Scenario, type ScenarioParams, type ScenarioResult, type ScenarioRow} from './scenarios';
