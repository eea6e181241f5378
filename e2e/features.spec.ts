import {readFileSync} from 'node:fs';
import {builtHtml, chapterPages, expect, expectNoFaults, test} from './site';

test('the landing page says what the course is and lists the chapters in order', async ({page, faults}) => {
  await page.goto('');
  await expect(page.getByRole('heading', {name: 'What this course is'})).toBeVisible();
  await expect(page.getByRole('heading', {name: 'Who it is for'})).toBeVisible();
  await expect(page.getByRole('heading', {name: 'How it is organised'})).toBeVisible();
  const chapters = page.locator('main ol > li');
  await expect(chapters).toHaveCount(11);
  await expect(chapters.first()).toContainText('Foundations');
  await expect(chapters.last()).toContainText('Free-threading and subinterpreters');
  await page.getByRole('link', {name: 'Start with chapter 1'}).click();
  await expect(page).toHaveURL(/\/foundations\/$/);
  expectNoFaults(faults);
});

test('the sidebar lists only written chapters, and each opens', async ({page, faults}) => {
  await page.goto(chapterPages()[0].path);
  // The chapters are the sidebar's top-level documents; the simulator lab is a category after them.
  const entries = page.locator('.theme-doc-sidebar-menu > li.theme-doc-sidebar-item-link > a.menu__link');
  await expect(entries).toHaveCount(chapterPages().length);
  await expect(page.locator('.theme-doc-sidebar-menu > li.theme-doc-sidebar-item-category').first()).toContainText('Simulator lab');
  for (const chapter of chapterPages()) {
    await page.goto(chapter.path);
    await expect(page.locator('article h1')).toBeVisible();
  }
  expectNoFaults(faults);
});

test('the colour-mode toggle switches to dark and back', async ({page, faults}) => {
  await page.emulateMedia({colorScheme: 'light'});
  await page.goto('');
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'light');
  const toggle = page.getByRole('button', {name: /dark and light mode/});
  for (let clicks = 0; clicks < 3 && (await html.getAttribute('data-theme')) !== 'dark'; clicks++) await toggle.click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  expectNoFaults(faults);
});

const chapters = chapterPages();
/** Each chapter's built HTML, lower-cased: a search word is picked that no other chapter contains. */
const chapterHtml = new Map(chapters.map((chapter) => [chapter.path, builtHtml(chapter.path).toLowerCase()]));

for (const chapter of chapters) {
  test(`search finds /${chapter.path} by a word from its text`, async ({page, faults}) => {
    await page.goto(chapter.path);
    const title = (await page.locator('article h1').textContent())!;
    // Long words of the chapter's prose (code left out), so the test follows the text as it changes.
    const words = await page.locator('article .markdown > p').evaluateAll((paragraphs) =>
      paragraphs.flatMap((p) => {
        const prose = p.cloneNode(true) as HTMLElement;
        prose.querySelectorAll('code').forEach((code) => code.remove());
        return prose.textContent!.match(/\b[a-z]{8,}\b/g) ?? [];
      }),
    );
    const others = [...chapterHtml].filter(([path]) => path !== chapter.path).map(([, html]) => html);
    const word = words.sort((a, b) => b.length - a.length).find((candidate) => others.every((html) => !html.includes(candidate)));
    expect(word, 'a long word found in this chapter only').toBeTruthy();

    await page.goto('');
    await page.getByPlaceholder('Search').fill(word!);
    const hit = page.getByRole('option').filter({hasText: title}).first();
    await expect(hit, `a search result for "${word}" in "${title}"`).toBeVisible();
    await hit.click();
    await expect(page).toHaveURL(new RegExp(`/${chapter.path}`));
    expectNoFaults(faults);
  });
}

test('a search for a word on no page says so', async ({page, faults}) => {
  await page.goto('');
  await page.getByPlaceholder('Search').fill('zyxwvutsrq');
  await expect(page.locator('.navbar__search')).toContainText(/no results/i);
  expectNoFaults(faults);
});

test('code blocks: a block that scrolls sideways on a phone wraps on demand, copy gives its code, and a block drawn in the browser matches the server', async ({page, context, faults}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.setViewportSize({width: 390, height: 800});
  await page.goto('asyncio/');
  const blocks = page.locator('article .theme-code-block');
  const index = await blocks.evaluateAll((all) => all.findIndex((block) => block.querySelector('pre')!.scrollWidth > block.querySelector('pre')!.clientWidth));
  expect(index, 'a code block wider than a phone').toBeGreaterThanOrEqual(0);
  const block = blocks.nth(index);
  const pre = block.locator('pre');
  await block.scrollIntoViewIfNeeded();
  await block.hover();
  await block.getByRole('button', {name: 'Toggle word wrap'}).click();
  await expect.poll(() => pre.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
  await block.getByRole('button', {name: 'Toggle word wrap'}).click();
  await expect.poll(() => pre.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
  await block.getByRole('button', {name: /copy code/i}).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await block.locator('code').textContent());

  // The server's blocks, then the same page drawn in the browser after a move from another page.
  const codeOf = () => page.locator('article pre code').allTextContents();
  const served = await codeOf();
  await page.goto('multiplexing/');
  await page.locator('a.pagination-nav__link--next').click();
  await expect(page).toHaveURL(/\/asyncio\/$/);
  await expect.poll(codeOf).toEqual(served);
  await expect(page.locator('article pre code span.token').first()).toBeAttached();
  expectNoFaults(faults);
});

test('a chapter is painted before the app starts, and on a phone the app then swaps in the mobile menu and table of contents', async ({page, faults}) => {
  // When the app's first script ran: webpack's runtime, which starts by creating its global chunk
  // list (named after the package). With the theme's deferred scripts it often ran before the
  // chapter's first paint, here at full speed as in Lighthouse's unthrottled trace.
  const chunkList = `webpackChunk${(JSON.parse(readFileSync('package.json', 'utf8')) as {name: string}).name.replace(/\W/g, '_')}`;
  await page.addInitScript((name) => {
    let value: unknown;
    Object.defineProperty(window, name, {
      configurable: true,
      get: () => value,
      set: (next) => {
        if (value === undefined) Object.assign(window, {appStart: performance.now()});
        value = next;
      },
    });
  }, chunkList);
  await page.setViewportSize({width: 390, height: 800});
  await page.goto('asyncio/');
  const appStart = () => page.evaluate(() => (window as unknown as {appStart?: number}).appStart ?? -1);
  await expect.poll(appStart).toBeGreaterThan(0);
  const firstPaint = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Infinity);
  expect(firstPaint, 'the chapter is painted before the app starts').toBeLessThan(await appStart());

  // The window's size reaches the theme once the page is alive: the desktop table of contents
  // goes, the collapsible one stays, and the menu button opens the chapters.
  await expect(page.locator('.theme-doc-toc-desktop')).toHaveCount(0);
  await page.getByRole('button', {name: 'On this page'}).click();
  await expect(page.locator('.theme-doc-toc-mobile a.table-of-contents__link').first()).toBeVisible();
  await page.getByRole('button', {name: /toggle navigation bar/i}).click();
  const menu = page.locator('.navbar-sidebar');
  await expect(menu.getByRole('link', {name: /Foundations/}).first()).toBeVisible();
  await menu.getByRole('link', {name: /Foundations/}).first().click();
  await expect(page).toHaveURL(/\/foundations\/$/);
  expectNoFaults(faults);
});
