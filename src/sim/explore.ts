/**
 * The schedule explorer: run a small threaded program under many schedules and return the first
 * one that breaks its check, or say that none of the explored schedules did. Exercises use it to
 * prove a lock fix ("the race is gone in all N schedules") or to show the schedule that loses an
 * update.
 *
 * A schedule is the sequence of the scheduler's choices (MachineOptions.chooser in machine.ts), on
 * one core: each time the running thread performs a step (a `yield`) while others are ready,
 * whether it goes on or is switched out, and for which one; and which ready thread runs when the
 * core is free. CPython may switch threads between any two bytecodes (the GIL is dropped at an
 * eval-breaker check; Python/ceval_gil.c), so every yield is a point where a switch can happen;
 * code between two yields is one indivisible step at this granularity.
 *
 * Two phases:
 * 1. Systematic: every schedule with no switch away from "go on / run queue's head", then every
 *    schedule with one such switch, then two, ... (preemption bounding, as in CHESS: Musuvathi and
 *    Qadeer, PLDI 2007), each run replaying a prefix of choices. A counterexample found here has as
 *    few switches as possible. It stops when no schedule is left (the result is exhaustive) or
 *    after `exhaustiveUpTo` runs.
 * 2. Random: if the systematic phase did not finish, `seeds` runs with uniformly random choices,
 *    seed s also seeding the machine's I/O jitter and timer slack.
 *
 *     const result = explore((machine) => {
 *       let counter = 0;
 *       return {
 *         *main() { ...start two threads that do `const read = counter; yield cpu(1); counter = read + 1` },
 *         check: () => (counter === 2 ? undefined : `counter is ${counter}`),
 *       };
 *     }, {seeds: 200, exhaustiveUpTo: 10_000});
 *     result.ok; result.summary; result.counterexample?.choices
 */
import {Random, type TraceRecord} from './kernel';
import {Machine, type InterpreterMode, type RunResult, type SchedulePoint} from './machine';
import type {ThreadTarget} from './threads';

/** One run of the program: the main thread, and a check of the state it leaves behind. */
export interface ExploredProgram {
  main: ThreadTarget;
  /** Throw, or return an error string, when an invariant is broken; return nothing otherwise. */
  check: (result: RunResult) => string | void;
}

/** Builds a fresh program (fresh shared state) on the machine of each run. */
export type Program = (machine: Machine) => ExploredProgram;

export interface ExploreOptions {
  /** Random schedules to try when the systematic phase does not finish. Default 200. */
  seeds?: number;
  /** Most runs of the systematic phase. Default 10,000. */
  exhaustiveUpTo?: number;
  /** Default `gil`. */
  mode?: InterpreterMode;
  /** A deadlock counts as breaking the check unless this is true. */
  allowDeadlock?: boolean;
  /** An exception that ends a thread counts as breaking the check unless this is true. */
  allowExceptions?: boolean;
}

export interface Choice extends SchedulePoint {
  /** Index into `candidates`; 0 is the default (the running thread goes on, or the run queue's head). */
  chosen: number;
}

export interface Counterexample {
  message: string;
  phase: 'systematic' | 'random';
  /** The machine's seed for this run (and, in the random phase, the choices' seed). */
  seed: number;
  /** Choices that were not the default: the switches this schedule needs. */
  switches: number;
  choices: Choice[];
  trace: TraceRecord[];
}

export interface ExploreResult {
  ok: boolean;
  /** Distinct schedules run and checked. */
  schedules: number;
  /** True when every schedule at this granularity was checked. */
  exhaustive: boolean;
  summary: string;
  counterexample: Counterexample | null;
}

const SYSTEMATIC_SEED = 0;

