import AxeBuilder from '@axe-core/playwright';
import type {Locator, Page} from '@playwright/test';
import {expect, expectNoFaults, horizontalOverflow, test} from './site';

const PAGE = 'lab/threads-and-selectors/';

async function openWidget(page: Page, scenario: string): Promise<Locator> {
  await page.goto(PAGE);
  const widget = page.locator(`[data-sim="${scenario}"]`);
  await widget.scrollIntoViewIfNeeded();
  await expect(widget).toHaveAttribute('data-state', 'done', {timeout: 20_000});
  return widget;
}

const edgeCount = async (widget: Locator, edge: string): Promise<number> => Number(await widget.locator(`[data-edge="${edge}"]`).getAttribute('data-count'));

test.describe('ThreadStates', () => {
  test('renders the thread-lifecycle trace; stepping moves a token, the announcement and the edge counts', async ({page, faults}) => {
    const widget = await openWidget(page, 'thread-lifecycle');
    const announcement = widget.getByTestId('thread-states-announcement');
    const main = widget.locator('[data-token="MainThread"]');
    const downloader = widget.locator('[data-token="downloader"]');
    await expect(announcement).toContainText('every thread is new');
    await expect(main).toHaveAttribute('data-node', 'new');
    await expect(downloader).toHaveAttribute('data-node', 'new');
    const rows = widget.getByTestId('transitions-table').locator('tbody tr');
    const total = await rows.count();
    expect(total).toBeGreaterThanOrEqual(12);
    expect(await edgeCount(widget, 'new->ready')).toBe(0);

    const before = await main.boundingBox();
    await widget.getByTestId('step-forward').click();
    await expect(announcement).toHaveText(new RegExp(`^Step 1 of ${total}, at 0\\.000 ms: MainThread new → ready`));
    await expect(main).toHaveAttribute('data-node', 'ready');
    // The token travels along the edge: an animation runs, then it rests in the ready box.
    expect(await main.evaluate((element) => element.getAnimations().length)).toBeGreaterThan(0);
    await expect.poll(async () => main.evaluate((element) => element.getAnimations().length)).toBe(0);
    const after = await main.boundingBox();
    expect(Math.hypot(after!.x - before!.x, after!.y - before!.y)).toBeGreaterThan(50);
    expect(await edgeCount(widget, 'new->ready')).toBe(1);
    await expect(widget.locator('[data-edge="new->ready"]')).toHaveAttribute('aria-label', /taken 1 time, the current step/);
    await expect(rows.nth(0)).toHaveAttribute('aria-current', 'step');

    await widget.getByTestId('step-back').click();
    await expect(main).toHaveAttribute('data-node', 'new');
    expect(await edgeCount(widget, 'new->ready')).toBe(0);

    // The scrubber, by keyboard: to the end, every thread terminated and each exit counted.
    const scrubber = widget.getByTestId('scrubber');
    await scrubber.focus();
    await page.keyboard.press('End');
    await expect(announcement).toContainText(`Step ${total} of ${total}`);
    await expect(main).toHaveAttribute('data-node', 'terminated');
    await expect(downloader).toHaveAttribute('data-node', 'terminated');
    expect(await edgeCount(widget, 'running->terminated')).toBe(2);
    expect(await edgeCount(widget, 'new->ready')).toBe(2);
    expect(await edgeCount(widget, 'running->blocked:io')).toBe(1);
    expect(await edgeCount(widget, 'blocked:io->ready')).toBe(1);
    expect(await edgeCount(widget, 'running->blocked:join')).toBe(1);
    await page.keyboard.press('ArrowLeft');
    await expect(announcement).toContainText(`Step ${total - 1} of ${total}`);

    // Play from the start walks forward on its own; Pause stops it.
    await scrubber.focus();
    await page.keyboard.press('Home');
    await widget.getByRole('combobox', {name: 'Speed'}).selectOption('4');
    await widget.getByTestId('play').click();
    await expect(announcement).toContainText(/^Step [3-9]/, {timeout: 5000});
    await widget.getByTestId('play').click();
    const paused = await announcement.textContent();
    await page.waitForTimeout(700);
    await expect(announcement).toHaveText(paused!);
    expectNoFaults(faults);
  });

  test('the delay knob moves the transition times; a bad knob is named', async ({page, faults}) => {
    const widget = await openWidget(page, 'thread-lifecycle');
    const ioDone = widget.locator('tr[data-thread="downloader"][data-reason="io done"]');
    const at = async () => Number(await ioDone.getAttribute('data-at-us'));
    const first = await at();
    expect(first).toBeGreaterThan(100_000);
    await widget.getByRole('spinbutton', {name: /delay/}).fill('0.5');
    await expect.poll(at, {timeout: 10_000}).not.toBe(first);
    const moved = (await at()) - first;
    expect(moved).toBeGreaterThan(400_000 - 300);
    expect(moved).toBeLessThan(400_000 + 300);

    // One core: the downloader waits in ready while the main thread runs.
    await widget.getByRole('spinbutton', {name: /cores/}).fill('1');
    await expect(widget.locator('tr[data-thread="downloader"] td:last-child', {hasText: 'on core 0'}).first()).toBeVisible();
    await expect(widget.locator('tr[data-thread="downloader"] td:last-child', {hasText: 'on core 1'})).toHaveCount(0, {timeout: 10_000});

    const delay = widget.getByRole('spinbutton', {name: /delay/});
    await delay.fill('0');
    await expect(delay).toHaveAttribute('aria-invalid', 'true');
    await expect(widget.getByTestId('knob-problem')).toHaveText('delay must be a number of seconds above 0 and at most 3600');
    await delay.fill('');
    await expect(widget.getByTestId('knob-problem')).toHaveText('delay must be a number of seconds above 0 and at most 3600');
    await delay.fill('0.2');
    await expect(widget.getByTestId('knob-problem')).toHaveCount(0);
    await widget.getByRole('spinbutton', {name: /cores/}).fill('0');
    await expect(widget.getByTestId('knob-problem')).toHaveText('cores must be an integer from 1 to 256');
    // The last good run stays on screen.
    await expect(widget).toHaveAttribute('data-state', 'done');
    expectNoFaults(faults);
  });
});

