/**
 * The scenario contract (DESIGN.md, "Scenarios and the command line"): plain data (id,
 * description, knobs and their defaults) plus a small program that returns rows
 * `{key, label, value, unit, seed}`, where `seed` is the figure the seed document claims, or null.
 */

export type KnobName = 'cores' | 'n' | 'delay' | 'workers' | 'seed';

/** Knob values after validation. `delay` is in seconds, as on the command line. */
export type ScenarioParams = Partial<Record<KnobName, number>>;

export interface ScenarioRow {
  key: string;
  label: string;
  value: number;
  unit: string;
  seed: number | null;
}

export interface ScenarioResult {
  scenario: string;
  params: ScenarioParams;
  rows: ScenarioRow[];
}

export interface Scenario {
  id: string;
  description: string;
  /** The knobs this scenario takes, with their defaults. */
  defaults: ScenarioParams;
  run(params: Required<ScenarioParams>): ScenarioRow[];
}

const knobRules: Record<KnobName, {check: (value: number) => boolean; expected: string}> = {
  cores: {check: (v) => Number.isInteger(v) && v >= 1 && v <= 256, expected: 'an integer from 1 to 256'},
  n: {check: (v) => Number.isInteger(v) && v >= 1 && v <= 10_000, expected: 'an integer from 1 to 10000'},
  delay: {check: (v) => Number.isFinite(v) && v > 0 && v <= 3600, expected: 'a number of seconds above 0 and at most 3600'},
  workers: {check: (v) => Number.isInteger(v) && v >= 1 && v <= 10_000, expected: 'an integer from 1 to 10000'},
  seed: {check: (v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff, expected: 'an integer from 0 to 4294967295'},
};

export const knobNames = Object.keys(knobRules) as KnobName[];

/** Check every given knob against the scenario and its rule; fill in the defaults. */
export function resolveParams(scenario: Scenario, given: ScenarioParams): Required<ScenarioParams> {
  const accepted = Object.keys(scenario.defaults) as KnobName[];
  for (const [name, value] of Object.entries(given) as [KnobName, number][]) {
    if (!(name in knobRules)) throw new RangeError(`unknown knob --${name}`);
    if (!accepted.includes(name)) {
      throw new RangeError(`scenario ${scenario.id} does not take --${name} (it takes ${accepted.map((k) => `--${k}`).join(', ')})`);
    }
    if (!knobRules[name].check(value)) throw new RangeError(`--${name} must be ${knobRules[name].expected}, got ${String(value)}`);
  }
  return {...scenario.defaults, ...given} as Required<ScenarioParams>;
}

export const microsecondsFromSeconds = (seconds: number): number => Math.round(seconds * 1_000_000);
export const seconds = (us: number): number => us / 1_000_000;
export const milliseconds = (us: number): number => us / 1000;
