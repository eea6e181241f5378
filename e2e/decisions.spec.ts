import AxeBuilder from '@axe-core/playwright';
import type {Locator, Page} from '@playwright/test';
import {expect, expectNoFaults, horizontalOverflow, test} from './site';

const PATH = 'lab/choosing/';

/** A tree once it has hydrated and applied the saved answers (the server's HTML already shows its title). */
async function openTree(page: Page, id: string, title: string): Promise<Locator> {
  const tree = page.locator(`[data-decision="${id}"]`);
  await tree.scrollIntoViewIfNeeded();
  await expect(tree.getByRole('heading', {level: 3})).toHaveText(title);
  await expect(tree.locator('[data-hydrated]')).toHaveCount(1);
  return tree;
}

const answerButton = (tree: Locator, id: string) => tree.locator(`button[data-answer="${id}"]`);
const currentHeading = (tree: Locator) => tree.locator('h4');
const saved = (page: Page, id: string) => page.evaluate((key) => localStorage.getItem(key), `course:decision:${id}`);

/** Each body cell of the row holds a number (the simulated value) and the seed column a number or a dash. */
async function expectNumbers(result: Locator, rowKey: string): Promise<string> {
  const cells = result.locator(`tr[data-row="${rowKey}"] td`);
  await expect(cells).toHaveCount(2);
  const simulated = (await cells.nth(0).textContent())!;
  expect(simulated).toMatch(/^-?[\d,]+(\.\d+)?( \S+)?$/);
  return simulated;
}

