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
import {findScenario, runScenario, type ScenarioParams} from '../src/sim';

type Measured = Record<string, unknown>;

interface Comparison {
  /** Experiment name in experiments.py, and the simulator scenario it calibrates. */
  experiment: string;
  scenario: string;
  params: (measured: Measured, cores: number) => ScenarioParams;
  /** Each pair: a label, the measured value (a path into the experiment's JSON), the simulated row. */
  figures: Array<{label: string; measured: string[]; row: string; scale?: number}>;
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
];

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
      const real = valueAt(measured, figure.measured);
      const value = real === undefined ? null : real * (figure.scale ?? 1);
      const simulated = rows.find((row) => row.key === figure.row)?.value ?? null;
      const ratio = value && simulated !== null ? simulated / value : null;
      const note = !scenario
        ? `no scenario ${comparison.scenario} in the simulator yet`
        : simulated === null
          ? `scenario has no row ${figure.row}`
          : ratio !== null && (ratio < 0.8 || ratio > 1.25)
            ? 'outside 0.8–1.25'
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