test.describe('MultiplexingChart', () => {
  test('draws three series; select ends at the 1024 limit with CPython’s error', async ({page, faults}) => {
    const widget = await openWidget(page, 'multiplexing-scaling');
    const chart = widget.getByTestId('multiplexing-chart').locator('svg[role="img"]');
    await expect(chart).toBeVisible();
    for (const kind of ['select', 'poll', 'epoll']) await expect(chart.locator(`path[data-series="${kind}"]`)).toHaveCount(1);
    await expect(chart).toHaveAttribute('data-select-fails-at', '1022');
    await expect(widget.getByTestId('select-error')).toContainText('ValueError: filedescriptor out of range in select()');
    await expect(widget.getByTestId('select-error')).toContainText('select stops at 1,021 watched fds');
    await expect(widget.getByTestId('select-error')).toContainText('the highest is fd 1,023');
    // The select line stops where the FD_SETSIZE rule stands; poll's goes on to the right edge.
    const rightmost = async (kind: string) =>
      chart.locator(`path[data-series="${kind}"]`).evaluate((path) => {
        const box = (path as SVGPathElement).getBBox();
        return box.x + box.width;
      });
    expect(await rightmost('select')).toBeLessThan((await rightmost('poll')) * 0.8);
    await expect(widget.getByTestId('multiplexing-summary-text')).toContainText(/while epoll still takes \d/);
    expectNoFaults(faults);
  });

  test('the ready knob changes epoll’s cost only; the table toggles', async ({page, faults}) => {
    const widget = await openWidget(page, 'multiplexing-scaling');
    const toggle = widget.getByTestId('table-toggle');
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(widget.getByTestId('cost-table')).toHaveCount(0);
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const table = widget.getByTestId('cost-table');
    await expect(table).toBeVisible();
    const cell = (watched: number, kind: string) => table.locator(`tr[data-watched="${watched}"] td[data-kind="${kind}"]`);
    await expect(cell(1021, 'select')).toHaveText(/µs$/);
    await expect(cell(1022, 'select')).toHaveText('ValueError');
    await expect(cell(10_000, 'select')).toHaveText('ValueError');
    const epollBefore = await cell(1000, 'epoll').textContent();
    const pollBefore = await cell(1000, 'poll').textContent();

    await widget.getByRole('spinbutton', {name: /ready per call/}).fill('200');
    await expect(cell(1000, 'epoll')).not.toHaveText(epollBefore!, {timeout: 10_000});
    expect(parseFloat((await cell(1000, 'epoll').textContent())!)).toBeGreaterThan(parseFloat(epollBefore!) * 5);
    await expect(cell(1000, 'poll')).toHaveText(pollBefore!);
    await expect(widget.getByTestId('multiplexing-summary-text')).toContainText('With 200 fds ready per call');

    await widget.getByRole('spinbutton', {name: /ready per call/}).fill('0');
    await expect(widget.getByTestId('knob-problem')).toHaveText('n must be an integer from 1 to 10000');

    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(widget.getByTestId('cost-table')).toHaveCount(0);
    expectNoFaults(faults);
  });

  test('the per-mechanism summary shows multiplexing-summary', async ({page, faults}) => {
    const widget = await openWidget(page, 'multiplexing-summary');
    const rows = widget.getByTestId('mechanism-table').locator('tbody tr');
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(0)).toContainText('1024');
    await expect(widget.locator('tr[data-kind="epoll"]')).toContainText('yes');
    await expect(widget.locator('tr[data-kind="epoll"] td[data-cost]')).toContainText('O(ready fds)');
    await expect(widget.locator('tr[data-kind="select"] td[data-cost]')).toContainText('O(watched fds)');
    expectNoFaults(faults);
  });
});

