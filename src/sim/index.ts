/** The simulator's public API: build a Machine, run a Python-like program, read the trace and metrics. */
export {Environment, Random, SimEvent, type ProcessGenerator, type Scheduled, type TraceRecord, type TraceValue} from './kernel';
export * as constants from './constants';
export {PythonError, RuntimeError} from './errors';
export {Gil} from './gil';
export {AcquireStep, Lock, RLock, waitForCycle, type AcquireOptions, type WaitForEdge} from './locks';
export {Machine, type DeadlockReport, type InterpreterMode, type MachineOptions, type RunMetrics, type RunResult, type ThreadReport} from './machine';
export {PyThread, cpu, io, nativeCpu, sleep, withLock, type BlockReason, type Step, type ThreadProgram, type ThreadState, type ThreadTarget} from './threads';
export {scenarios, findScenario, runScenario, knobNames, knobProblem, knobSpecs, type KnobName, type KnobSpec, type Scenario, type ScenarioOutput, type ScenarioParams, type ScenarioResult, type ScenarioRow} from './scenarios';
export {loopTimeline, machineTimeline, type LaneKind, type Timeline, type TimelineLane, type TimelineMark, type TimelineSpan} from './timeline';
export * as asyncio from './asyncio';
export {BaseSelector, BlockingIOError, DefaultSelector, EpollSelector, EVENT_READ, EVENT_WRITE, IoSystem, PollSelector, SelectSelector, Socket, makeSelector, type Peer, type SelectorKey, type SelectorKind, type SelectResult} from './selectors';
// One select / poll / epoll call over `watched` sockets, `ready` of them readable: its CPU cost and bytes copied, or the error it raises.
export {measureWait as measureSelectorWait, type WaitMeasurement as SelectorWaitMeasurement} from './scenarios/multiplexing-scaling';
export {OsProcess, SubInterpreter, Waiter, type ProcessReport, type SpawnOptions} from './machine';
export {Payload, Process, defaultStartMethod, pickleCostUs, pickledSize, picklingError, pyfunc, startCost, START_METHODS, PYTHON_VERSIONS, type ProcessOptions, type PyFunction, type PythonVersion, type StartCost, type StartMethod} from './processes';
export {AsyncResult, Channel, Future, InterpreterPoolExecutor, Pool, ProcessPoolExecutor, ThreadPoolExecutor, asCompleted, defaultChunksize, pipeCostUs, wait, type Blocking, type DoneAndNotDone, type FutureState, type MapOptions, type MapResults, type ReturnWhen} from './pools';
export {describeWaits, type BlockedWait} from './locks';
export {type ScheduleChooser, type SchedulePoint} from './machine';
export {Barrier, BoundedSemaphore, BrokenBarrierError, Condition, Event, Queue, QueueEmpty, QueueFull, Semaphore, ValueError, withSemaphore, type Timeout} from './sync';
export {describeSwitches, explore, type Choice, type Counterexample, type ExploredProgram, type ExploreOptions, type ExploreResult, type Program as ExploreProgram} from './explore';
export * as multiprocessing from './ipc';
