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
