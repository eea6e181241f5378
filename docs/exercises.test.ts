import {existsSync, readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {exercisesInMdx, type IndexedExercise} from '../src/course/exercise-index';
import {TEST_FILE, type ExerciseSpec} from '../src/components/Exercise/spec';
import {Harness} from '../src/runner/harness';
import {createLoader} from '../src/runner/loader';
import {transpile} from '../src/runner/transpile';
import * as sim from '../src/sim';

/**
 * Every exercise of every chapter, graded in Node the way the runner grades it in the page (the
 * same transpiler, loader and test harness): the solution must pass every hidden test and the
 * starter must not. The e2e suite does the same through the page; this check runs in seconds, so
 * an author hears about a broken exercise before building the site. Exercises that import
 * `@course/workers` need the browser's Workers and are graded by the e2e suite only.
 */
const docsDir = new URL('.', import.meta.url).pathname;

type FoundExercise = IndexedExercise & {readonly file: string};

function exercisesIn(file: string): FoundExercise[] {
  return exercisesInMdx(readFileSync(join(docsDir, file), 'utf8'), file).map((exercise) => ({...exercise, file}));
}

const courseModules: Record<string, Record<string, unknown>> = {'@course/sim': sim as Record<string, unknown>};

interface Grade {
  passed: number;
  failed: number;
  problems: string[];
}

/** Runs the hidden tests against the given version of the learner's files. */
async function grade(exercise: FoundExercise, learnerFiles: Record<string, string>): Promise<Grade> {
  const result: Grade = {passed: 0, failed: 0, problems: []};
  const files: Record<string, string> = {};
  for (const [path, source] of Object.entries({...learnerFiles, ...hiddenFiles(exercise.spec)})) {
    const transpiled = transpile(path, source);
    if (!transpiled.ok) return {...result, problems: [`${transpiled.problem.title}: ${transpiled.problem.message}`]};
    files[path] = transpiled.code;
  }
  const loader = createLoader({files, courseModuleNames: Object.keys(courseModules), courseModule: (name) => courseModules[name]});
  const harness = new Harness(
    (event) => {
      const test = event.test as {status?: string; name?: string; errors?: Array<{message: string}>} | undefined;
      if (event.event === 'test_end' && test?.status === 'fail') result.problems.push(`${test.name}: ${test.errors?.map((e) => e.message).join('; ')}`);
    },
    (error) => ({name: (error as Error)?.name ?? 'Error', message: (error as Error)?.message ?? String(error), stack: ''}),
  );
  const globals = globalThis as Record<string, unknown>;
  const saved = {...harness.globals(), expect};
  const previous = Object.fromEntries(Object.keys(saved).map((key) => [key, globals[key]]));
  Object.assign(globals, saved);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const tests = Object.keys(files).filter((path) => TEST_FILE.test(path));
    const run = (async () => {
      for (const path of tests) {
        harness.collect(path, () => loader.load(path));
        await harness.run();
      }
    })();
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${exercise.timeLimitMs} ms`)), exercise.timeLimitMs);
    });
    await Promise.race([run, limit]);
  } catch (error) {
    result.problems.push((error as Error).message);
  } finally {
    clearTimeout(timer);
    Object.assign(globals, previous);
  }
  return {...result, passed: harness.passed, failed: harness.failed};
}

const hiddenFiles = (spec: ExerciseSpec) =>
  Object.fromEntries(Object.entries(spec.files).filter(([, file]) => file.hidden).map(([path, file]) => [path, file.code]));
const starterFiles = (spec: ExerciseSpec) =>
  Object.fromEntries(Object.entries(spec.files).filter(([, file]) => !file.hidden).map(([path, file]) => [path, file.code]));

const chapters = readdirSync(docsDir, {withFileTypes: true})
  .filter((entry) => entry.isDirectory() && existsSync(join(docsDir, entry.name, 'index.mdx')))
  .map((entry) => join(entry.name, 'index.mdx'));

const usesWebWorkers = (exercise: FoundExercise) =>
  Object.values(exercise.spec.files).some((file) => /['"]@course\/workers['"]/.test(file.code));

describe.each(chapters)('the exercises in %s', (file) => {
  for (const exercise of exercisesIn(file)) {
    // Web Workers exist only in the browser: those exercises are graded by e2e/exercises.spec.ts.
    const test = usesWebWorkers(exercise) ? it.skip : it;
    test(`${exercise.id}: the solution passes, the starter does not`, async () => {
      const solved = await grade(exercise, {...starterFiles(exercise.spec), ...exercise.spec.solution});
      expect(solved.problems, `${exercise.file}: ${exercise.id} with its solution`).toEqual([]);
      expect(solved.passed, `${exercise.id}: the solution passed no test at all`).toBeGreaterThan(0);
      const starter = await grade(exercise, starterFiles(exercise.spec));
      expect(starter.failed + starter.problems.length, `${exercise.id}: the starter passes every hidden test`).toBeGreaterThan(0);
    }, 60_000);
  }
});
