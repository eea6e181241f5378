/**
 * Calibration against reality: runs real CPython experiments on this machine
 * (scripts/calibrate/experiments.py: standard library only, servers on 127.0.0.1, bounded loops),
 * runs the same scenarios in the simulator with this machine's core count, and prints measured,
 * simulated and their ratio (simulated / measured). A ratio outside 0.8–1.25 is flagged.
 * Each measured figure is the median of R runs of its experiment, each run in a fresh interpreter
 * (so memory freed by one run cannot hide the next one's), with the spread (min–max) beside it.
 *
 *   npm run calibrate                     every experiment, 7 runs each
 *   npm run calibrate -- gil-convoy       some of them
 *   npm run calibrate -- --repeat 9       R runs of each (1 to 50)
 *   npm run calibrate -- --json           one JSON object
 */
import {execFileSync} from 'node:child_process';
import {cpus, loadavg} from 'node:os';
import {join} from 'node:path';
import {findScenario, runScenario, type ScenarioParams, type ScenarioRow} from '../src/sim';

type Measured = Record<string, unknown>;

interface Comparison {
  /** Experiment name in experiments.py, and the simulator scenario it calibrates. */
  experiment: string;
  scenario: string;
  params: (measured: Measured, cores: number) => ScenarioParams;
  figures: Figure[];
}

/**
 * One figure: a label, the measured value (a path into the experiment's JSON, times `scale`, or
 * a function of it), the simulated value (a scenario row's key, or a function of the rows), and,
 * where the model knowingly differs from the measurement, why.
 */
interface Figure {
  label: string;
  measured: string[] | ((measured: Measured) => number | undefined);
  row: string | ((rows: ScenarioRow[]) => number | undefined);
  scale?: number;
  whyDifferent?: string;
}

/** Scenario rows are in the unit the scenario prints; `scale` turns the measurement into it. */
const comparisons: Comparison[] = [
  {
    experiment: 'io-fetch',
    scenario: 'io-fetch',
    params: (m, cores) => ({cores, n: (m.params as {n: number}).n, delay: (m.params as {delay: number}).delay}),
    figures: [
      {label: 'serial (s)', measured: ['seconds', 'serial'], row: 'serial'},
      {label: 'threads (s)', measured: ['seconds', 'threads'], row: 'threads'},
      {label: 'asyncio (s)', measured: ['seconds', 'asyncio'], row: 'asyncio'},
    ],
  },
  {
    experiment: 'gil-convoy',
    scenario: 'gil-convoy',
    params: (_m, cores) => ({cores}),
    figures: [
      {
        label: 'I/O thread alone, lateness (ms)',
        measured: ['seconds', 'alone'],
        row: 'alone',
        scale: 1000,
        whyDifferent:
          'beyond the 50 us timer slack, a real wake-up waits for the hypervisor and for a core other jobs may hold: single 2 ms sleeps here woke 76 us late at best and over 160 us late one time in ten, and their median moves with the load',
      },
      {label: 'next to a CPU thread, 1 ms interval (ms)', measured: ['seconds', 'switch-1ms'], row: 'interval-1ms', scale: 1000},
      {label: 'next to a CPU thread, 5 ms interval (ms)', measured: ['seconds', 'switch-5ms'], row: 'interval-5ms', scale: 1000},
    ],
  },
  {
    experiment: 'cpu-bound',
    scenario: 'cpu-bound',
    // The scenario's tasks are the seed's 1.5 s factorisations; compare times relative to serial.
    params: (m, cores) => ({cores, n: (m.params as {n: number}).n, workers: cores}),
    figures: [
      {
        label: 'threads ÷ serial (GIL: no speed-up)',
        measured: (m) => ratioOf(m, 'threads', 'serial'),
        row: (rows) => rowRatio(rows, 'threads', 'serial'),
      },
      {
        label: 'process pool ÷ serial',
        measured: (m) => ratioOf(m, 'processes', 'serial'),
        row: (rows) => rowRatio(rows, 'processes', 'serial'),
        whyDifferent:
          "the model has the machine's cores to itself; other jobs on a shared machine take a share of them, more from two busy processes than from one, so the real pool gains less and varies from run to run",
      },
    ],
  },
  {
    experiment: 'process-startup',
    scenario: 'process-startup',
    params: (_m, cores) => ({cores}),
    figures: (['fork', 'spawn', 'forkserver'] as const).map((method) => ({
      label: `${method}: start + join of an empty process (ms)`,
      measured: ['seconds', method],
      row: `start-join-${method}`,
      scale: 1000,
      whyDifferent:
        method === 'fork'
          ? "a fork's 2 ms is mostly the child waking, running and exiting and the parent waking from join; each wake-up waits longer for a core when other jobs run, which the model's idle machine never does"
          : undefined,
    })),
  },
  {
    experiment: 'multiplexing-scaling',
    scenario: 'multiplexing-scaling',
    // The experiment makes one of the watched fds ready.
    params: () => ({n: 1}),
    figures: ['select', 'poll', 'epoll'].flatMap((mechanism) =>
      [10, 100].map((fds) => ({
        label: `${mechanism}, ${fds} fds watched, 1 ready (us per call)`,
        measured: ['microseconds-per-call', String(fds), mechanism],
        row: `${mechanism}-n${fds}`,
        whyDifferent:
          mechanism === 'epoll'
            ? 'epoll_wait costs the same however many fds are watched, in the model as in the kernel; a call of about 1 us moves by a third between runs with CPU frequency and cache state, and the model takes one value'
            : fds === 10
              ? 'select and poll have no per-ready cost in the model, whose constants were measured with 10 ready fds, so it overstates a call with 1 ready by ~0.4 us; and a call of a few us moves by a third between runs with CPU frequency and cache state'
              : 'a single call over 100 fds measured 11–17 us in different runs here (cache and frequency effects); the model takes one value',
      })),
    ),
  },
  {
    experiment: 'ten-thousand-tasks',
    scenario: 'ten-thousand-tasks',
    params: () => ({n: 10_000}),
    // The experiment measures per unit; the scenario reports 10,000 units in MiB / GiB.
    figures: [
      {label: '10k threads, reserved (GiB)', measured: ['bytes', 'thread-reserved'], row: 'threads-reserved', scale: 10_000 / 2 ** 30},
      {label: '10k threads, resident (MiB)', measured: ['bytes', 'thread-resident'], row: 'threads-resident', scale: 10_000 / 2 ** 20},
      {
        label: '10k asyncio tasks, resident (MiB)',
        measured: ['bytes', 'task-resident'],
        row: 'asyncio-resident',
        scale: 10_000 / 2 ** 20,
        whyDifferent:
          'the model counts the bytes allocated (tracemalloc: 1,424 B per idle task); resident memory grows by less because pymalloc fills arenas that are already resident',
      },
    ],
  },
];