const viewports = [
  {name: 'desktop, light', width: 1280, height: 800, colorScheme: 'light' as const},
  {name: '390 px phone, dark', width: 390, height: 800, colorScheme: 'dark' as const},
];

for (const viewport of viewports) {
  test(`the widgets are accessible and fit on a ${viewport.name}`, async ({page, faults}) => {
    await page.emulateMedia({colorScheme: viewport.colorScheme});
    await page.setViewportSize({width: viewport.width, height: viewport.height});
    for (const scenario of ['thread-lifecycle', 'multiplexing-scaling', 'multiplexing-summary']) {
      const widget = page.locator(`[data-sim="${scenario}"]`);
      if (!(await page.url().endsWith(PAGE))) await page.goto(PAGE);
      await widget.scrollIntoViewIfNeeded();
      await expect(widget).toHaveAttribute('data-state', 'done', {timeout: 20_000});
    }
    // A step in, and the table open, so that axe sees the current edge and the table too.
    const states = page.locator('[data-sim="thread-lifecycle"]');
    await states.getByTestId('step-forward').click();
    await page.locator('[data-sim="multiplexing-scaling"]').getByTestId('table-toggle').click();
    await expect(page.locator('[data-sim="multiplexing-scaling"] svg[role="img"]')).toBeVisible();
    expect(await horizontalOverflow(page), 'pixels of horizontal overflow').toBeLessThanOrEqual(0);
    const accessibility = await new AxeBuilder({page}).include('[data-sim]').withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze();
    expect(accessibility.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    expectNoFaults(faults);
  });

  test(`the server renders each widget at its final height (${viewport.name})`, async ({browser}) => {
    const size = {width: viewport.width, height: viewport.height};
    const heights = async (javaScriptEnabled: boolean) => {
      const context = await browser.newContext({javaScriptEnabled, viewport: size, colorScheme: viewport.colorScheme});
      const page = await context.newPage();
      await page.goto(PAGE);
      const result: Record<string, number> = {};
      for (const scenario of ['thread-lifecycle', 'multiplexing-scaling', 'multiplexing-summary']) {
        const widget = page.locator(`[data-sim="${scenario}"]`);
        if (javaScriptEnabled) {
          await widget.scrollIntoViewIfNeeded();
          await expect(widget).toHaveAttribute('data-state', 'done', {timeout: 20_000});
        }
        result[scenario] = (await widget.boundingBox())!.height;
      }
      await context.close();
      return result;
    };
    const server = await heights(false);
    const loaded = await heights(true);
    for (const scenario of Object.keys(server)) expect(Math.abs(loaded[scenario] - server[scenario]), `${scenario}: ${server[scenario]} px before, ${loaded[scenario]} px after`).toBeLessThanOrEqual(2);
  });
}
