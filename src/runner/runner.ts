/**
 * The runner page: what Sandpack's components think is their bundler. It is served by the site
 * itself (built into static/runner/), so exercises work with no network. It speaks the part of
 * Sandpack's bundler protocol the course needs (sandpack-client `clients/runtime/`): it answers
 * `initialized` → `register-frame` → `compile` with `done`, and on `run-all-tests` it strips the
 * TypeScript, runs the code and the hidden tests in a fresh Worker inside the jail (jail.ts),
 * relays console output and test events, and ends every run with an `exercise-outcome` message.
 */
import type {ConsoleLine, ExerciseOutcomeMessage, JailCommand, JailEvent, Outcome, RunProblem, RunRequest, WorkerEvent} from './protocol';
import {transpile} from './transpile';

declare const __COURSE_MODULES__: Record<string, string>;
declare const __BUILD_ID__: string;

const timeLimitMs = Number(new URLSearchParams(location.search).get('timeLimit') ?? 5000);
/** The console panel draws each line with an editor of its own: more would slow the page. */
const MAX_CONSOLE_LINES = 200;
/** A jail that leaves pings unanswered this long while running has died (out of memory). */
const PING_TIMEOUT_MS = 2000;
const TEST_FILE = /\.(test|spec)\.[jt]sx?$/;
const versioned = (file: string) => new URL(`${file}?v=${__BUILD_ID__}`, location.href).href;

let channelId: number | null = null;
let modules: Record<string, string> = {};
let nextLogId = 0;

function send(message: Record<string, unknown>): void {
  window.parent.postMessage({...message, codesandbox: true, $id: channelId}, location.origin);
}

function sendConsole(lines: ConsoleLine[]): void {
  send({type: 'console', log: lines.map((line) => ({...line, id: `log-${nextLogId++}`}))});
}

// ---- the jail ---------------------------------------------------------------------------------

// Everything the jail runs is fetched here, by the runner, and handed over as text: the jail has an
// opaque origin, so its own requests would bypass the site's service worker and fail offline.
const fetchText = (file: string) => fetch(versioned(file)).then((response) => response.text());
const workerSource = fetchText('worker.js');
const jailSource = fetchText('jail.js');
const courseModuleSources = new Map<string, Promise<string>>();

/** Every course module by name, with its source if the exercise's files name it (null if not). */
async function courseModulesFor(files: Record<string, string>): Promise<Record<string, string | null>> {
  const used = (name: string) => Object.values(files).some((code) => code.includes(name));
  return Object.fromEntries(
    await Promise.all(
      Object.entries(__COURSE_MODULES__).map(async ([name, file]) => {
        if (!used(name)) return [name, null] as const;
        if (!courseModuleSources.has(name)) courseModuleSources.set(name, fetchText(file));
        return [name, await courseModuleSources.get(name)!] as const;
      }),
    ),
  );
}

class Jail {
  private frame!: HTMLIFrameElement;
  private ready!: Promise<void>;
  private markReady: () => void = () => {};
  private lastAnswer = 0;
  onEvent: (event: JailEvent) => void = () => {};

  constructor() {
    window.addEventListener('message', (event: MessageEvent<JailEvent>) => {
      if (event.source !== this.frame.contentWindow) return;
      this.lastAnswer = performance.now();
      if (event.data.type === 'jail-ready') this.markReady();
      else if (event.data.type !== 'pong') this.onEvent(event.data);
    });
    this.build();
  }

