import {readFileSync, writeFileSync} from 'node:fs';
import {builtExercises, exerciseOn, loadSolution, openExercise, run} from './exercise';
import {expect, expectNoFaults, test} from './site';

const exercises = builtExercises();
const first = exercises[0];

test('the progress page lists every exercise of the course, not started on a fresh browser', async ({page, faults}) => {
  await page.goto('progress/');
  await expect(page.locator('main')).toHaveAttribute('data-progress-state', 'ready');
  const listed = await page.locator('[data-progress-exercise]').evaluateAll((items) => items.map((item) => item.getAttribute('data-progress-exercise')));
  expect(listed.sort()).toEqual(exercises.map((exercise) => exercise.id).sort());
  await expect(page.locator('[data-progress-exercise][data-status="not started"]')).toHaveCount(exercises.length);
  await expect(page.getByText(`0 of ${exercises.length} exercises passed.`)).toBeVisible();
  expectNoFaults(faults);
});

test('on a phone, the progress page keeps its layout when the states arrive: every exercise sits where the server put it', async ({browser}) => {
  const tops = async (javaScriptEnabled: boolean) => {
    const context = await browser.newContext({javaScriptEnabled, viewport: {width: 360, height: 740}});
    const page = await context.newPage();
    await page.goto('progress/');
    if (javaScriptEnabled) await expect(page.locator('main')).toHaveAttribute('data-progress-state', 'ready');
    const result = await page.locator('[data-progress-exercise]').evaluateAll((items) => items.map((item) => [item.getAttribute('data-progress-exercise'), item.getBoundingClientRect().top + window.scrollY] as const));
    await context.close();
    return result;
  };
  const server = await tops(false);
  const loaded = new Map(await tops(true));
  for (const [id, top] of server) expect(Math.abs(loaded.get(id)! - top), `${id}: ${top} px before the states, ${loaded.get(id)} px after`).toBeLessThanOrEqual(1);
});

test('a passed exercise shows on the progress page, and its progress moves to another browser as a file', async ({page, browser, faults}, testInfo) => {
  test.slow();
  page.on('dialog', (dialog) => dialog.accept());
  await page.goto(first.path);
  const exercise = await openExercise(page, first.id);
  await loadSolution(exercise);
  expect(await run(exercise, 20_000)).toBe('passed');

  await page.goto('progress/');
  const row = page.locator(`[data-progress-exercise="${first.id}"]`);
  await expect(row).toHaveAttribute('data-status', 'passed');
  await expect(page.getByText(`1 of ${exercises.length} exercises passed.`)).toBeVisible();

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', {name: 'Download progress (JSON)'}).click();
  const download = await downloading;
  const saved = testInfo.outputPath('progress.json');
  await download.saveAs(saved);
  const file = JSON.parse(readFileSync(saved, 'utf8')) as {format: string; entries: Record<string, string>};
  expect(file.format).toBe('python-concurrency-course/progress');
  expect(Object.keys(file.entries).some((key) => key.startsWith(`course:exercise:${first.id}@`))).toBe(true);

  // Another browser (a fresh context has empty storage): a bad file is refused and changes nothing.
  const context = await browser.newContext({baseURL: testInfo.project.use.baseURL});
  const other = await context.newPage();
  await other.goto('progress/');
  await expect(other.locator('main')).toHaveAttribute('data-progress-state', 'ready');
  const bad = testInfo.outputPath('not-progress.json');
  writeFileSync(bad, JSON.stringify({hello: 'world'}));
  await other.locator('input[type=file]').setInputFiles(bad);
  await expect(other.getByTestId('progress-message')).toHaveText(/not-progress\.json was not imported: it is not a progress file of this course.*Nothing was changed\./);
  await expect(other.getByRole('alert')).toBeVisible();
  await expect(other.locator(`[data-progress-exercise="${first.id}"]`)).toHaveAttribute('data-status', 'not started');

  await other.locator('input[type=file]').setInputFiles(saved);
  await expect(other.getByTestId('progress-message')).toHaveText(/^Imported progress\.json: \d+ new, 0 updated, 0 already here\.$/);
  await expect(other.locator(`[data-progress-exercise="${first.id}"]`)).toHaveAttribute('data-status', 'passed');

  // The imported work is the exercise's own saved work: the chapter shows it passed, with the code.
  await other.goto(first.path);
  await expect(exerciseOn(other, first.id)).toHaveAttribute('data-state', 'passed');
  await context.close();
  expectNoFaults(faults);
});
