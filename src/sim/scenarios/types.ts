/**
 * The scenario contract (DESIGN.md, "Scenarios and the command line"): plain data (id,
 * description, knobs and their defaults) plus a small program that returns rows
 * `{key, label, value, unit, seed}`, where `seed` is the figure the seed document claims, or null.
 */
import type {Timeline} from '../timeline';

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
  /** The runs behind the rows, to watch (one per model compared, say); empty when there is nothing to draw. */
  timelines: Timeline[];
}

/** What a scenario's program returns: its rows, and the timelines of the runs behind them. */
export interface ScenarioOutput {
  rows: ScenarioRow[];
  timelines: Timeline[];
}

export interface Scenario {
  id: string;
  description: string;
  /** The knobs this scenario takes, with their defaults. */
  defaults: ScenarioParams;
  /** Tighter upper bounds than the knob's own, where a larger value would run for minutes. */
  maxima?: ScenarioParams;
  run(params: Required<ScenarioParams>): ScenarioRow[] | ScenarioOutput;
}

/** What each knob means and the values it takes: the CLI's checks and a lab's form both come from here. */
export interface KnobSpec {
  label: string;
  unit: string;
  min: number;
  max: number;
  /** 1 for integers; a lab's input steps by it. */
  step: number;
  /** Whether the minimum itself is allowed (delay must be above 0). */
  minInclusive: boolean;
  expected: string;
}

export const knobSpecs: Record<KnobName, KnobSpec> = {
  cores: {label: 'cores', unit: '', min: 1, max: 256, step: 1, minInclusive: true, expected: 'an integer from 1 to 256'},
  n: {label: 'n (tasks, requests, items)', unit: '', min: 1, max: 10_000, step: 1, minInclusive: true, expected: 'an integer from 1 to 10000'},
  delay: {label: 'delay', unit: 's', min: 0, max: 3600, step: 0.001, minInclusive: false, expected: 'a number of seconds above 0 and at most 3600'},
  workers: {label: 'workers', unit: '', min: 1, max: 10_000, step: 1, minInclusive: true, expected: 'an integer from 1 to 10000'},
  seed: {label: 'random seed', unit: '', min: 0, max: 0xffffffff, step: 1, minInclusive: true, expected: 'an integer from 0 to 4294967295'},
};

/** Whether `value` is allowed for the knob; null if so, else what was expected. */
export function knobProblem(name: KnobName, value: number): string | null {
  const spec = knobSpecs[name];
  const integerOk = spec.step !== 1 || Number.isInteger(value);
  const aboveMin = spec.minInclusive ? value >= spec.min : value > spec.min;
  return Number.isFinite(value) && integerOk && aboveMin && value <= spec.max ? null : spec.expected;
}

export const knobNames = Object.keys(knobSpecs) as KnobName[];

/** Check every given knob against the scenario and its rule; fill in the defaults. */
export function resolveParams(scenario: Scenario, given: ScenarioParams): Required<ScenarioParams> {
  const accepted = Object.keys(scenario.defaults) as KnobName[];
  for (const [name, value] of Object.entries(given) as [KnobName, number][]) {
    if (!(name in knobSpecs)) throw new RangeError(`unknown knob --${name}`);
    if (!accepted.includes(name)) {
      throw new RangeError(`scenario ${scenario.id} does not take --${name} (it takes ${accepted.map((k) => `--${k}`).join(', ')})`);
    }
    const problem = knobProblem(name, value);
    if (problem !== null) throw new RangeError(`--${name} must be ${problem}, got ${String(value)}`);
    const maximum = scenario.maxima?.[name];
    if (maximum !== undefined && value > maximum) throw new RangeError(`scenario ${scenario.id} takes --${name} up to ${maximum}, got ${String(value)}`);
  }
  return {...scenario.defaults, ...given} as Required<ScenarioParams>;
}

export const microsecondsFromSeconds = (seconds: number): number => Math.round(seconds * 1_000_000);
export const seconds = (us: number): number => us / 1_000_000;
export const milliseconds = (us: number): number => us / 1000;
