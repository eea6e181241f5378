/**
 * Benchmarks, run on demand (`npm run bench`), never as timed unit tests: this machine is shared
 * and noisy, so each figure is a median of repeated runs, and ratios are taken within one run.
 *
 *   npm run bench                 every section, as a table
 *   npm run bench -- runner page  only those sections
 *   npm run bench -- --json       one JSON object, keyed by section
 *
 * Sections:
 *   runner  the exercise runner: asset sizes (gzip), click-to-result latency, first and warm
 *   page    JavaScript a chapter page loads (gzip), before and after its exercises load
 *   sim     the simulator's speed (10,000 asyncio tasks; 1,000 threads on a Lock) beside real CPython
 *   widgets a 100,000-span timeline's first draw; the scenario labs' rerun after a knob change
 *   budgets issue 8's budgets, each row with its budget and whether it is met: Lighthouse mobile
 *           performance and accessibility on the heaviest chapter (medians of `--runs N`, 7 unless
 *           given), every chapter page's initial JavaScript, every page's layout shift while
 *           scrolled through, and the clean build's time (scripts/bench-budgets.ts)
 *   build   only the production build's time from a clean copy of the working tree
 *
 * runner, page, widgets and budgets need a production build (`npm run build`), served on
 * 127.0.0.1 for the browser (budgets serves it compressed, as the classroom launcher does).
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import {join, relative} from 'node:path';
import {gzipSync} from 'node:zlib';
import {execFileSync} from 'node:child_process';
import {chromium, type Browser} from '@playwright/test';
import {Machine, asyncio, cpu, withLock} from '../src/sim';
import {bareLoopCallbacks} from './bench-floor';
import {measureBudgets, measureBuild} from './bench-budgets';

const root = join(__dirname, '..');
const buildDir = join(root, 'build');
const port = 4321;
const origin = `http://127.0.0.1:${port}`;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;
const gzipSize = (bytes: Buffer) => gzipSync(bytes, {level: 9}).length;

/** `budget` and `met`: the budget the figure is held to, in words, and whether it meets it. */
type Row = {key: string; label: string; value: number; unit: string; budget?: string; met?: boolean};

/** The runner's files as served: what an exercise costs to download. */
function runnerAssets(): Row[] {
  const dir = join(buildDir, 'runner');
  const files: string[] = [];
  const walk = (d: string) => readdirSync(d).forEach((name) => (statSync(join(d, name)).isDirectory() ? walk(join(d, name)) : files.push(join(d, name))));
  walk(dir);
  const rows = files.map((file) => ({key: `gzip:${relative(dir, file)}`, label: `runner/${relative(dir, file)} (gzip)`, value: kb(gzipSize(readFileSync(file))), unit: 'KB'}));
  // Course modules load only into runs whose code imports them; everything else loads for every exercise.
  const core = files.filter((file) => !relative(dir, file).startsWith('modules/'));
  rows.push({key: 'gzip:core', label: 'runner assets every exercise loads, total (gzip)', value: kb(core.reduce((sum, file) => sum + gzipSize(readFileSync(file)), 0)), unit: 'KB'});
  return rows;
}

/** Click on "Run and check" to the result, for the first run after page load and for warm runs. */
async function runnerLatency(browser: Browser): Promise<Row[]> {
  const firstRuns: number[] = [];
  const warmRuns: number[] = [];
  const id = 'foundations/start-them-all';
  for (let round = 0; round < 5; round++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('dialog', (dialog) => dialog.accept());
    await page.goto(`${origin}/foundations/`);
    const exercise = page.locator(`[data-exercise="${id}"]`);
    await exercise.scrollIntoViewIfNeeded();
    const button = exercise.getByTestId('exercise-run');
    await button.waitFor();
    await page.waitForFunction((selector) => !(document.querySelector(selector) as HTMLButtonElement).disabled, `[data-exercise="${id}"] [data-testid="exercise-run"]`);
    // Code that answers at once, so the figure is the engine's own cost: the exercise's real
    // solution waits 200 ms per call on purpose. (Its tests then fail, which is still a result.)
    await exercise.locator('.sp-code-editor .cm-content').first().click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText('export async function fetchAllPrices(symbols: string[]) {\n  return symbols.map(() => 0);\n}\n');
    const timeRun = () =>
      page.evaluate(
        (selector) =>
          new Promise<number>((resolve) => {
            const section = document.querySelector(selector) as HTMLElement;
            const start = performance.now();
            const observer = new MutationObserver(() => {
              if (/^(passed|failed|error|timeout)$/.test(section.dataset.state!)) {
                observer.disconnect();
                resolve(performance.now() - start);
              }
            });
            observer.observe(section, {attributes: true, attributeFilter: ['data-state']});
            (section.querySelector('[data-testid="exercise-run"]') as HTMLButtonElement).click();
          }),
        `[data-exercise="${id}"]`,
      );
    firstRuns.push(await timeRun());
    for (let i = 0; i < 5; i++) warmRuns.push(await timeRun());
    await context.close();
  }
  return [
    {key: 'first-run-ms', label: 'first run after page load, click → result (median of 5)', value: Math.round(median(firstRuns)), unit: 'ms'},
    {key: 'warm-run-ms', label: 'warm run, click → result (median of 25)', value: Math.round(median(warmRuns)), unit: 'ms'},
  ];
}

