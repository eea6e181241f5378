import {exportPorts} from '../playwright.config';
import {builtExercises, loadSolution, openExercise, run} from './exercise';
import {builtPages, expect, expectNoFaults, rootBuild, test} from './site';

/**
 * The classroom export (`npm run export`), unpacked from export.zip into a temporary folder and
 * served by each of its launchers (scripts/serve-export.ts, started by playwright.config.ts),
 * with every other origin blocked: every page loads whole, search works, and every exercise
 * passes with its solution on one launcher or the other.
 */
const launchers = [
  {name: 'python3 serve.py', port: exportPorts.python},
  {name: 'node serve.mjs', port: exportPorts.node},
];
const pages = rootBuild ? builtPages() : [];
const exercises = rootBuild ? builtExercises() : [];

for (const [index, launcher] of launchers.entries()) {
  test.describe(`the export served by ${launcher.name}`, () => {
    test.skip(!rootBuild, 'an export is made from a root build only');
    test.use({baseURL: `http://127.0.0.1:${launcher.port}/`});

    test('serves every page compressed, whole and self-contained', async ({page, faults}) => {
      test.slow();
      const response = await page.request.get('', {headers: {'Accept-Encoding': 'gzip'}});
      expect(response.headers()['content-encoding']).toBe('gzip');
      for (const path of pages) {
        const response = await page.goto(path, {waitUntil: 'networkidle'});
        expect(response?.status(), `/${path}`).toBe(200);
        await expect(page.locator('.navbar'), `/${path}`).toBeVisible();
      }
      expectNoFaults(faults);
    });

    test('search works', async ({page, faults}) => {
      await page.goto('');
      await page.getByPlaceholder('Search').fill('interpreter');
      await expect(page.getByRole('option').first()).toBeVisible();
      expectNoFaults(faults);
    });

    // Each exercise once, on one launcher or the other: both serve the same files.
    for (const exercise of exercises.filter((_, position) => position % launchers.length === index)) {
      test(`${exercise.id} passes with its solution`, async ({page, faults}) => {
        test.slow();
        page.on('dialog', (dialog) => dialog.accept());
        await page.goto(exercise.path);
        const opened = await openExercise(page, exercise.id);
        await loadSolution(opened);
        expect(await run(opened, 20_000)).toBe('passed');
        expectNoFaults(faults);
      });
    }
  });
}
