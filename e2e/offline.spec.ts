import {builtExercises, loadSolution, openExercise, run} from './exercise';
import {expect, test} from './site';

/**
 * After one visit online, the course keeps working offline: pages not visited yet, an exercise
 * (the runner, its jail frame and Worker), the simulator's Worker, and search.
 */
test.use({serviceWorkers: 'allow'});

test('after the first visit, pages, exercises and search work offline', async ({page, context}) => {
  test.slow();
  await page.goto('');
  // The service worker is active once it has precached the whole course.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  await context.setOffline(true);
  const exercise = builtExercises().find((candidate) => candidate.path !== '')!;
  page.on('dialog', (dialog) => dialog.accept());
  await page.goto(exercise.path);
  await expect(page.locator('article h1')).toBeVisible();

  const opened = await openExercise(page, exercise.id);
  await loadSolution(opened);
  expect(await run(opened, 30_000)).toBe('passed');

  const widget = page.locator('[data-sim]').first();
  if ((await widget.count()) > 0) {
    await widget.scrollIntoViewIfNeeded();
    await expect(widget).toHaveAttribute('data-state', 'done', {timeout: 30_000});
  }

  await page.goto('');
  await page.getByPlaceholder('Search').fill('interpreter');
  await expect(page.getByRole('option').first()).toBeVisible();
});
