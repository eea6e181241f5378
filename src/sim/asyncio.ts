/**
 * asyncio, as CPython's Lib/asyncio presents it: the event loop (asyncio/core.ts, mirroring
 * base_events.BaseEventLoop._run_once), Tasks and Futures, the module-level API
 * (asyncio/api.ts) and the synchronisation primitives and queue (asyncio/sync.ts).
 */
export {
  blockingCall,
  CancelledError,
  cpu,
  currentTask,
  EventLoop,
  ExceptionGroup,
  Future,
  getRunningLoop,
  Handle,
  InvalidStateError,
  Task,
  TimeoutError,
  TimerHandle,
  type Awaitable,
  type Continuation,
  type Coro,
  type CoroOp,
  type LoopIteration,
  type LoopOptions,
  type SlowCallback,
  type TaskState,
} from './asyncio/core';
export {asCompleted, createTask, ensureFuture, gather, run, sleep, taskGroup, TaskGroup, timeout, toThread, wait, waitFor, type AsyncioRun, type GatherOptions, type ReturnWhen} from './asyncio/api';
export {BoundedSemaphore, Event, Lock, Queue, QueueEmpty, QueueFull, Semaphore} from './asyncio/sync';
export {httpGet, type HttpGetOptions} from './asyncio/http';
