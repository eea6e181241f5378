import {builtExercises, codeIn, editorOf, exerciseOn, FINAL, frameDelay, loadSolution, openExercise, run, setCode} from './exercise';
import {expect, expectNoFaults, test} from './site';

const exercises = builtExercises();

test('the site has exercises, each with a unique id', () => {
  expect(exercises.length).toBeGreaterThanOrEqual(3);
  expect(new Set(exercises.map((exercise) => exercise.id)).size).toBe(exercises.length);
});

for (const {id, path} of exercises) {
  test(`${id}: the starter fails, the loaded solution passes, and the result is kept`, async ({page, faults}) => {
    test.slow();
    page.on('dialog', (dialog) => dialog.accept());
    await page.goto(path);
    const exercise = await openExercise(page, id);
    const starter = await codeIn(exercise);

    expect(await run(exercise, 20_000)).not.toBe('passed');
    await expect(exercise.getByTestId('exercise-result')).toHaveText(/^\d+ passed, [1-9]\d* failed$|^0 passed, 0 failed$/);

    await exercise.getByTestId('exercise-hint').click();
    await expect(exercise.getByRole('note', {name: 'Hint'})).toBeVisible();

    await loadSolution(exercise);
    await expect.poll(() => codeIn(exercise)).not.toBe(starter);
    const solution = await codeIn(exercise);
    expect(await run(exercise, 20_000)).toBe('passed');
    await expect(exercise.getByTestId('exercise-result')).toHaveText(/^[1-9]\d* passed, 0 failed$/);

    await page.reload();
    const reloaded = await openExercise(page, id);
    await expect(reloaded).toHaveAttribute('data-state', 'passed');
    expect(await codeIn(reloaded)).toBe(solution);

    expectNoFaults(faults);
  });
}

