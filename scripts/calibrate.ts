/**
 * Calibration against reality: runs real CPython experiments on this machine
 * (scripts/calibrate/experiments.py: standard library only, servers on 127.0.0.1, bounded loops),
 * runs the same scenarios in the simulator with this machine's core count, and prints measured,
 * simulated and their ratio (simulated / measured). A ratio outside 0.8–1.25 is flagged.
 *
 *   npm run calibrate                     every experiment
 *   npm run calibrate -- gil-convoy       some of them
 *   npm run calibrate -- --json           one JSON object
 */
import {execFileSync} from 'node:child_process';
import {cpus} from 'node:os';
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
      {label: 'I/O thread alone, lateness (ms)', measured: ['seconds', 'alone'], row: 'alone', scale: 1000},
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
          fds === 10
            ? 'select and poll have no per-ready cost in the model, whose constants were measured with 10 ready fds; returning 10 (fd, event) results costs ~0.4 us more than 1, which shows at this size'
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

interface Line {
  experiment: string;
  label: string;
  measured: number | null;
  simulated: number | null;
  ratio: number | null;
  note: string;
}

function compare(report: Record<string, Measured>, cores: number, chosen: string[]): Line[] {
  const lines: Line[] = [];
  for (const comparison of comparisons.filter((c) => chosen.includes(c.experiment))) {
    const measured = report[comparison.experiment];
    const scenario = findScenario(comparison.scenario);
    const rows = scenario ? runScenario(comparison.scenario, comparison.params(measured, cores)).rows : [];
    for (const figure of comparison.figures) {
      const real = typeof figure.measured === 'function' ? figure.measured(measured) : valueAt(measured, figure.measured);
      const value = real === undefined ? null : real * (figure.scale ?? 1);
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
      lines.push({experiment: comparison.experiment, label: figure.label, measured: value, simulated, ratio, note});
    }
  }
  return lines;
}

function main(): void {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const known = comparisons.map((c) => c.experiment);
  const asked = args.filter((arg) => !arg.startsWith('--'));
  const unknown = asked.filter((name) => !known.includes(name));
  if (unknown.length) throw new Error(`unknown experiment ${unknown.join(', ')}; the experiments are: ${known.join(', ')}`);
  const chosen = asked.length ? asked : known;

  const output = execFileSync('python3', [join(__dirname, 'calibrate', 'experiments.py'), ...chosen], {encoding: 'utf8', timeout: 300_000});
  const report = JSON.parse(output) as Record<string, Measured> & {python: string; cores: number};
  const cores = cpus().length;
  const lines = compare(report, cores, chosen);

  if (json) {
    console.log(JSON.stringify({python: report.python, cores, lines}));
    return;
  }
  console.log(`CPython ${report.python} on ${cores} cores; ratio = simulated / measured\n`);
  const fmt = (value: number | null) => (value === null ? '—' : value < 0.01 ? value.toExponential(2) : value.toFixed(3));
  console.log(`${'experiment'.padEnd(22)}${'figure'.padEnd(44)}${'measured'.padStart(10)}${'simulated'.padStart(11)}${'ratio'.padStart(8)}  note`);
  for (const line of lines) {
    console.log(`${line.experiment.padEnd(22)}${line.label.padEnd(44)}${fmt(line.measured).padStart(10)}${fmt(line.simulated).padStart(11)}${(line.ratio === null ? '—' : line.ratio.toFixed(2)).padStart(8)}  ${line.note}`);
  }
}

try {
  main();
} catch (error) {
  console.error(`calibrate: ${(error as Error).message}`);
  process.exit(1);
}