test('seed 004’s tree: answered by keyboard to a leaf whose scenario runs; another answer leads elsewhere; reload keeps the answers; start over resets', async ({page, faults}) => {
  await page.goto(PATH);
  await openTree(page, 'by-workload', 'Pick a model by what the work does');
  const tree = await openTree(page, 'cpu-or-io', 'CPU or I/O first');
  await expect(currentHeading(tree)).toContainText('Question 1');
  await expect(tree.getByRole('button', {name: 'Start over'})).toBeDisabled();

  // Keyboard only: Tab from the first answer to the second ("No: it mostly waits"), Enter.
  await answerButton(tree, 'cpu').focus();
  await page.keyboard.press('Tab');
  await expect(answerButton(tree, 'io')).toBeFocused();
  await page.keyboard.press('Enter');
  // The next question takes focus; Tab reaches its first answer ("Blocking ones"), Enter.
  await expect(currentHeading(tree)).toBeFocused();
  await expect(currentHeading(tree)).toContainText('Which client libraries');
  await page.keyboard.press('Tab');
  await expect(answerButton(tree, 'sync')).toBeFocused();
  await page.keyboard.press('Enter');

  const leaf = tree.locator('[data-leaf="thread-pool"]');
  await expect(leaf).toBeVisible();
  await expect(currentHeading(tree)).toBeFocused();
  await expect(leaf).toContainText('What changed in recent CPython');
  await expect(leaf).toContainText('Free-threaded builds (3.13t, 3.14t)');
  await expect(leaf).toContainText('Subinterpreters (3.14)');
  await expect(leaf).toContainText('Start method (Linux default from 3.14)');
  await expect(tree.getByRole('navigation')).toContainText('CPU-bound?: No: it mostly waits on I/O');

  // "Show me" is the next stop for Tab after the leaf's heading.
  await page.keyboard.press('Tab');
  const showMe = leaf.getByRole('button', {name: 'Show me'});
  await expect(showMe).toBeFocused();
  await page.keyboard.press('Enter');
  const result = leaf.locator('[data-sim="io-fetch"]');
  await expect(result).toHaveAttribute('data-state', 'done', {timeout: 20_000});
  await expect(result.locator('caption')).toContainText('n 5 · delay 1 s · workers 5');
  const threads = await expectNumbers(result, 'threads');
  expect(Number.parseFloat(threads)).toBeGreaterThan(0.9);
  expect(Number.parseFloat(threads)).toBeLessThan(1.2);
  await expect(result.locator('tr[data-row="serial"] td').nth(1)).toHaveText('5.2 s');

  // Change the first answer: the question comes back with the earlier answer marked; another leaf follows.
  await tree.getByRole('button', {name: 'Change this answer: CPU-bound?'}).press('Enter');
  await expect(currentHeading(tree)).toBeFocused();
  await expect(currentHeading(tree)).toContainText('Question 1');
  await expect(answerButton(tree, 'io')).toContainText('(your earlier answer)');
  await expect(tree.getByRole('navigation')).toHaveCount(0);
  await answerButton(tree, 'cpu').press('Enter');
  await answerButton(tree, 'native').press('Enter');
  const otherLeaf = tree.locator('[data-leaf="release-gil"]');
  await expect(otherLeaf).toBeVisible();
  await expect(tree.locator('[data-leaf="thread-pool"]')).toHaveCount(0);
  await otherLeaf.getByRole('button', {name: 'Show me'}).press('Enter');
  const otherResult = otherLeaf.locator('[data-sim="gil-cpu-threads"]');
  await expect(otherResult).toHaveAttribute('data-state', 'done', {timeout: 20_000});
  await expectNumbers(otherResult, 'gil-4');
  // Six chosen rows first; the rest on request.
  await expect(otherResult.locator('tbody tr')).toHaveCount(6);
  await otherResult.getByRole('button', {name: /Show the other \d+ rows/}).click();
  await expect(otherResult.locator('tbody tr')).toHaveCount(13);
  expect(JSON.parse((await saved(page, 'cpu-or-io'))!)).toEqual({answers: ['cpu', 'native']});

  // A reload keeps the answers (and the other tree is untouched).
  await page.reload();
  const reloaded = await openTree(page, 'cpu-or-io', 'CPU or I/O first');
  await expect(reloaded.locator('[data-leaf="release-gil"]')).toBeVisible();
  await expect(reloaded.getByRole('navigation').locator('li')).toHaveCount(2);
  await expect(currentHeading(await openTree(page, 'by-workload', 'Pick a model by what the work does'))).toContainText('Question 1');
  expect(await saved(page, 'by-workload')).toBeNull();

  // Start over: back to the first question, nothing saved, still so after a reload.
  await reloaded.getByRole('button', {name: 'Start over'}).press('Enter');
  await expect(currentHeading(reloaded)).toContainText('Question 1');
  await expect(currentHeading(reloaded)).toBeFocused();
  await expect(reloaded.getByRole('navigation')).toHaveCount(0);
  expect(await saved(page, 'cpu-or-io')).toBeNull();
  await page.reload();
  await expect(currentHeading(await openTree(page, 'cpu-or-io', 'CPU or I/O first'))).toContainText('Question 1');

  expectNoFaults(faults);
});