const ratioOf = (m: Measured, a: string, b: string) => {
  const seconds = m.seconds as Record<string, number>;
  return seconds[a] / seconds[b];
};

const rowRatio = (rows: ScenarioRow[], a: string, b: string) => {
  const [top, bottom] = [rows.find((row) => row.key === a), rows.find((row) => row.key === b)];
  return top && bottom ? top.value / bottom.value : undefined;
};

function valueAt(object: unknown, path: string[]): number | undefined {
  const value = path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], object);
  return typeof value === 'number' ? value : undefined;
}

function median(sorted: number[]): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

interface Line {
  experiment: string;
  label: string;
  /** The median over the runs that gave a value, and the smallest and largest of them. */
  measured: number | null;
  spread: {min: number; max: number} | null;
  simulated: number | null;
  ratio: number | null;
  note: string;
}

/** `runs` holds each experiment's reports, one per run; the simulator's knobs come from the first. */
function compare(runs: Record<string, Measured[]>, cores: number, chosen: string[]): Line[] {
  const lines: Line[] = [];
  for (const comparison of comparisons.filter((c) => chosen.includes(c.experiment))) {
    const reports = runs[comparison.experiment];
    const scenario = findScenario(comparison.scenario);
    const rows = scenario ? runScenario(comparison.scenario, comparison.params(reports[0], cores)).rows : [];
    for (const figure of comparison.figures) {
      const values = reports
        .map((report) => (typeof figure.measured === 'function' ? figure.measured(report) : valueAt(report, figure.measured)))
        .filter((real): real is number => real !== undefined && Number.isFinite(real))
        .map((real) => real * (figure.scale ?? 1))
        .sort((a, b) => a - b);
      const value = values.length ? median(values) : null;
      const spread = values.length ? {min: values[0], max: values[values.length - 1]} : null;
      const simulated = (typeof figure.row === 'function' ? figure.row(rows) : rows.find((row) => row.key === figure.row)?.value) ?? null;
      const ratio = value && simulated !== null ? simulated / value : null;
      const outside = ratio !== null && (ratio < 0.8 || ratio > 1.25);
      const note = !scenario
        ? `no scenario ${comparison.scenario} in the simulator yet`
        : simulated === null
          ? `scenario has no such row`
          : outside
            ? `outside 0.8–1.25${figure.whyDifferent ? `: ${figure.whyDifferent}` : ''}`
            : '';
      lines.push({experiment: comparison.experiment, label: figure.label, measured: value, spread, simulated, ratio, note});
    }
  }
  return lines;
}

