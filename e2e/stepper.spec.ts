import AxeBuilder from '@axe-core/playwright';
import type {Locator, Page} from '@playwright/test';
import {expect, expectNoFaults, horizontalOverflow, test} from './site';

const PAGE = 'lab/event-loop/';

/** The stepper on the lab page, once the simulation has answered. */
async function openStepper(page: Page): Promise<Locator> {
  await page.goto(PAGE);
  const stepper = page.getByTestId('event-loop-stepper');
  await stepper.scrollIntoViewIfNeeded();
  await expect(stepper).toHaveAttribute('data-state', 'done', {timeout: 20_000});
  return stepper;
}

const stepOf = async (stepper: Locator) => Number(await stepper.getAttribute('data-step'));

test('the stepper renders the event-loop-anatomy download and steps forwards and back to exactly the same state', async ({page, faults}) => {
  const stepper = await openStepper(page);
  await expect(page.locator('[data-sim="event-loop-anatomy"]')).toHaveAttribute('data-state', 'done');
  await expect(stepper).toHaveAttribute('data-program', 'event-loop-anatomy');
  await expect(stepper).toHaveAttribute('data-step', '0');

  const body = stepper.getByTestId('stepper-body');
  const ready = stepper.getByTestId('stepper-ready');
  const position = stepper.getByTestId('stepper-position');
  await expect(ready).toContainText('Task.__step Task-1');
  await expect(position).toHaveText(/^Step 1 of \d+ · t = 0 µs$/);
  await expect(stepper.getByTestId('stepper-source')).toContainText('await loop.sock_recv(sock, 65536)');
  const first = {body: await body.innerText(), detail: await stepper.getByTestId('stepper-detail').innerText()};

  // Select, process events, move timers, then the one ready handle: the task's first step.
  for (let click = 0; click < 3; click += 1) await stepper.getByTestId('stepper-step').click();
  await expect(stepper).toHaveAttribute('data-step', '3');
  await expect(ready).toContainText('empty');
  await expect(stepper.getByTestId('stepper-tasks')).toContainText('waiting on sock_recv(fd=6)');
  await expect(stepper.getByTestId('stepper-selector')).toContainText('fd 6 → _sock_recv fd=6');
  await expect(position).not.toHaveText(/t = 0 µs$/);
  const third = {body: await body.innerText(), position: await position.innerText()};

  // The next iteration: nothing ready, no timer, so select waits for an fd; then fd 6 is ready.
  await stepper.getByTestId('stepper-next-iteration').click();
  await expect(stepper).toHaveAttribute('data-step', '4');
  await expect(stepper.getByTestId('stepper-selector')).toContainText('None (wait for an fd)');
  await stepper.getByTestId('stepper-step').click();
  await expect(stepper.getByTestId('stepper-selector')).toContainText(/slept\s*216\.\d+ ms/);
  await expect(ready).toContainText('_sock_recv fd=6');
  await expect(position).toContainText('t = 217.');

  await stepper.getByTestId('stepper-back').click();
  await stepper.getByTestId('stepper-back').click();
  await expect(stepper).toHaveAttribute('data-step', '3');
  expect(await body.innerText()).toBe(third.body);
  expect(await position.innerText()).toBe(third.position);

  await stepper.getByTestId('stepper-first').click();
  await expect(stepper).toHaveAttribute('data-step', '0');
  expect(await body.innerText()).toBe(first.body);
  expect(await stepper.getByTestId('stepper-detail').innerText()).toBe(first.detail);

  const slider = stepper.getByTestId('stepper-slider');
  await stepper.getByTestId('stepper-last').click();
  expect(await stepOf(stepper)).toBe(Number(await slider.getAttribute('max')));
  await expect(stepper.getByTestId('stepper-step')).toBeDisabled();
  await expect(stepper.getByTestId('stepper-tasks')).toContainText('done');
  expectNoFaults(faults);
});

test('the stepper steps with the keyboard and announces each phase', async ({page, faults}) => {
  const stepper = await openStepper(page);
  const announcer = stepper.getByTestId('stepper-announcer');
  await expect(announcer).toHaveAttribute('aria-live', 'polite');
  await expect(announcer).toHaveText(/^Iteration 0 · before select: select\(timeout=0\)$/);

  await stepper.getByTestId('stepper-tasks').focus();
  await page.keyboard.press('ArrowRight');
  await expect(stepper).toHaveAttribute('data-step', '1');
  await expect(announcer).toHaveText(/^Iteration 0 · after select/);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  await expect(stepper).toHaveAttribute('data-step', '2');
  await page.keyboard.press('End');
  const last = Number(await stepper.getByTestId('stepper-slider').getAttribute('max'));
  await expect(stepper).toHaveAttribute('data-step', String(last));
  await page.keyboard.press('Home');
  await expect(stepper).toHaveAttribute('data-step', '0');
  // Page Down runs to the next iteration: its select phase.
  await page.keyboard.press('PageDown');
  await expect(announcer).toHaveText(/^Iteration 1 · before select/);
  const iterationStart = await stepOf(stepper);
  expect(iterationStart).toBeGreaterThan(1);
  await page.keyboard.press('PageUp');
  await expect(stepper).toHaveAttribute('data-step', '0');

  // The slider keeps its own arrow keys: one press, one step (not two).
  await stepper.getByTestId('stepper-slider').focus();
  await page.keyboard.press('ArrowRight');
  await expect(stepper).toHaveAttribute('data-step', '1');
  // Buttons take the shortcuts too.
  await stepper.getByTestId('stepper-step').focus();
  await page.keyboard.press('ArrowRight');
  await expect(stepper).toHaveAttribute('data-step', '2');
  expectNoFaults(faults);
});

