import type {Locator, Page} from '@playwright/test';
import {runScenario} from '../src/sim';
import type {Timeline} from '../src/sim/timeline';
import {expect, expectNoFaults, horizontalOverflow, test} from './site';

const LAB = 'lab/timelines/';
// The component's geometry (src/components/sim/Timeline/geometry.ts), to point at a lane.
const AXIS_HEIGHT = 28;
const LANE_HEIGHT = 32;

/** The same runs the page's Worker simulates: the simulator is deterministic. */
const timelinesOf = (id: string): Timeline[] => runScenario(id, {}).timelines;

async function openWidget(page: Page, id: string): Promise<Locator> {
  const widget = page.locator(`[data-sim="${id}"]`);
  await widget.scrollIntoViewIfNeeded();
  await expect(widget).toHaveAttribute('data-state', 'done', {timeout: 30_000});
  await expect(widget.locator('canvas[role="img"]')).toHaveAttribute('data-draws', /\d+/);
  return widget;
}

/** Painted pixels in the lanes (below the axis) and how many distinct colours they hold. */
async function lanePixels(canvas: Locator): Promise<{painted: number; colours: number}> {
  return canvas.evaluate((element: HTMLCanvasElement) => {
    const ratio = element.width / element.clientWidth;
    const top = Math.round(28 * ratio);
    const data = element.getContext('2d')!.getImageData(0, top, element.width, element.height - top).data;
    const colours = new Set<number>();
    let painted = 0;
    for (let offset = 0; offset < data.length; offset += 4) {
      if (data[offset + 3] < 200) continue;
      painted += 1;
      colours.add(((data[offset] >> 4) << 8) | ((data[offset + 1] >> 4) << 4) | (data[offset + 2] >> 4));
    }
    return {painted: painted / (data.length / 4), colours: colours.size};
  });
}

const domainOf = async (canvas: Locator): Promise<[number, number]> => (await canvas.getAttribute('data-domain'))!.split(',').map(Number) as [number, number];

test('each scenario’s timelines are drawn, lanes labelled and states in the legend', async ({page, faults}) => {
  await page.goto(LAB);
  for (const id of ['thread-lifecycle', 'gil-cpu-threads', 'io-fetch']) {
    const expected = timelinesOf(id)[0];
    const widget = await openWidget(page, id);
    const canvas = widget.locator('canvas[role="img"]');
    const pixels = await lanePixels(canvas);
    expect(pixels.painted, `${id}: share of the lanes painted`).toBeGreaterThan(0.05);
    expect(pixels.colours, `${id}: colours in the lanes`).toBeGreaterThanOrEqual(3);
    await expect(canvas).toHaveAttribute('aria-label', new RegExp(`^${expected.title}: a timeline of ${expected.lanes.length} lanes .* The Table button`));
    await expect(widget.locator('[data-kind]')).toHaveText(expected.lanes.map((lane) => lane.label));
    await expect(widget.getByRole('list', {name: 'States'}).getByRole('listitem')).toHaveCount(new Set(expected.spans.map((span) => span.state)).size);
    await expect(widget.locator('figure')).toHaveAttribute('data-spans', String(expected.spans.length));
  }
  expectNoFaults(faults);
});

test('the run picker switches between a scenario’s timelines', async ({page, faults}) => {
  await page.goto(LAB);
  const runs = timelinesOf('io-fetch');
  const widget = await openWidget(page, 'io-fetch');
  const picker = widget.getByLabel('Run');
  await expect(picker.locator('option')).toHaveText(runs.map((run) => run.title));
  const asyncio = runs.find((run) => run.title === 'asyncio')!;
  const before = await lanePixels(widget.locator('canvas'));
  await picker.selectOption({label: 'asyncio'});
  await expect(widget.locator('figure')).toHaveAttribute('data-spans', String(asyncio.spans.length));
  await expect(widget.locator('[data-kind]')).toHaveText(asyncio.lanes.map((lane) => lane.label));
  await expect(widget.getByRole('list', {name: 'States'})).toContainText('select');
  await expect(widget.locator('canvas')).toHaveAttribute('data-draws', /\d+/);
  expect(await lanePixels(widget.locator('canvas'))).not.toEqual(before);
  expectNoFaults(faults);
});

