/**
 * The simulator's command line (DESIGN.md, "Scenarios and the command line"):
 *   npm run sim -- list
 *   npm run sim -- run <id> [--cores N] [--n N] [--delay S] [--workers N] [--seed N] [--json]
 * Exit codes: 0 done, 1 bad knob or usage, 2 unknown scenario.
 */
import {findScenario, knobNames, runScenario, scenarios, type KnobName, type ScenarioParams, type ScenarioResult} from '../src/sim/scenarios';
import {resolveParams} from '../src/sim/scenarios/types';

const usage = 'usage: npm run sim -- list\n       npm run sim -- run <id> [--cores N] [--n N] [--delay S] [--workers N] [--seed N] [--json]';

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function parseRunArguments(args: string[]): {params: ScenarioParams; json: boolean} {
  const params: ScenarioParams = {};
  let json = false;
  for (let index = 0; index < args.length; index += 1) {
    const flag = args[index];
    if (flag === '--json') {
      json = true;
      continue;
    }
    const name = flag.replace(/^--/, '') as KnobName;
    if (!flag.startsWith('--') || !knobNames.includes(name)) fail(`unknown option ${flag}\n${usage}`, 1);
    const text = args[index + 1];
    index += 1;
    const value = text === undefined || text.trim() === '' ? Number.NaN : Number(text);
    if (Number.isNaN(value)) fail(`--${name} needs a number, got ${text === undefined ? 'nothing' : JSON.stringify(text)}`, 1);
    params[name] = value;
  }
  return {params, json};
}

function formatTable(result: ScenarioResult): string {
  const header = ['key', 'label', 'value', 'unit', 'seed claims'];
  const body = result.rows.map((row) => [row.key, row.label, String(Number(row.value.toFixed(6))), row.unit, row.seed === null ? '—' : String(row.seed)]);
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((cells) => cells[column].length)));
  const line = (cells: string[]): string => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  const params = Object.entries(result.params).map(([name, value]) => `--${name} ${value}`).join(' ');
  return [`${result.scenario}  (${params})`, line(header), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join('\n');
}

function main(args: string[]): void {
  const [command, id, ...rest] = args;
  if (command === 'list') {
    const width = Math.max(...scenarios.map((scenario) => scenario.id.length));
    for (const scenario of scenarios) process.stdout.write(`${scenario.id.padEnd(width)}  ${scenario.description}\n`);
    return;
  }
  if (command !== 'run' || id === undefined) fail(usage, 1);
  const scenario = findScenario(id);
  if (scenario === undefined) fail(`unknown scenario "${id}"; valid ids: ${scenarios.map((s) => s.id).join(', ')}`, 2);
  const {params, json} = parseRunArguments(rest);
  // Knobs are checked before the run, so an error inside the simulator is never passed off as a bad knob.
  try {
    resolveParams(scenario, params);
  } catch (error) {
    if (error instanceof RangeError) fail(error.message, 1);
    throw error;
  }
  const result = runScenario(id, params);
  process.stdout.write(json ? `${JSON.stringify({scenario: result.scenario, params: result.params, rows: result.rows})}\n` : `${formatTable(result)}\n`);
}

main(process.argv.slice(2));