test('switching program runs it from its first step, and the position survives a reload', async ({page, faults}) => {
  const stepper = await openStepper(page);
  await stepper.getByTestId('stepper-program').selectOption('gather-sleeps');
  await expect(stepper).toHaveAttribute('data-program', 'gather-sleeps');
  await expect(stepper).toHaveAttribute('data-state', 'done');
  await expect(stepper).toHaveAttribute('data-step', '0');
  expect(await stepper.getAttribute('data-sim')).toBeNull();
  await expect(stepper.getByTestId('stepper-source')).toContainText('asyncio.gather(fetch("a", 1), fetch("b", 2), fetch("c", 0.5))');

  // Iteration 2: the three timers, earliest first, and a select that sleeps until the first.
  const nextIteration = stepper.getByTestId('stepper-next-iteration');
  await nextIteration.click();
  await nextIteration.click();
  const timers = stepper.getByTestId('stepper-timers');
  await expect(timers.locator('li')).toHaveText([/sleep\(0\.5\)/, /sleep\(1\)/, /sleep\(2\)/]);
  await expect(stepper.getByTestId('stepper-selector')).toContainText(/timeout\s*0\.49\d+ s/);
  await expect(stepper.getByTestId('stepper-ready')).toContainText('empty');
  const step = await stepOf(stepper);

  await page.reload();
  await stepper.scrollIntoViewIfNeeded();
  await expect(stepper).toHaveAttribute('data-state', 'done', {timeout: 20_000});
  await expect(stepper).toHaveAttribute('data-program', 'gather-sleeps');
  await expect(stepper).toHaveAttribute('data-step', String(step));
  await expect(timers.locator('li')).toHaveCount(3);

  await stepper.getByTestId('stepper-last').click();
  await expect(stepper.getByTestId('stepper-output')).toContainText("['a', 'b', 'c']");
  await expect(stepper.getByTestId('stepper-position')).toContainText('t = 2.0000');

  await stepper.getByTestId('stepper-program').selectOption('blocking-sleep');
  await expect(stepper).toHaveAttribute('data-state', 'done');
  await stepper.getByTestId('stepper-last').click();
  await expect(stepper.getByTestId('stepper-log')).toContainText('Task.__step Task-1');
  await expect(stepper.getByTestId('stepper-output')).toHaveText(/tick 0\s+main: woke up\s+tick 1\s+tick 2/);
  expectNoFaults(faults);
});

test('the server-rendered stepper takes the final size before the simulation answers', async ({browser}) => {
  for (const width of [1280, 390]) {
    const viewport = {width, height: 900};
    const staticContext = await browser.newContext({javaScriptEnabled: false, viewport});
    const staticPage = await staticContext.newPage();
    await staticPage.goto(PAGE);
    const placeholder = (await staticPage.getByTestId('event-loop-stepper').boundingBox())!;
    await staticContext.close();

    const context = await browser.newContext({viewport});
    const page = await context.newPage();
    const stepper = await openStepper(page);
    const loaded = (await stepper.boundingBox())!;
    await stepper.getByTestId('stepper-last').click();
    const atLast = (await stepper.boundingBox())!;
    await context.close();
    expect(Math.abs(loaded.height - placeholder.height), `height at ${width}px`).toBeLessThanOrEqual(1);
    expect(Math.abs(atLast.height - loaded.height), `height at the last step, ${width}px`).toBeLessThanOrEqual(1);
  }
});

for (const mode of [
  {name: 'desktop, light', width: 1280, height: 800, colorScheme: 'light'},
  {name: 'phone, dark', width: 390, height: 800, colorScheme: 'dark'},
] as const) {
  test(`the stepper is accessible and fits (${mode.name})`, async ({page, faults}) => {
    await page.emulateMedia({colorScheme: mode.colorScheme});
    await page.setViewportSize({width: mode.width, height: mode.height});
    const stepper = await openStepper(page);
    await expect(page.locator('html')).toHaveAttribute('data-theme', mode.colorScheme);
    // A step where a task just ran, so the marked source line and the task row are drawn.
    for (let click = 0; click < 3; click += 1) await stepper.getByTestId('stepper-step').click();
    await expect(stepper.getByTestId('stepper-source')).toContainText('← Task-1 (just ran)');
    expect(await horizontalOverflow(page), 'pixels of horizontal overflow').toBeLessThanOrEqual(0);
    const box = (await stepper.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(mode.width);
    const accessibility = await new AxeBuilder({page}).include('[data-testid="event-loop-stepper"]').withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze();
    expect(accessibility.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    expectNoFaults(faults);
  });
}