function checkCount(value: number, parameter: string): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${parameter} must be a non-negative integer, got ${String(value)}`);
}

interface Run {
  choices: Choice[];
  trace: TraceRecord[];
  failure: string | null;
}

function runOnce(program: Program, options: Required<ExploreOptions>, seed: number, pick: (point: SchedulePoint, depth: number) => number): Run {
  const choices: Choice[] = [];
  const machine = new Machine({
    cores: 1,
    mode: options.mode,
    seed,
    chooser(point) {
      const chosen = pick(point, choices.length);
      choices.push({...point, chosen});
      return chosen;
    },
  });
  const {main, check} = program(machine);
  const result = machine.run(main);
  return {choices, trace: result.trace, failure: verdict(check, result, options)};
}

function verdict(check: ExploredProgram['check'], result: RunResult, options: Required<ExploreOptions>): string | null {
  if (!options.allowDeadlock && result.deadlock !== null) {
    const waits = result.deadlock.waits.map((w) => `${w.thread} waits for ${w.waitsFor.kind} ${w.waitsFor.name}${w.heldBy ? ` (held by ${w.heldBy})` : ''}`);
    return `deadlock: ${waits.join('; ')}`;
  }
  if (!options.allowExceptions && result.exceptions.length > 0) {
    const [first] = result.exceptions;
    return `${first.thread} raised ${first.type}: ${first.message}`;
  }
  try {
    return check(result) ?? null;
  } catch (raised) {
    return raised instanceof Error ? raised.message : String(raised);
  }
}

const deviations = (choices: readonly Choice[]): number => choices.filter((c) => c.chosen !== 0).length;

/** The next prefix in depth-first order with at most `bound` deviations, or null when none is left. */
function nextPrefix(choices: readonly Choice[], bound: number): number[] | null {
  for (let depth = choices.length - 1; depth >= 0; depth -= 1) {
    const next = choices[depth].chosen + 1;
    if (next < choices[depth].candidates.length && deviations(choices.slice(0, depth)) + 1 <= bound) {
      return [...choices.slice(0, depth).map((c) => c.chosen), next];
    }
  }
  return null;
}

function counterexample(run: Run, phase: Counterexample['phase'], seed: number): Counterexample {
  return {message: run.failure!, phase, seed, switches: deviations(run.choices), choices: run.choices, trace: run.trace};
}

function failed(schedules: number, found: Counterexample): ExploreResult {
  const switches = `${found.switches} switch${found.switches === 1 ? '' : 'es'}`;
  return {ok: false, schedules, exhaustive: false, summary: `schedule ${schedules} (${switches}) breaks the check: ${found.message}`, counterexample: found};
}

/** Explore the schedules of `program`; see the file comment. */
export function explore(program: Program, options: ExploreOptions = {}): ExploreResult {
  const resolved: Required<ExploreOptions> = {seeds: 200, exhaustiveUpTo: 10_000, mode: 'gil', allowDeadlock: false, allowExceptions: false, ...options};
  checkCount(resolved.seeds, 'seeds');
  checkCount(resolved.exhaustiveUpTo, 'exhaustiveUpTo');
  let runs = 0;
  let schedules = 0;
  /** Every schedule with up to this many deviations has been checked. */
  let completedBound = -1;
  // Systematic phase: round `bound` visits every schedule with at most `bound` deviations and
  // checks those with exactly `bound` (the others were checked in earlier rounds).
  for (let bound = 0; runs < resolved.exhaustiveUpTo; bound += 1) {
    let prefix: number[] | null = [];
    let roundHadAny = false;
    while (prefix !== null && runs < resolved.exhaustiveUpTo) {
      const forced: number[] = prefix;
      const run = runOnce(program, resolved, SYSTEMATIC_SEED, (_point, depth) => forced[depth] ?? 0);
      runs += 1;
      if (deviations(run.choices) === bound) {
        roundHadAny = true;
        schedules += 1;
        if (run.failure !== null) return failed(schedules, counterexample(run, 'systematic', SYSTEMATIC_SEED));
      }
      prefix = nextPrefix(run.choices, bound);
    }
    if (prefix !== null) break;
    // A schedule with more than `bound` deviations would imply one with exactly `bound`.
    if (!roundHadAny) {
      return {ok: true, schedules, exhaustive: true, summary: `none of the ${schedules} possible schedules broke the check (all explored)`, counterexample: null};
    }
    completedBound = bound;
  }
  const systematic = schedules;
  for (let seed = 1; seed <= resolved.seeds; seed += 1) {
    const random = new Random(seed);
    const run = runOnce(program, resolved, seed, (point) => random.intBelow(point.candidates.length));
    schedules += 1;
    if (run.failure !== null) return failed(schedules, counterexample(run, 'random', seed));
  }
  return {
    ok: true,
    schedules,
    exhaustive: false,
    summary: `none of ${schedules} explored schedules broke the check (${systematic} systematic, all of those with up to ${completedBound} switches, and ${resolved.seeds} random); not exhaustive`,
    counterexample: null,
  };
}

/** A counterexample's switches in words, one line per choice that was not the default. */
export function describeSwitches(choices: readonly Choice[]): string[] {
  return choices
    .filter((choice) => choice.chosen !== 0)
    .map((choice) =>
      choice.kind === 'switch'
        ? `t=${choice.time} us: ${choice.candidates[0]} is switched out for ${choice.candidates[choice.chosen]}`
        : `t=${choice.time} us: ${choice.candidates[choice.chosen]} runs before ${choice.candidates[0]}`,
    );
}