interface Options {
  json: boolean;
  repeat: number;
  chosen: string[];
}

function parseArguments(args: string[]): Options {
  const known = comparisons.map((c) => c.experiment);
  const options: Options = {json: false, repeat: 7, chosen: []};
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index];
    if (arg === '--json') {
      options.json = true;
    } else if (arg === '--repeat') {
      const text = args[index + 1];
      index += 1;
      const repeat = Number(text);
      if (text === undefined || !Number.isInteger(repeat) || repeat < 1 || repeat > 50) {
        throw new Error(`--repeat must be an integer from 1 to 50, got ${text === undefined ? 'nothing' : JSON.stringify(text)}`);
      }
      options.repeat = repeat;
    } else if (arg.startsWith('--')) {
      throw new Error(`unknown option ${arg}; the options are --repeat R and --json`);
    } else if (known.includes(arg)) {
      options.chosen.push(arg);
    } else {
      throw new Error(`unknown experiment ${arg}; the experiments are: ${known.join(', ')}`);
    }
  }
  if (options.chosen.length === 0) options.chosen = known;
  return options;
}

function main(): void {
  const {json, repeat, chosen} = parseArguments(process.argv.slice(2));
  const script = join(__dirname, 'calibrate', 'experiments.py');
  const runs: Record<string, Measured[]> = Object.fromEntries(chosen.map((name) => [name, []]));
  let python = '';
  // Other jobs on the machine are the main source of spread; the load average says how busy it was.
  const loadBefore = loadavg()[0];
  // Round after round rather than one experiment R times: a burst of load from another job then
  // spoils one run of several experiments, not every run of one.
  for (let round = 1; round <= repeat; round += 1) {
    process.stderr.write(`calibrate: run ${round} of ${repeat}\n`);
    for (const name of chosen) {
      const output = execFileSync('python3', [script, name], {encoding: 'utf8', timeout: 120_000});
      const report = JSON.parse(output) as Record<string, Measured> & {python: string};
      python = report.python;
      runs[name].push(report[name]);
    }
  }
  const load = {before: loadBefore, after: loadavg()[0]};
  const cores = cpus().length;
  const lines = compare(runs, cores, chosen);

  if (json) {
    console.log(JSON.stringify({python, cores, repeat, load, lines}));
    return;
  }
  console.log(`CPython ${python} on ${cores} cores, load average ${load.before.toFixed(2)} before and ${load.after.toFixed(2)} after`);
  console.log(`measured = median of ${repeat} run${repeat === 1 ? '' : 's'} (min–max beside it); ratio = simulated / measured\n`);
  const fmt = (value: number | null) => (value === null ? '—' : value < 0.01 ? value.toExponential(2) : value.toFixed(3));
  const spreadOf = (line: Line) => (line.spread === null ? '—' : `${fmt(line.spread.min)}–${fmt(line.spread.max)}`);
  const widthOf = (title: string, cells: string[]) => Math.max(title.length, ...cells.map((cell) => cell.length)) + 2;
  const [experimentWidth, figureWidth, spreadWidth] = [
    widthOf('experiment', lines.map((line) => line.experiment)),
    widthOf('figure', lines.map((line) => line.label)),
    widthOf('spread', lines.map(spreadOf)),
  ];
  console.log(`${'experiment'.padEnd(experimentWidth)}${'figure'.padEnd(figureWidth)}${'measured'.padStart(10)}${'spread'.padStart(spreadWidth)}${'simulated'.padStart(11)}${'ratio'.padStart(8)}  note`);
  for (const line of lines) {
    const ratio = line.ratio === null ? '—' : line.ratio.toFixed(2);
    console.log(
      `${line.experiment.padEnd(experimentWidth)}${line.label.padEnd(figureWidth)}${fmt(line.measured).padStart(10)}${spreadOf(line).padStart(spreadWidth)}${fmt(line.simulated).padStart(11)}${ratio.padStart(8)}  ${line.note}`,
    );
  }
}

try {
  main();
} catch (error) {
  console.error(`calibrate: ${(error as Error).message}`);
  process.exit(1);
}
