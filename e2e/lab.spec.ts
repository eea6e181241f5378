import {expect, test} from './site';
import {scenarios} from '../src/sim/scenarios';

test.describe('the scenario labs', () => {
  test('every scenario of the simulator runs on the lab page and draws its table', async ({page, faults}) => {
    test.setTimeout(180_000);
    await page.goto('lab/scenarios/');
    const ids = await page.locator('[data-sim]').evaluateAll((elements) => elements.map((element) => element.getAttribute('data-sim')));
    expect([...ids].sort()).toEqual(scenarios.map((scenario) => scenario.id).sort());
    for (const id of ids) {
      const lab = page.locator(`[data-sim="${id}"]`);
      await lab.scrollIntoViewIfNeeded();
      await expect(lab, `scenario ${id}`).toHaveAttribute('data-state', 'done', {timeout: 30_000});
      await expect(lab.locator('tbody tr').first()).toBeVisible();
      await expect(lab.locator('[role="alert"]')).toHaveCount(0);
    }
    expect(faults.consoleErrors).toEqual([]);
    expect(faults.pageErrors).toEqual([]);
    expect(faults.external).toEqual([]);
  });

  test('a knob change reruns the scenario and changes the result; a bad knob is named and keeps the last result', async ({page}) => {
    await page.goto('lab/scenarios/');
    const lab = page.locator('[data-sim="io-fetch"]');
    await lab.scrollIntoViewIfNeeded();
    await expect(lab).toHaveAttribute('data-state', 'done', {timeout: 30_000});
    const serial = lab.locator('[data-row="serial"] td').first();
    const before = Number(await serial.getAttribute('data-value'));
    expect(before).toBeGreaterThan(4.5);
    // The seed's 5 × 1 s figures are shown beside the simulated ones.
    await expect(lab.locator('[data-row="serial"]')).toContainText('5.2 s');

    await lab.getByLabel('n (tasks, requests, items)').fill('10');
    await expect(async () => expect(Number(await serial.getAttribute('data-value'))).toBeGreaterThan(9.5)).toPass({timeout: 15_000});
    await expect(lab).toHaveAttribute('data-state', 'done');

    await lab.getByLabel('cores').fill('0');
    await expect(lab.getByTestId('knob-problem')).toHaveText('cores must be an integer from 1 to 256');
    await expect(lab.getByLabel('cores')).toHaveAttribute('aria-invalid', 'true');
    expect(Number(await serial.getAttribute('data-value'))).toBeGreaterThan(9.5);

    await lab.getByRole('button', {name: 'Reset knobs'}).click();
    await expect(async () => expect(Number(await serial.getAttribute('data-value'))).toBeLessThan(5.5)).toPass({timeout: 15_000});
    await expect(lab.getByTestId('knob-problem')).toHaveCount(0);
  });

  test('a lab draws its runs on a timeline on request, and says so when a scenario has none', async ({page, faults}) => {
    await page.goto('lab/scenarios/');
    const lab = page.locator('[data-sim="io-fetch"]');
    await lab.scrollIntoViewIfNeeded();
    await expect(lab).toHaveAttribute('data-state', 'done', {timeout: 30_000});
    await expect(lab.locator('canvas')).toHaveCount(0);
    await lab.getByRole('button', {name: 'Watch the runs on a timeline'}).click();
    await expect(lab.locator('canvas[role="img"]')).toBeVisible({timeout: 30_000});
    await expect(lab.locator('canvas[role="img"]')).toHaveAttribute('aria-label', /lane/);

    const costs = page.locator('[data-sim="models-compare"]');
    await costs.scrollIntoViewIfNeeded();
    await expect(costs).toHaveAttribute('data-state', 'done', {timeout: 30_000});
    await costs.getByRole('button', {name: 'Watch the runs on a timeline'}).click();
    await expect(costs).toContainText('there is no timeline to draw');
    expect(faults.consoleErrors).toEqual([]);
    expect(faults.pageErrors).toEqual([]);
  });
});