/** JavaScript the chapter page downloads, gzip-compressed as a compressing server would send it. */
async function pageJavaScript(browser: Browser): Promise<Row[]> {
  const context = await browser.newContext({viewport: {width: 1280, height: 800}});
  const page = await context.newPage();
  const scripts = new Map<string, number>();
  page.on('response', async (response) => {
    const url = response.url();
    if (!/\.js(\?|$)/.test(url) || scripts.has(url)) return;
    scripts.set(url, 0);
    scripts.set(url, gzipSize(await response.body()));
  });
  await page.goto(`${origin}/foundations/`, {waitUntil: 'networkidle'});
  const initial = [...scripts.values()].reduce((a, b) => a + b, 0);
  await page.locator('[data-exercise]').first().scrollIntoViewIfNeeded();
  await page.locator('[data-exercise] [data-testid="exercise-run"]:enabled').first().waitFor({timeout: 20_000});
  await page.waitForLoadState('networkidle');
  const withExercise = [...scripts.entries()].filter(([url]) => !url.includes('/runner/')).reduce((a, [, b]) => a + b, 0);
  await context.close();
  return [
    {key: 'chapter-initial-js', label: 'chapter page, JavaScript on load (gzip)', value: kb(initial), unit: 'KB'},
    {key: 'chapter-with-exercise-js', label: 'chapter page, page JavaScript once an exercise has loaded (gzip)', value: kb(withExercise), unit: 'KB'},
  ];
}

/**
 * A knob change to a drawn result, for every scenario lab at the scenario's own (seed) knobs: the
 * random seed is changed three times and each rerun timed by the lab itself (data-run-ms: from
 * the Worker call to the result on screen, without the lab's typing pause).
 */
async function labReruns(browser: Browser): Promise<Row[]> {
  const context = await browser.newContext({viewport: {width: 1280, height: 800}});
  const page = await context.newPage();
  await page.goto(`${origin}/lab/scenarios/`);
  const labs = await page.locator('[data-sim]').all();
  // Every lab's first run first: the Worker runs one call at a time, so a neighbour's first run
  // must not be queued in front of the rerun being timed.
  for (const lab of labs) {
    await lab.scrollIntoViewIfNeeded();
    await lab.locator('[data-run-ms]').waitFor({timeout: 60_000});
  }
  const perScenario: Array<{id: string; ms: number}> = [];
  for (const lab of labs) {
    const id = (await lab.getAttribute('data-sim'))!;
    await lab.scrollIntoViewIfNeeded();
    const seedInput = lab.getByLabel('random seed');
    if ((await seedInput.count()) === 0) continue;
    const times: number[] = [];
    for (const seed of [2, 3, 4]) {
      const before = await lab.locator('[data-run-ms]').getAttribute('data-run-ms');
      await seedInput.fill(String(seed));
      await page.waitForFunction(
        ([selector, previous]) => {
          const section = document.querySelector(selector) as HTMLElement;
          const body = section.querySelector('[data-run-ms]') as HTMLElement | null;
          return section.dataset.state === 'done' && body !== null && body.dataset.runMs !== previous;
        },
        [`[data-sim="${id}"]`, before] as const,
        {timeout: 60_000},
      ).catch(() => undefined); // the same figure twice in a row: the rerun happened all the same
      times.push(Number(await lab.locator('[data-run-ms]').getAttribute('data-run-ms')));
    }
    perScenario.push({id, ms: median(times)});
  }
  await context.close();
  const all = perScenario.map((entry) => entry.ms);
  const slow = perScenario.filter((entry) => entry.ms > 100);
  return [
    {key: 'lab-rerun-median-ms', label: `scenario lab rerun after a knob change, median over ${perScenario.length} scenarios (goal ≤ 100 ms)`, value: Math.round(median(all)), unit: 'ms'},
    {key: 'lab-rerun-max-ms', label: `slowest scenario rerun (${perScenario.reduce((a, b) => (b.ms > a.ms ? b : a)).id})`, value: Math.round(Math.max(...all)), unit: 'ms'},
    {key: 'lab-rerun-over-100ms', label: `scenarios over 100 ms: ${slow.map((entry) => `${entry.id} ${Math.round(entry.ms)} ms`).join(', ') || 'none'}`, value: slow.length, unit: 'scenarios'},
  ];
}

