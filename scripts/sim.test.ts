import {execFile} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {runScenario, scenarios, type ScenarioResult} from '../src/sim/scenarios';

/** The simulator's command line (scripts/sim.ts), run as a child process the way `npm run sim` runs it. */
const root = fileURLToPath(new URL('..', import.meta.url));
const reproduction = fileURLToPath(new URL('../../shared/REPRODUCTION.md', import.meta.url));

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function sim(...args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'scripts/sim.ts', ...args], {cwd: root, timeout: 30_000}, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({code, stdout, stderr});
    });
  });
}

/** The part of a result that `--json` prints (DESIGN.md): the scenario, its knobs and its rows. */
const printedPart = ({scenario, params, rows}: ScenarioResult) => ({scenario, params, rows});

let listing: Promise<Outcome> | undefined;
const list = (): Promise<Outcome> => (listing ??= sim('list'));

// Each case spawns one process (~1 s of start-up); running them side by side keeps the file fast.
describe.concurrent('npm run sim', () => {
  it('list prints every registered scenario, one line each, in registry order', async () => {
    const {code, stdout, stderr} = await list();
    expect({code, stderr}).toEqual({code: 0, stderr: ''});
    const lines = stdout.trimEnd().split('\n');
    expect(lines.map((line) => line.split(/\s+/)[0])).toEqual(scenarios.map((scenario) => scenario.id));
    for (const [index, scenario] of scenarios.entries()) expect(lines[index]).toContain(scenario.description);
  });

  // REPRODUCTION.md lives beside the repository (../shared), not in a clone of it.
  it.skipIf(!existsSync(reproduction))('list includes every scenario id of ../shared/REPRODUCTION.md', async () => {
    const ids = [...readFileSync(reproduction, 'utf8').matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((match) => match[1]);
    expect(ids.length).toBeGreaterThan(20);
    const {stdout} = await list();
    const listed = stdout.trimEnd().split('\n').map((line) => line.split(/\s+/)[0]);
    expect(ids.filter((id) => !listed.includes(id))).toEqual([]);
  });

  it('run io-fetch --json prints one object of the contract, equal to runScenario in-process', async () => {
    const {code, stdout, stderr} = await sim('run', 'io-fetch', '--json');
    expect({code, stderr}).toEqual({code: 0, stderr: ''});
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    const printed = JSON.parse(stdout) as Pick<ScenarioResult, 'scenario' | 'params' | 'rows'>;
    expect(Object.keys(printed).sort()).toEqual(['params', 'rows', 'scenario']);
    expect(printed.rows.length).toBeGreaterThan(0);
    for (const row of printed.rows) {
      expect(Object.keys(row).sort()).toEqual(['key', 'label', 'seed', 'unit', 'value']);
      expect(row).toMatchObject({key: expect.any(String), label: expect.any(String), value: expect.any(Number), unit: expect.any(String)});
      expect(row.seed === null || typeof row.seed === 'number').toBe(true);
    }
    expect(printed).toEqual(printedPart(runScenario('io-fetch', {})));
  });

  it('knobs reach the scenario: --cores and --n change the rows, as in-process', async () => {
    const knobs = {cores: 1, n: 7, seed: 7};
    const {code, stdout} = await sim('run', 'io-fetch', '--cores', '1', '--n', '7', '--seed', '7', '--json');
    expect(code).toBe(0);
    const printed = JSON.parse(stdout) as Pick<ScenarioResult, 'scenario' | 'params' | 'rows'>;
    expect(printed).toEqual(printedPart(runScenario('io-fetch', knobs)));
    expect(printed.params).toMatchObject(knobs);
    expect(printed.rows).not.toEqual(runScenario('io-fetch', {}).rows);
  });

  it('the same --seed prints the same output, byte for byte', async () => {
    const args = ['run', 'lock-race', '--n', '20', '--seed', '11', '--json'];
    const [first, second] = await Promise.all([sim(...args), sim(...args)]);
    expect(first.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
  });

  it('without --json prints a table: the scenario and its knobs, a header, then every row', async () => {
    const {code, stdout} = await sim('run', 'io-fetch');
    expect(code).toBe(0);
    const [title, header, rule, ...body] = stdout.trimEnd().split('\n');
    const {params, rows} = runScenario('io-fetch', {});
    expect(title).toBe(`io-fetch  (${Object.entries(params).map(([name, value]) => `--${name} ${value}`).join(' ')})`);
    expect(header.split(/\s{2,}/)).toEqual(['key', 'label', 'value', 'unit', 'seed claims']);
    expect(rule).toMatch(/^[- ]+$/);
    expect(body).toHaveLength(rows.length);
    for (const [index, row] of rows.entries()) {
      expect(body[index].split(/\s{2,}/)).toEqual([row.key, row.label, String(Number(row.value.toFixed(6))), row.unit, row.seed === null ? '—' : String(row.seed)]);
    }
  });

  it('an unknown scenario exits 2, naming it and listing the valid ids', async () => {
    const {code, stdout, stderr} = await sim('run', 'no-such-scenario');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('"no-such-scenario"');
    for (const scenario of scenarios) expect(stderr).toContain(scenario.id);
  });

  it.each([
    [['--cores', '0'], '--cores must be an integer from 1 to 256, got 0'],
    [['--cores', '-1'], '--cores must be an integer from 1 to 256, got -1'],
    [['--n', 'abc'], '--n needs a number, got "abc"'],
    [['--speed', '2'], 'unknown option --speed'],
  ])('a bad knob %j exits 1 and says which on stderr', async (knob, message) => {
    const {code, stdout, stderr} = await sim('run', 'io-fetch', ...knob);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toBe(message);
  });
});
