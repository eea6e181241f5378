/**
 * Messages between the three parties of an exercise run:
 *
 *   the page (Sandpack components)  ⇄  the runner frame (runner.ts)  ⇄  a Worker (worker.ts)
 *
 * with the Worker held by a sandboxed "jail" frame inside the runner frame (jail.ts).
 * The page ⇄ frame half is Sandpack's own bundler protocol (sandpack-client's
 * `clients/runtime/types.ts`), of which the runner speaks the part the course needs, plus one
 * message of ours, `exercise-outcome`, that ends every run. The frame ⇄ Worker half is ours.
 */

/** Where a problem is, in the learner's own file and line numbers (1-based). */
export interface SourceLocation {
  readonly path: string;
  readonly line: number;
  readonly column: number;
}

export interface RunProblem {
  readonly title: string;
  readonly message: string;
  readonly location?: SourceLocation;
}

export type Outcome = 'passed' | 'failed' | 'error' | 'timeout';

/** The runner frame's last word on a run: the exercise component's state comes from it. */
export interface ExerciseOutcomeMessage {
  readonly type: 'exercise-outcome';
  readonly outcome: Outcome;
  readonly passed: number;
  readonly failed: number;
  readonly durationMs: number;
  readonly problem?: RunProblem;
}

export interface TestResult {
  name: string;
  blocks: string[];
  path: string;
  status: 'running' | 'pass' | 'fail';
  errors: Array<{name: string; message: string; stack?: string}>;
  duration?: number;
}

export interface ConsoleLine {
  readonly method: 'log' | 'info' | 'warn' | 'error' | 'debug';
  /** JSON-safe values, with Sandpack's `{"@t": "[[undefined]]"}` marker for undefined. */
  readonly data: unknown[];
}

/** Frame → Worker: run these files (already JavaScript, CommonJS) and then these tests. */
export interface RunRequest {
  readonly type: 'run';
  readonly files: Record<string, string>;
  /** The learner's entry file, run first so its output shows even without tests. */
  readonly entry: string | null;
  readonly tests: readonly string[];
  /**
   * Course modules exercise code may import, by name, each with the source of the script that
   * defines it when the exercise's files name it (null otherwise: not fetched).
   */
  readonly courseModules: Record<string, string | null>;
  readonly maxConsoleLines: number;
}

/** Worker → frame. */
export type WorkerEvent =
  | {readonly type: 'console'; readonly lines: ConsoleLine[]}
  | {readonly type: 'console-truncated'; readonly dropped: number}
  | {readonly type: 'test'; readonly event: Record<string, unknown>}
  | {readonly type: 'finished'; readonly passed: number; readonly failed: number; readonly problem?: RunProblem};

/** Runner → jail. Any command first ends the Worker of the run before. */
export type JailCommand =
  | {readonly type: 'run'; readonly workerSource: string; readonly request: RunRequest}
  | {readonly type: 'stop'}
  /** Answered with `pong`; a message handler is not throttled the way a hidden frame's timers are. */
  | {readonly type: 'ping'};

/** Jail → runner. */
export type JailEvent =
  | {readonly type: 'jail-ready'}
  | {readonly type: 'pong'}
  | {readonly type: 'worker-event'; readonly event: WorkerEvent}
  | {readonly type: 'worker-error'; readonly message: string; readonly line: number; readonly column: number};