  /** A new sandboxed frame: an opaque origin, so in a process of its own. */
  build(): void {
    this.frame?.remove();
    const frame = document.createElement('iframe');
    this.frame = frame;
    frame.sandbox.add('allow-scripts');
    frame.title = 'Exercise jail';
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    void jailSource.then((source) => {
      frame.srcdoc = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Exercise jail</title><script>${source.replaceAll('</script', '<\\/script')}</script></html>`;
      document.body.append(frame);
    });
  }

  async command(command: JailCommand): Promise<void> {
    await this.ready;
    if (command.type !== 'ping') this.lastAnswer = performance.now();
    this.frame.contentWindow?.postMessage(command, '*');
  }

  /** Time since the jail last said anything (it answers every ping at once while alive). */
  get silentFor(): number {
    return performance.now() - this.lastAnswer;
  }
}

const jail = new Jail();

// ---- a run ------------------------------------------------------------------------------------

let activeRun: {started: number; timers: Array<ReturnType<typeof setInterval>>} | null = null;

function finish(outcome: Outcome, passed: number, failed: number, problem?: RunProblem): void {
  if (!activeRun) return;
  const {started, timers} = activeRun;
  timers.forEach(clearInterval);
  activeRun = null;
  void jail.command({type: 'stop'});
  if (problem?.location) {
    const {path, line, column} = problem.location;
    send({type: 'action', action: 'show-error', title: problem.title, path, message: problem.message, line, column});
  }
  const message: ExerciseOutcomeMessage = {
    type: 'exercise-outcome',
    outcome,
    passed,
    failed,
    durationMs: Math.round(performance.now() - started),
    problem,
  };
  send({...message});
}

/** Ends a run the Worker did not end itself: closes the test panel's run and says why. */
function abort(outcome: Outcome, title: string, message: string): void {
  sendConsole([{method: 'error', data: [message]}]);
  send({type: 'test', event: 'total_test_end'});
  finish(outcome, 0, 0, {title, message});
}

function onWorkerEvent(data: WorkerEvent): void {
  if (data.type === 'console') sendConsole(data.lines);
  else if (data.type === 'console-truncated') {
    sendConsole([{method: 'warn', data: [`… output truncated: ${data.dropped} more lines were not shown (the limit is ${MAX_CONSOLE_LINES}).`]}]);
  } else if (data.type === 'test') {
    if (data.event.event === 'add_file') send({type: 'action', action: 'clear-errors', source: 'jest', path: data.event.path});
    send({type: 'test', ...data.event});
  } else if (data.type === 'finished') {
    const outcome: Outcome = data.problem ? 'error' : data.failed === 0 && data.passed > 0 ? 'passed' : 'failed';
    finish(outcome, data.passed, data.failed, data.problem);
  }
}

jail.onEvent = (event) => {
  if (!activeRun) return;
  if (event.type === 'worker-event') onWorkerEvent(event.event);
  // Thrown from a timer or callback of the learner's code: reported, and the run goes on.
  else if (event.type === 'worker-error') sendConsole([{method: 'error', data: [event.message]}]);
};

function entryOf(files: Record<string, string>): string | null {
  try {
    const main = JSON.parse(files['/package.json'] ?? '{}').main as string | undefined;
    if (main && main in files) return main;
  } catch {
    // A package.json that does not parse: fall back to the usual entry names.
  }
  return ['/index.ts', '/src/index.ts', '/index.js'].find((path) => path in files) ?? null;
}

async function startRun(onlyTest?: string): Promise<void> {
  if (activeRun) abort('error', 'Stopped', 'A new run started before this one ended.');
  const started = performance.now();
  send({type: 'start', firstLoad: false});

  const files: Record<string, string> = {};
  for (const [path, source] of Object.entries(modules)) {
    if (path === '/package.json') continue;
    const result = transpile(path, source);
    if (!result.ok) {
      activeRun = {started, timers: []};
      sendConsole([{method: 'error', data: [`${result.problem.title}: ${result.problem.message}`]}]);
      return finish('error', 0, 0, result.problem);
    }
    files[path] = result.code;
  }

  const request: RunRequest = {
    type: 'run',
    files,
    entry: entryOf(modules),
    tests: onlyTest ? [onlyTest] : Object.keys(files).filter((path) => TEST_FILE.test(path)),
    courseModules: await courseModulesFor(modules),
    maxConsoleLines: MAX_CONSOLE_LINES,
  };

  const deadline = setTimeout(() => {
    abort('timeout', 'Time limit', `Stopped after ${timeLimitMs / 1000} s, the time limit. Look for a loop that never ends, a promise that is never settled, or data that grows without end.`);
  }, timeLimitMs);
  const watchdog = setInterval(() => {
    if (jail.silentFor < PING_TIMEOUT_MS) return void jail.command({type: 'ping'});
    abort('error', 'The sandbox crashed', 'The code used more memory than the browser allows, and its sandbox was stopped. Look for a collection that grows without end.');
    jail.build();
  }, 500);
  activeRun = {started, timers: [deadline, watchdog]};
  await jail.command({type: 'run', workerSource: await workerSource, request});
}

window.addEventListener('message', (event: MessageEvent) => {
  if (event.origin !== location.origin || event.source !== window.parent) return;
  const message = event.data as {type?: string; id?: number; modules?: Record<string, {code: string}>; path?: string};
  switch (message.type) {
    case 'register-frame':
      channelId = message.id ?? null;
      break;
    case 'compile':
      modules = Object.fromEntries(Object.entries(message.modules ?? {}).map(([path, file]) => [path, file.code]));
      send({type: 'status', status: 'idle'});
      send({type: 'test', event: 'initialize_tests'});
      send({type: 'done', compilatonError: false});
      break;
    case 'run-all-tests':
      void startRun();
      break;
    case 'run-tests':
      void startRun(message.path);
      break;
  }
});

window.parent.postMessage({type: 'initialized', codesandbox: true}, location.origin);