test('keyboard zoom changes the axis; Home shows the whole run again', async ({page, faults}) => {
  await page.goto(LAB);
  const expected = timelinesOf('gil-cpu-threads')[0];
  const widget = await openWidget(page, 'gil-cpu-threads');
  const canvas = widget.locator('canvas[role="img"]');
  expect(await domainOf(canvas)).toEqual([0, expected.endUs]);
  const ticks = await canvas.getAttribute('data-ticks');
  const pixels = await lanePixels(canvas);

  await canvas.focus();
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  const [start, end] = await domainOf(canvas);
  expect(end - start).toBeCloseTo(expected.endUs / 8, 0);
  await expect(canvas).not.toHaveAttribute('data-ticks', ticks!);
  expect(await lanePixels(canvas)).not.toEqual(pixels);
  await expect(widget.locator('[aria-live="polite"]')).toContainText('Zoomed in: showing');

  await page.keyboard.press('Shift+ArrowRight');
  const [panned] = await domainOf(canvas);
  expect(panned).toBeGreaterThan(start);

  await page.keyboard.press('Home');
  expect(await domainOf(canvas)).toEqual([0, expected.endUs]);
  await expect(canvas).toHaveAttribute('data-ticks', ticks!);
  await page.keyboard.press('-');
  expect(await domainOf(canvas), 'cannot zoom out past the whole run').toEqual([0, expected.endUs]);

  // The buttons do the same.
  await widget.getByRole('button', {name: 'Zoom in'}).click();
  const [, zoomedEnd] = await domainOf(canvas);
  expect(zoomedEnd).toBeLessThan(expected.endUs);
  await widget.getByRole('button', {name: 'Whole run'}).click();
  expect(await domainOf(canvas)).toEqual([0, expected.endUs]);
  expectNoFaults(faults);
});