/** First draw of a 100,000-span timeline (the lab's stress example), as the widget times it itself. */
async function timelineDraw(browser: Browser): Promise<Row[]> {
  const draws: number[] = [];
  const layouts: number[] = [];
  for (let round = 0; round < 5; round++) {
    const context = await browser.newContext({viewport: {width: 1280, height: 800}});
    const page = await context.newPage();
    await page.goto(`${origin}/lab/timelines/`);
    const stress = page.locator('[data-timeline-stress="100000"]');
    await stress.scrollIntoViewIfNeeded();
    await stress.locator('button').first().click();
    const canvas = stress.locator('canvas[data-first-draw-ms]');
    await canvas.waitFor({timeout: 60_000});
    draws.push(Number(await canvas.getAttribute('data-first-draw-ms')));
    layouts.push(Number(await stress.locator('figure[data-index-ms]').getAttribute('data-index-ms')));
    await context.close();
  }
  return [
    {key: 'timeline-100k-first-draw-ms', label: 'timeline of 100,000 spans: first draw (median of 5)', value: Math.round(median(draws)), unit: 'ms'},
    {key: 'timeline-100k-index-ms', label: 'timeline of 100,000 spans: sorting spans into lanes before it (median of 5)', value: Math.round(median(layouts)), unit: 'ms'},
  ];
}

