/**
 * The Worker that runs a learner's code: one fresh Worker per run, so that whatever the code does
 * (an endless loop, a flood of output, a memory bomb) the runner frame can end it by terminating
 * the Worker, and the page never waits on it.
 */
import {expect} from './expect';
import {Harness} from './harness';
import {createLoader} from './loader';
import type {ConsoleLine, RunProblem, RunRequest, SourceLocation, WorkerEvent} from './protocol';

// The project's TypeScript settings are the DOM's; these are the few Worker globals used here.
declare function importScripts(...urls: string[]): void;
declare const self: typeof globalThis & {
  courseModules?: Record<string, unknown>;
  postMessage(message: unknown): void;
};

const post = (event: WorkerEvent) => self.postMessage(event);

// ---- console: batched, capped ---------------------------------------------------------------

let consoleBudget = 0;
let dropped = 0;
let pending: ConsoleLine[] = [];
let flushScheduled = false;

function flushConsole(): void {
  flushScheduled = false;
  if (pending.length) post({type: 'console', lines: pending});
  pending = [];
}

function record(method: ConsoleLine['method'], args: unknown[]): void {
  if (consoleBudget <= 0) {
    dropped++;
    return;
  }
  consoleBudget--;
  pending.push({method, data: joinPrimitives(args.map((arg) => toConsoleValue(arg, 0)))});
  // A synchronous loop never yields to a timer, so flush by size as well as by time.
  if (pending.length >= 50) flushConsole();
  else if (!flushScheduled) {
    flushScheduled = true;
    setTimeout(flushConsole, 16);
  }
}

/** `console.log('x =', 42)` reads as one line, `x = 42`, as in a browser's console. */
function joinPrimitives(values: unknown[]): unknown[] {
  const joined: unknown[] = [];
  for (const value of values) {
    const last = joined.length - 1;
    const primitive = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
    if (primitive && last >= 0 && typeof joined[last] === 'string') joined[last] += ` ${value}`;
    else joined.push(primitive ? String(value) : value);
  }
  return joined;
}

/** Something the console panel can show: JSON-safe, never throwing, depth- and size-limited. */
function toConsoleValue(value: unknown, depth: number): unknown {
  if (value === undefined) return {'@t': '[[undefined]]'};
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function') return `[Function ${value.name || '(anonymous)'}]`;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (depth >= 3) return Array.isArray(value) ? '[Array]' : '[Object]';
  if (Array.isArray(value)) return value.slice(0, 100).map((item) => toConsoleValue(item, depth + 1));
  if (value instanceof Map) return Object.fromEntries([...value].slice(0, 100).map(([k, v]) => [String(k), toConsoleValue(v, depth + 1)]));
  if (value instanceof Set) return [...value].slice(0, 100).map((item) => toConsoleValue(item, depth + 1));
  if (value instanceof Promise) return 'Promise {…}';
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value as object).slice(0, 100)) {
    out[key] = toConsoleValue((value as Record<string, unknown>)[key], depth + 1);
  }
  return out;
}

for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  console[method] = (...args: unknown[]) => record(method, args);
}

// ---- errors, in the learner's line numbers ----------------------------------------------------

let knownFiles: string[] = [];

/** The first stack frame in one of the exercise's files. Lines are exact: see `evaluate`. */
function locate(error: unknown): SourceLocation | undefined {
  const stack = (error as Error)?.stack ?? '';
  for (const match of stack.matchAll(/(\/[^\s():]+):(\d+):(\d+)/g)) {
    if (knownFiles.includes(match[1])) return {path: match[1], line: Number(match[2]), column: Number(match[3])};
  }
  return undefined;
}

/** The stack without the runner's own frames, so the learner sees only their code. */
function learnerStack(error: unknown): string {
  const stack = (error as Error)?.stack ?? String(error);
  return stack
    .split('\n')
    .filter((line) => !/^\s+at /.test(line) || knownFiles.some((file) => line.includes(`${file}:`)))
    .join('\n');
}

function problemOf(title: string, error: unknown): RunProblem {
  const location = locate(error);
  const name = (error as Error)?.name ?? 'Error';
  const message = (error as Error)?.message ?? String(error);
  const where = location ? ` (${location.path}:${location.line}:${location.column})` : '';
  return {title, message: `${name}: ${message}${where}`, location};
}

// ---- a run ---------------------------------------------------------------------------------------

async function run(request: RunRequest): Promise<void> {
  consoleBudget = request.maxConsoleLines;
  knownFiles = Object.keys(request.files);
  self.courseModules ??= {};
  const modules = self.courseModules;
  const loader = createLoader({
    files: request.files,
    courseModuleNames: Object.keys(request.courseModules),
    courseModule(name) {
      // The module's source came with the request (see runner.ts): a blob URL of the Worker's own.
      if (!(name in modules)) importScripts(URL.createObjectURL(new Blob([request.courseModules[name] ?? ''], {type: 'text/javascript'})));
      return modules[name] as Record<string, unknown>;
    },
  });
  const emit = (event: Record<string, unknown>) => post({type: 'test', event});
  const harness = new Harness(emit, (error) => ({
    name: (error as Error)?.name ?? 'Error',
    message: (error as Error)?.message ?? String(error),
    stack: learnerStack(error),
  }));
  Object.assign(self, harness.globals(), {expect});

  self.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => {
    record('error', [`Unhandled rejection: ${learnerStack(event.reason)}`]);
  });

  let problem: RunProblem | undefined;
  if (request.entry) {
    try {
      loader.load(request.entry);
    } catch (error) {
      problem = problemOf('Your code threw an error', error);
      record('error', [learnerStack(error)]);
    }
  }

  if (!problem && request.tests.length) {
    emit({event: 'total_test_start'});
    for (const path of request.tests) {
      emit({event: 'add_file', path});
      try {
        harness.collect(path, () => loader.load(path));
      } catch (error) {
        problem = problemOf(`The tests in ${path} could not load`, error);
        emit({event: 'file_error', path, error: {name: 'Error', message: problem.message}});
        break;
      }
      await harness.run();
    }
    emit({event: 'total_test_end'});
  }

  flushConsole();
  if (dropped) post({type: 'console-truncated', dropped});
  post({type: 'finished', passed: harness.passed, failed: harness.failed, problem});
}

self.addEventListener('message', (event: MessageEvent<RunRequest>) => {
  if (event.data?.type === 'run') void run(event.data);
});