test('seed 000’s tree: the thread leaf and the many-threads leaf run different presets, and the whole tree lists every branch', async ({page, faults}) => {
  await page.goto(PATH);
  const tree = await openTree(page, 'by-workload', 'Pick a model by what the work does');
  for (const answer of ['io', 'mostly-waiting', 'sync-only', 'up-to-hundred']) await answerButton(tree, answer).press('Enter');
  const threads = tree.locator('[data-leaf="threads"]');
  await expect(threads).toContainText('The seed’s advice: partly right');
  await threads.getByRole('button', {name: 'Show me'}).press('Enter');
  const fetch = threads.locator('[data-sim="io-fetch"]');
  await expect(fetch).toHaveAttribute('data-state', 'done', {timeout: 20_000});
  await expect(fetch.locator('caption')).toContainText('n 100 · delay 1 s · workers 100');
  expect(Number.parseFloat(await expectNumbers(fetch, 'serial'))).toBeGreaterThan(90);

  // The last answer changed: thousands of calls in flight lead to ten-thousand-tasks instead.
  await tree.getByRole('button', {name: 'Change this answer: Calls in flight'}).press('Enter');
  await answerButton(tree, 'thousands').press('Enter');
  const many = tree.locator('[data-leaf="many-threads"]');
  await many.getByRole('button', {name: 'Show me'}).press('Enter');
  const memory = many.locator('[data-sim="ten-thousand-tasks"]');
  await expect(memory).toHaveAttribute('data-state', 'done', {timeout: 20_000});
  await expectNumbers(memory, 'threads-reserved');
  await expect(memory.locator('tr[data-row="threads-reserved"] td').nth(1)).toHaveText('80 GiB');

  // The whole tree as nested lists: every question and recommendation, the learner's path marked.
  const toggle = tree.getByRole('button', {name: 'See the whole tree'});
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.press('Enter');
  await expect(tree.getByRole('button', {name: 'Hide the whole tree'})).toHaveAttribute('aria-expanded', 'true');
  const whole = tree.locator(`[id="${await tree.getByRole('button', {name: 'Hide the whole tree'}).getAttribute('aria-controls')}"]`);
  for (const title of ['Processes: a ProcessPoolExecutor', 'Separate processes for separate jobs', 'asyncio with the async libraries', 'Threads: a ThreadPoolExecutor sized to the calls']) {
    await expect(whole).toContainText(`Recommendation: ${title}`);
  }
  await expect(whole.getByText('(your answer)')).toHaveCount(4);

  expectNoFaults(faults);
});

test('the server renders each tree’s first question, and the page keeps its height once the tree has hydrated', async ({browser, page, faults}) => {
  const noScript = await browser.newContext({javaScriptEnabled: false, viewport: {width: 1280, height: 800}});
  const staticPage = await noScript.newPage();
  await staticPage.goto(PATH);
  await page.setViewportSize({width: 1280, height: 800});
  await page.goto(PATH);
  for (const [id, title] of [['by-workload', 'Pick a model by what the work does'], ['cpu-or-io', 'CPU or I/O first']] as const) {
    const frame = staticPage.locator(`[data-decision="${id}"]`);
    await expect(frame.locator('h4')).toContainText('Question 1');
    await expect(frame.locator('button[data-answer]').first()).toBeVisible();
    const before = (await frame.boundingBox())!.height;
    const loaded = await openTree(page, id, title);
    const after = (await loaded.boundingBox())!.height;
    expect(Math.abs(after - before), `${id}: ${before}px before, ${after}px after`).toBeLessThanOrEqual(2);
  }
  await noScript.close();
  expectNoFaults(faults);
});

const viewports = {
  'desktop in light mode': {width: 1280, height: 800, colorScheme: 'light'},
  'phone in dark mode': {width: 375, height: 740, colorScheme: 'dark'},
} as const;

for (const [name, {colorScheme, ...size}] of Object.entries(viewports)) {
  test(`leaves with their results and the whole tree open pass axe and fit the page (${name})`, async ({page, faults}) => {
    await page.emulateMedia({colorScheme});
    await page.setViewportSize(size);
    await page.goto(PATH);
    const paths = {'cpu-or-io': ['cpu', 'python', 'large'], 'by-workload': ['io', 'mostly-waiting', 'sync-only', 'thousands']};
    for (const [id, answers] of Object.entries(paths)) {
      const tree = page.locator(`[data-decision="${id}"]`);
      await tree.scrollIntoViewIfNeeded();
      await expect(tree.locator('[data-hydrated]')).toHaveCount(1);
      for (const answer of answers) await answerButton(tree, answer).click();
      await tree.getByRole('button', {name: 'Show me'}).click();
      await expect(tree.locator('[data-sim]')).toHaveAttribute('data-state', 'done', {timeout: 20_000});
      await tree.getByRole('button', {name: 'See the whole tree'}).click();
    }
    expect(await horizontalOverflow(page), 'pixels of horizontal overflow').toBeLessThanOrEqual(0);
    const accessibility = await new AxeBuilder({page}).include('[data-decision]').withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze();
    expect(accessibility.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    expectNoFaults(faults);
  });
}