test.describe('the exercise engine', () => {
  const id = 'foundations/start-them-all';
  const path = 'foundations/';
  const valid = "import {fetchPrice} from './api';\nexport const fetchAllPrices = (s: string[]) => Promise.all(s.map(fetchPrice));\n";

  test.beforeEach(async ({page}) => {
    page.on('dialog', (dialog) => dialog.accept());
    await page.goto(path);
  });

  test('shows the starter as text until the exercise comes near, without moving the page', async ({page, faults}) => {
    const exercise = exerciseOn(page, id);
    expect(page.frames().some((frame) => frame.url().includes('/runner/'))).toBe(false);
    await expect(exercise.locator('pre', {hasText: 'fetchAllPrices'})).toBeAttached();
    const before = await exercise.evaluate((element) => {
      const toolbar = element.querySelector('[data-testid="exercise-run"]')!.getBoundingClientRect();
      return toolbar.top - element.getBoundingClientRect().top;
    });
    await openExercise(page, id);
    const after = await exercise.evaluate((element) => {
      const toolbar = element.querySelector('[data-testid="exercise-run"]')!.getBoundingClientRect();
      return toolbar.top - element.getBoundingClientRect().top;
    });
    expect(Math.abs(after - before)).toBeLessThanOrEqual(1);
    expect(page.frames().some((frame) => frame.url().includes('/runner/'))).toBe(true);
    expectNoFaults(faults);
  });

  test('an endless loop ends in a timeout with a message, and the page stays responsive', async ({page, faults}) => {
    const exercise = await openExercise(page, id);
    await setCode(page, exercise, 'export async function fetchAllPrices() {\n  while (true) {}\n}\n');
    await exercise.getByTestId('exercise-run').click();
    await expect(exercise).toHaveAttribute('data-state', 'running');
    expect(await frameDelay(page)).toBeLessThan(500);
    await exercise.getByTestId('exercise-hint').click();
    await expect(exercise.getByRole('note', {name: 'Hint'})).toBeVisible();
    await expect(exercise).toHaveAttribute('data-state', 'timeout', {timeout: 8_000});
    await expect(exercise.getByTestId('exercise-message')).toContainText('time limit');
    expectNoFaults(faults);
  });

  test('a test that never ends (a promise never settled) times out too', async ({page, faults}) => {
    const exercise = await openExercise(page, id);
    await setCode(page, exercise, 'export function fetchAllPrices(): Promise<number[]> {\n  return new Promise(() => {});\n}\n');
    expect(await run(exercise)).toBe('timeout');
    expectNoFaults(faults);
  });

  test('a syntax error names the file, line and column', async ({page, faults}) => {
    const exercise = await openExercise(page, id);
    await setCode(page, exercise, 'export function fetchAllPrices() {\n  return [1, 2;\n}\n');
    expect(await run(exercise)).toBe('error');
    await expect(exercise.getByTestId('exercise-message')).toContainText(/SyntaxError: .*\(\/index\.ts:2:\d+\)/);
    expectNoFaults(faults);
  });

  test("a thrown exception shows the learner's own line number", async ({page, faults}) => {
    const exercise = await openExercise(page, id);
    await setCode(page, exercise, "export function fetchAllPrices() {\n  return [];\n}\nthrow new RangeError('no prices today');\n");
    expect(await run(exercise)).toBe('error');
    await expect(exercise.getByTestId('exercise-message')).toContainText('RangeError: no prices today (/index.ts:4:');
    expectNoFaults(faults);
  });

  test('100,000 lines of output are cut with a note, and the page stays responsive', async ({page, faults}) => {
    const exercise = await openExercise(page, id);
    await setCode(page, exercise, `${valid}for (let i = 0; i < 100000; i++) console.log('line', i);\n`);
    expect(await run(exercise)).toBe('passed');
    await expect(exercise.locator('.sp-console')).toContainText('output truncated');
    expect(await frameDelay(page)).toBeLessThan(500);
    expectNoFaults(faults);
  });

  test('exercise code can import the simulator as @course/sim', async ({page, faults}) => {
    const exercise = await openExercise(page, id);
    await setCode(
      page,
      exercise,
      `import {runScenario} from '@course/sim';\n${valid}const threads = runScenario('io-fetch').rows.find((row) => row.key === 'threads')!;\nconsole.log('simulated: 5 downloads with threads take', threads.value.toFixed(2), 's');\n`,
    );
    expect(await run(exercise)).toBe('passed');
    await expect(exercise.locator('.sp-console')).toContainText('simulated: 5 downloads with threads take 1.01 s');
    expectNoFaults(faults);
  });

  test('a memory bomb is stopped with a message, and the next run works', async ({page, faults}) => {
    test.slow();
    const exercise = await openExercise(page, id);
    await setCode(page, exercise, 'const hoard: number[][] = [];\nwhile (true) hoard.push(new Array(1e6).fill(7));\n');
    await exercise.getByTestId('exercise-run').click();
    expect(await frameDelay(page)).toBeLessThan(500);
    await expect(exercise).toHaveAttribute('data-state', /^(timeout|error)$/, {timeout: 10_000});
    await expect(exercise.getByTestId('exercise-message')).toContainText(/time limit|memory/);
    await setCode(page, exercise, valid);
    expect(await run(exercise)).toBe('passed');
    expectNoFaults(faults);
  });

  test('edits survive a reload; reset asks first and keeps the code when refused', async ({page, faults}) => {
    page.removeAllListeners('dialog');
    const exercise = await openExercise(page, id);
    await setCode(page, exercise, `${valid}// my edit\n`);
    expect(await run(exercise)).toBe('passed'); // the run's result is saved with the code
    await page.reload();
    const reloaded = await openExercise(page, id);
    await expect(editorOf(reloaded)).toContainText('// my edit');
    await expect(reloaded).toHaveAttribute('data-state', 'passed');

    page.once('dialog', (dialog) => dialog.dismiss());
    await reloaded.getByTestId('exercise-reset').click();
    await expect(editorOf(reloaded)).toContainText('// my edit');

    page.once('dialog', (dialog) => dialog.accept());
    await reloaded.getByTestId('exercise-reset').click();
    await expect(editorOf(reloaded)).not.toContainText('// my edit');
    await expect(editorOf(reloaded)).toContainText('for (const symbol of symbols)');
    await expect(reloaded).toHaveAttribute('data-state', 'idle');
    expectNoFaults(faults);
  });

  test('corrupted saved work falls back to the starter', async ({page, faults}) => {
    const exercise = await openExercise(page, id);
    await setCode(page, exercise, `${valid}// saved\n`);
    await page.waitForTimeout(500);
    const corrupted = await page.evaluate((prefix) => {
      const keys = Object.keys(localStorage).filter((key) => key.startsWith(prefix));
      for (const key of keys) localStorage.setItem(key, '{"files": {"/index.ts": 42}, "res');
      return keys.length;
    }, `course:exercise:${id}@`);
    expect(corrupted).toBe(1);
    await page.reload();
    const reloaded = await openExercise(page, id);
    await expect(editorOf(reloaded)).toContainText('for (const symbol of symbols)');
    expect(await run(reloaded)).toBe('failed');
    expectNoFaults(faults);
  });

  test('full storage is reported without breaking the exercise', async ({page, faults}) => {
    const exercise = await openExercise(page, id);
    // Fill the storage to the last byte: big blocks first, then ever smaller ones.
    await page.evaluate(() => {
      let n = 0;
      for (let size = 256 * 1024; size >= 1; size = Math.floor(size / 2)) {
        try {
          for (;;) localStorage.setItem(`filler-${n++}`, 'x'.repeat(size));
        } catch {
          // full at this size: try a smaller one
        }
      }
    });
    await setCode(page, exercise, valid);
    await expect(exercise.getByText('could not be saved')).toBeVisible();
    expect(await run(exercise)).toBe('passed');
    await page.evaluate(() => localStorage.clear());
    expectNoFaults(faults);
  });

  test('two exercises on one page run independently, at the same time', async ({page, faults}) => {
    test.slow();
    const first = await openExercise(page, id);
    await setCode(page, first, valid);
    const second = await openExercise(page, 'foundations/give-up-in-time');
    await first.getByTestId('exercise-run').click();
    await second.getByTestId('exercise-run').click();
    await expect(first).toHaveAttribute('data-state', 'passed', {timeout: 15_000});
    await expect(second).toHaveAttribute('data-state', FINAL, {timeout: 15_000});
    await expect(second).not.toHaveAttribute('data-state', 'passed');
    await expect(first.getByTestId('exercise-result')).toHaveText('4 passed, 0 failed');
    expectNoFaults(faults);
  });
});
