/**
 * A Machine run's thread state changes as an ordered list of transitions, the data a state
 * diagram animates: which thread, from which state to which, why, and, while it is blocked, what
 * it waits for (the GIL, I/O, a sleep, a lock or another thread: Machine's BlockReason). The
 * Machine records a thread's wake-up by who woke it ("io done", "downloader ended"), so the wait a
 * blocked thread leaves is carried over from the record that blocked it.
 */
import type {TraceRecord} from './kernel';
import type {RunResult} from './machine';
import {runThreadLifecycle, threadLifecycle} from './scenarios/thread-lifecycle';
import {resolveParams, type ScenarioParams} from './scenarios/types';
import type {BlockReason, ThreadState} from './threads';

export interface ThreadTransition {
  atUs: number;
  thread: string;
  from: ThreadState;
  to: ThreadState;
  /** Why, as the trace says it: the wait when blocking (`io`), the waker when woken (`io done`); null when the trace gives none. */
  reason: string | null;
  /** On a transition into or out of `blocked`: what the thread waits for; otherwise null. */
  wait: BlockReason | null;
  /** On a transition to `running`: the core it runs on; otherwise null. */
  core: number | null;
}

const THREAD_STATES: readonly ThreadState[] = ['new', 'ready', 'running', 'blocked', 'terminated'];
const BLOCK_REASONS: readonly BlockReason[] = ['gil', 'io', 'sleep', 'lock', 'join'];

function threadState(value: unknown, record: TraceRecord): ThreadState {
  if (THREAD_STATES.includes(value as ThreadState)) return value as ThreadState;
  throw new RangeError(`state record of ${record.actor} at ${record.time} us has no thread state: ${JSON.stringify(value)}`);
}

/** The `state` records of a trace, in trace order (time order, ties in the order they happened). */
export function threadTransitions(trace: readonly TraceRecord[]): ThreadTransition[] {
  const waits = new Map<string, BlockReason>();
  const transitions: ThreadTransition[] = [];
  for (const record of trace) {
    if (record.kind !== 'state') continue;
    const from = threadState(record.details.from, record);
    const to = threadState(record.details.to, record);
    const reason = typeof record.details.reason === 'string' ? record.details.reason : null;
    let wait: BlockReason | null = null;
    if (to === 'blocked') {
      if (!BLOCK_REASONS.includes(reason as BlockReason)) throw new RangeError(`${record.actor} blocked at ${record.time} us for no known reason: ${JSON.stringify(reason)}`);
      wait = reason as BlockReason;
      waits.set(record.actor, wait);
    } else if (from === 'blocked') {
      wait = waits.get(record.actor) ?? null;
      if (wait === null) throw new RangeError(`${record.actor} left blocked at ${record.time} us without having blocked`);
      waits.delete(record.actor);
    }
    const core = to === 'running' && typeof record.details.core === 'number' ? record.details.core : null;
    transitions.push({atUs: record.time, thread: record.actor, from, to, reason, wait, core});
  }
  return transitions;
}

export interface ThreadLifecycleTransitions {
  params: Required<Pick<ScenarioParams, 'cores' | 'delay' | 'seed'>>;
  /** The threads in order of their first transition. */
  threads: string[];
  transitions: ThreadTransition[];
  wallTimeUs: number;
}

/** Runs the thread-lifecycle scenario with the given knobs (checked as the CLI checks them) and returns its transitions. */
export function threadLifecycleTransitions(given: ScenarioParams): ThreadLifecycleTransitions {
  const params = resolveParams(threadLifecycle, given);
  const result: RunResult = runThreadLifecycle(params);
  const transitions = threadTransitions(result.trace);
  return {
    params: {cores: params.cores, delay: params.delay, seed: params.seed},
    threads: [...new Set(transitions.map((transition) => transition.thread))],
    transitions,
    wallTimeUs: result.metrics.wallTimeUs,
  };
}