async function withServer<T>(work: () => Promise<T>): Promise<T> {
  // Its own process group, so that ending it ends the server and not just a wrapper.
  const server: ChildProcess = spawn(join(root, 'node_modules/.bin/docusaurus'), ['serve', '--host', '127.0.0.1', '--port', String(port), '--no-open'], {
    cwd: root,
    stdio: 'ignore',
    detached: true,
  });
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const up = await fetch(`${origin}/`).then((response) => response.ok, () => false);
      if (up) break;
      if (Date.now() > deadline) throw new Error(`the site did not start on ${origin} within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return await work();
  } finally {
    process.kill(-server.pid!);
  }
}

interface Throughput {
  /** Medians over the rounds. */
  eventsPerSecond: number;
  unitsPerSecond: number;
  milliseconds: number;
}

/** Runs `runOnce` a few times; it returns the kernel events and the work units (callbacks, threads) of one run. */
function throughput(runOnce: () => {events: number; units: number}, rounds = 7): Throughput {
  const events: number[] = [];
  const units: number[] = [];
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    const counts = runOnce();
    const seconds = (performance.now() - start) / 1000;
    events.push(counts.events / seconds);
    units.push(counts.units / seconds);
    times.push(seconds * 1000);
  }
  return {eventsPerSecond: median(events), unitsPerSecond: median(units), milliseconds: median(times)};
}

const TASKS = 10_000;
/** Each task sleeps 1–8 ms (997 different delays), as in the CPython program below. */
const sleepUs = (index: number): number => 1000 + (index % 997) * 7;

/** 10,000 asyncio tasks, each sleeping a different time, gathered. */
function tenThousandTasks(): {events: number; units: number} {
  const tasks = Array.from({length: TASKS}, (_, index) =>
    (function* task() {
      yield* asyncio.sleep(sleepUs(index));
      return index;
    })(),
  );
  const run = asyncio.run(() => asyncio.gather(tasks)[Symbol.iterator]());
  return {events: run.events, units: run.callbacks};
}

/** 1,000 threads taking turns at one Lock, each incrementing a shared counter. */
function lockContention(): {events: number; units: number} {
  const machine = new Machine({cores: 4, seed: 1});
  const lock = machine.lock('counter');
  let counter = 0;
  const run = machine.run(function* main() {
    const threads = Array.from({length: 1000}, () =>
      machine.thread({
        *target() {
          yield* withLock(lock, function* increment() {
            const read = counter;
            yield cpu(5);
            counter = read + 1;
          });
        },
      }),
    );
    for (const thread of threads) yield thread.start();
    for (const thread of threads) yield thread.join();
  });
  return {events: run.metrics.events, units: run.trace.length};
}

/**
 * Real CPython on this machine, medians of 5: callbacks per second through a loop.call_soon
 * chain (the issue's yardstick), and the wall time of the same 10,000-task program the simulator runs.
 */
function cpythonAsyncio(): {callbacksPerSecond: number; tenThousandTasksMs: number} {
  const program = `
import asyncio, json, statistics, time
N = 200_000
async def chain():
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    left = N
    def step():
        nonlocal left
        left -= 1
        if left: loop.call_soon(step)
        else: done.set_result(None)
    start = time.perf_counter()
    loop.call_soon(step)
    await done
    return N / (time.perf_counter() - start)
async def task(index):
    await asyncio.sleep((1000 + (index % 997) * 7) / 1e6)
    return index
async def tasks():
    await asyncio.gather(*(task(index) for index in range(${TASKS})))
def timed():
    start = time.perf_counter()
    asyncio.run(tasks())
    return (time.perf_counter() - start) * 1000
print(json.dumps({"callbacksPerSecond": statistics.median(asyncio.run(chain()) for _ in range(5)),
                  "tenThousandTasksMs": statistics.median(timed() for _ in range(5))}))
`;
  return JSON.parse(execFileSync('python3', ['-c', program], {encoding: 'utf8'}));
}

/** The same program on a bare generator loop (scripts/bench-floor.ts): what the engine allows. */
function bareLoop(): {events: number; units: number} {
  const callbacks = bareLoopCallbacks(TASKS, sleepUs);
  return {events: callbacks, units: callbacks};
}

function simulatorSpeed(): Row[] {
  const tasks = throughput(tenThousandTasks);
  const floor = throughput(bareLoop);
  const locks = throughput(lockContention);
  const cpython = cpythonAsyncio();
  const round2 = (value: number): number => Math.round(value * 100) / 100;
  return [
    {key: 'eventsPerSecond', label: 'kernel events per second, 10,000 asyncio tasks (median of 7)', value: Math.round(tasks.eventsPerSecond), unit: 'events/s'},
    {key: 'callbacksPerSecond', label: 'simulated loop callbacks (handles) per second, same run', value: Math.round(tasks.unitsPerSecond), unit: 'callbacks/s'},
    {key: 'tenThousandTasksMs', label: 'wall time to simulate the 10,000-task program', value: round2(tasks.milliseconds), unit: 'ms'},
    {key: 'lockContentionEventsPerSecond', label: 'kernel events per second, 1,000 threads on one Lock (median of 7)', value: Math.round(locks.eventsPerSecond), unit: 'events/s'},
    {key: 'lockContentionTraceRecordsPerSecond', label: 'trace records per second, same run', value: Math.round(locks.unitsPerSecond), unit: 'records/s'},
    {key: 'cpythonCallbacksPerSecond', label: 'real CPython asyncio callbacks per second (call_soon chain, median of 5)', value: Math.round(cpython.callbacksPerSecond), unit: 'callbacks/s'},
    {key: 'cpythonTenThousandTasksMs', label: 'real CPython running the same 10,000-task program (median of 5)', value: round2(cpython.tenThousandTasksMs), unit: 'ms'},
    {key: 'ratio', label: 'simulated callbacks per second ÷ real CPython call_soon callbacks per second (goal ≥ 5)', value: round2(tasks.unitsPerSecond / cpython.callbacksPerSecond), unit: '×'},
    {key: 'bareLoopTenThousandTasksMs', label: 'a bare generator loop with no model (scripts/bench-floor.ts) running the same program', value: round2(floor.milliseconds), unit: 'ms'},
    {key: 'bareLoopRatio', label: "the simulator's callbacks in the bare loop's time ÷ real CPython call_soon callbacks per second (a bound for generator-based simulators)", value: round2((tasks.unitsPerSecond * tasks.milliseconds) / floor.milliseconds / cpython.callbacksPerSecond), unit: '×'},
    {key: 'sameProgramRatio', label: 'real CPython time ÷ simulator time for the same 10,000-task program', value: round2(cpython.tenThousandTasksMs / tasks.milliseconds), unit: '×'},
  ];
}

interface Section {
  /** Sections measured in the browser need the built site, served by `docusaurus serve`. */
  needsSite: boolean;
  /** Sections that serve build/ themselves still need it built. */
  needsBuild?: boolean;
  measure: (browser: Browser | null) => Promise<Row[]>;
}

const sections: Record<string, Section> = {
  runner: {needsSite: true, measure: async (browser) => [...runnerAssets(), ...(await runnerLatency(browser!))]},
  page: {needsSite: true, measure: (browser) => pageJavaScript(browser!)},
  widgets: {needsSite: true, measure: async (browser) => [...(await timelineDraw(browser!)), ...(await labReruns(browser!))]},
  sim: {needsSite: false, measure: async () => simulatorSpeed()},
  budgets: {needsSite: false, needsBuild: true, measure: async () => [...(await measureBudgets({runs: lighthouseRuns, port: port + 1})), ...measureBuild()]},
  build: {needsSite: false, measure: async () => measureBuild()},
};

const runsFlag = process.argv.indexOf('--runs');
/** How many Lighthouse runs the budgets' medians are taken over. */
const lighthouseRuns = runsFlag === -1 ? 7 : Number(process.argv[runsFlag + 1]);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  if (!Number.isInteger(lighthouseRuns) || lighthouseRuns < 1) throw new Error(`--runs must be a whole number of at least 1, got ${process.argv[runsFlag + 1]}`);
  const asked = args.filter((arg, index) => !arg.startsWith('--') && args[index - 1] !== '--runs');
  for (const name of asked) {
    if (!(name in sections)) throw new Error(`unknown bench section "${name}"; the sections are: ${Object.keys(sections).join(', ')}`);
  }
  // Every section by default; `build` alone only when asked, since `budgets` measures it too.
  const chosen = asked.length ? asked : Object.keys(sections).filter((name) => name !== 'build');
  const needsSite = chosen.some((name) => sections[name].needsSite);
  const needsBuild = needsSite || chosen.some((name) => sections[name].needsBuild);
  if (needsBuild && !existsSync(join(buildDir, 'runner'))) throw new Error('no production build: run `npm run build` first');

  const results: Record<string, Row[]> = {};
  const measureAll = async (browser: Browser | null) => {
    for (const name of chosen) results[name] = await sections[name].measure(browser);
  };
  if (needsSite) {
    await withServer(async () => {
      const browser = await chromium.launch({executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS});
      try {
        await measureAll(browser);
      } finally {
        await browser.close();
      }
    });
  } else {
    await measureAll(null);
  }

  if (json) {
    // A figure held to a budget carries it: {"value", "unit", "budget", "met"}; others are bare numbers.
    const byKey = (rows: Row[]) => Object.fromEntries(rows.map((row) => [row.key, row.budget === undefined ? row.value : {value: row.value, unit: row.unit, budget: row.budget, met: row.met}]));
    // One section asked for: its figures at the top level (DESIGN.md: `bench -- sim --json`).
    console.log(JSON.stringify(chosen.length === 1 ? byKey(results[chosen[0]]) : Object.fromEntries(chosen.map((name) => [name, byKey(results[name])]))));
    return;
  }
  for (const [name, rows] of Object.entries(results)) {
    console.log(`\n${name}`);
    for (const row of rows) {
      const verdict = row.budget === undefined ? '' : `   budget ${row.budget}: ${row.met ? 'met' : 'NOT MET'}`;
      console.log(`  ${row.label.padEnd(72)} ${String(row.value).padStart(8)} ${row.unit}${verdict}`);
    }
  }
}

main().catch((error: Error) => {
  console.error(`bench: ${error.message}`);
  process.exit(1);
});