test('hovering a span shows its lane, state, detail and times', async ({page, faults}) => {
  await page.goto(LAB);
  const expected = timelinesOf('thread-lifecycle')[0];
  const laneIndex = expected.lanes.findIndex((lane) => lane.label === 'downloader');
  const blocked = expected.spans.find((span) => span.lane === expected.lanes[laneIndex].id && span.state === 'blocked')!;
  const widget = await openWidget(page, 'thread-lifecycle');
  const box = (await widget.locator('canvas').boundingBox())!;
  const x = box.x + (((blocked.startUs + blocked.endUs) / 2) * box.width) / expected.endUs;
  const y = box.y + AXIS_HEIGHT + laneIndex * LANE_HEIGHT + LANE_HEIGHT / 2;
  const tooltip = widget.locator('[class*="tooltip"]');
  await expect(tooltip).toBeHidden();
  await page.mouse.move(x, y);
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toContainText('downloader: blocked');
  await expect(tooltip).toContainText(blocked.detail);
  await expect(tooltip).toContainText(/\d+(\.\d+)? (µs|ms|s) – \d+(\.\d+)? (µs|ms|s) \(/);
  await page.mouse.move(box.x + box.width / 2, box.y - 40);
  await expect(tooltip).toBeHidden();
  expectNoFaults(faults);
});

test('arrow keys move a cursor span by span and lane by lane, and announce each span', async ({page, faults}) => {
  await page.goto(LAB);
  const expected = timelinesOf('thread-lifecycle')[0];
  const inLane = (lane: number) => expected.spans.filter((span) => span.lane === expected.lanes[lane].id).sort((a, b) => a.startUs - b.startUs);
  const widget = await openWidget(page, 'thread-lifecycle');
  const live = widget.locator('[aria-live="polite"]');
  await widget.locator('canvas').focus();

  await page.keyboard.press('ArrowRight');
  const first = inLane(0);
  await expect(live).toContainText(`${expected.lanes[0].label}: ${first[0].state}`);
  await expect(live).toContainText(`Span 1 of ${first.length} in this lane`);
  await page.keyboard.press('ArrowRight');
  await expect(live).toContainText(first[1].detail);
  await expect(live).toContainText(`Span 2 of ${first.length}`);
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(live).toContainText(`First span of ${expected.lanes[0].label}`);

  await page.keyboard.press('ArrowDown');
  await expect(live).toContainText(`${expected.lanes[1].label}: `);
  // The cursor's span is shown as well as announced.
  await expect(widget.locator('[class*="tooltip"]')).toContainText(`${expected.lanes[1].label}: `);
  for (let step = 0; step < expected.lanes.length; step += 1) await page.keyboard.press('ArrowDown');
  await expect(live).toContainText('Last lane.');
  expectNoFaults(faults);
});

test('the table shows one row per span, in pages of 500', async ({page, faults}) => {
  await page.goto(LAB);
  const small = timelinesOf('thread-lifecycle')[0];
  const lifecycle = await openWidget(page, 'thread-lifecycle');
  const toggle = lifecycle.getByRole('button', {name: 'Table'});
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const table = lifecycle.getByRole('table');
  await expect(table.locator('tbody tr')).toHaveCount(small.spans.length);
  await expect(table.locator('thead th')).toHaveText(['Lane', 'State', 'Detail', 'Start', 'End']);
  const first = [...small.spans].sort((a, b) => a.startUs - b.startUs)[0];
  await expect(table.locator('tbody tr').first().locator('td')).toHaveText([small.lanes.find((lane) => lane.id === first.lane)!.label, first.state, first.detail, /µs|ms|s/, /µs|ms|s/]);
  await toggle.click();
  await expect(table).toHaveCount(0);

  const big = timelinesOf('gil-cpu-threads')[0];
  const gil = await openWidget(page, 'gil-cpu-threads');
  await gil.getByRole('button', {name: 'Table'}).click();
  const rows = gil.locator('tbody tr');
  await expect(rows).toHaveCount(500);
  const more = gil.getByRole('button', {name: /^Show \d+ more$/});
  while (await more.isVisible()) await more.click();
  await expect(rows).toHaveCount(big.spans.length);
  await expect(gil.getByRole('status')).toHaveText(`Showing ${big.spans.length.toLocaleString('en-US')} of ${big.spans.length.toLocaleString('en-US')} spans.`);
  expectNoFaults(faults);
});

test('100,000 spans: drawn, zoomable, tabled in pages; the first draw is timed', async ({page, faults}) => {
  await page.goto(LAB);
  const widget = page.locator('[data-timeline-stress="100000"]');
  await widget.scrollIntoViewIfNeeded();
  const asked = Date.now();
  await widget.getByRole('button', {name: 'Draw 100,000 spans over 7 threads'}).click();
  await expect(widget).toHaveAttribute('data-state', 'done', {timeout: 30_000});
  const canvas = widget.locator('canvas[role="img"]');
  await expect(canvas).toHaveAttribute('data-first-draw-ms', /\d/, {timeout: 30_000});
  const shownAfterMs = Date.now() - asked;
  await expect(widget.locator('figure')).toHaveAttribute('data-spans', '100000');
  const firstDrawMs = Number(await canvas.getAttribute('data-first-draw-ms'));
  const indexMs = Number(await widget.locator('figure').getAttribute('data-index-ms'));
  expect((await lanePixels(canvas)).painted).toBeGreaterThan(0.3);

  await canvas.focus();
  await page.keyboard.press('+');
  await expect(canvas).toHaveAttribute('data-draws', /^([2-9]|\d\d+)$/);
  const zoomDrawMs = Number(await canvas.getAttribute('data-draw-ms'));

  const timings = {firstDrawMs, indexMs, zoomDrawMs, shownAfterMs};
  test.info().annotations.push({type: '100k-span timeline (ms)', description: JSON.stringify(timings)});
  console.log(`100,000-span timeline in Chromium: ${JSON.stringify(timings)}`);

  await widget.getByRole('button', {name: 'Table'}).click();
  await expect(widget.locator('tbody tr')).toHaveCount(500);
  await expect(widget.getByRole('status')).toHaveText('Showing 500 of 100,000 spans.');
  await widget.getByRole('button', {name: 'Show 500 more'}).click();
  await expect(widget.locator('tbody tr')).toHaveCount(1000);
  expectNoFaults(faults);
});

test('many lanes scroll inside the timeline; the cursor, hover and drawing follow the scroll', async ({page, faults}) => {
  await page.goto(LAB);
  const widget = page.locator('[data-timeline-stress="20000"]');
  await widget.scrollIntoViewIfNeeded();
  await widget.getByRole('button', {name: 'Draw 20,000 spans over 40 threads'}).click();
  await expect(widget).toHaveAttribute('data-state', 'done', {timeout: 30_000});
  const canvas = widget.locator('canvas[role="img"]');
  await expect(canvas).toHaveAttribute('data-draws', /\d+/);
  await expect(widget.locator('[data-kind]')).toHaveCount(41);
  // The canvas shows twelve lanes at a time; the rest scroll.
  expect((await canvas.boundingBox())!.height).toBe(AXIS_HEIGHT + 12 * LANE_HEIGHT);
  const scroller = widget.locator('[class*="scroller"]');
  expect(await scroller.evaluate((element) => element.scrollHeight > element.clientHeight)).toBe(true);

  await canvas.focus();
  await page.keyboard.press('ArrowRight');
  for (let step = 0; step < 20; step += 1) await page.keyboard.press('ArrowDown');
  const live = widget.locator('[aria-live="polite"]');
  await expect(live).toContainText('Thread-21: ');
  expect(await scroller.evaluate((element) => element.scrollTop)).toBeGreaterThan(0);
  expect((await lanePixels(canvas)).painted).toBeGreaterThan(0.3);

  // The label beside the pointer names the lane the tooltip describes.
  const label = widget.locator('[data-kind]', {hasText: /^Thread-18$/});
  const labelBox = (await label.boundingBox())!;
  const canvasBox = (await canvas.boundingBox())!;
  expect(labelBox.y).toBeGreaterThan(canvasBox.y + AXIS_HEIGHT - 1);
  await page.mouse.move(canvasBox.x + canvasBox.width / 3, labelBox.y + labelBox.height / 2);
  await expect(widget.locator('[class*="tooltip"]')).toContainText('Thread-18: ');
  expectNoFaults(faults);
});

test('dark mode redraws in dark colours; a phone gets narrow lane labels and no sideways scroll', async ({page, faults}) => {
  await page.emulateMedia({colorScheme: 'light'});
  await page.setViewportSize({width: 390, height: 844});
  await page.goto(LAB);
  const widget = await openWidget(page, 'io-fetch');
  const canvas = widget.locator('canvas[role="img"]');
  await expect(canvas).toHaveAttribute('data-theme', 'light');
  const light = await lanePixels(canvas);
  const labelWidth = (await widget.locator('[data-kind]').first().boundingBox())!.width;
  expect(labelWidth).toBeLessThan(90);

  // What Docusaurus' colour-mode toggle does (features.spec.ts clicks the toggle itself).
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
  await expect(canvas).toHaveAttribute('data-theme', 'dark');
  expect(await lanePixels(canvas)).not.toEqual(light);

  for (const id of ['thread-lifecycle', 'gil-cpu-threads', 'io-fetch']) await openWidget(page, id);
  await widget.getByRole('button', {name: 'Table'}).click();
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width - 2, box.y + AXIS_HEIGHT + LANE_HEIGHT / 2);
  expect(await horizontalOverflow(page), 'pixels of horizontal overflow').toBeLessThanOrEqual(0);
  expectNoFaults(faults);
});
