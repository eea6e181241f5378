import {chapterPages, expect, expectNoFaults, test} from './site';

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

for (const chapter of chapterPages()) {
  test(`search finds /${chapter.path} by a word from its text`, async ({page, faults}) => {
    await page.goto(chapter.path);
    const title = (await page.locator('article h1').textContent())!;
    // A long word from the chapter's prose, so the test follows the text as it changes.
    const word = await page.locator('article .markdown > p').evaluateAll((paragraphs) => {
      const words = paragraphs.flatMap((p) => p.textContent!.match(/\b[a-z]{9,}\b/g) ?? []);
      return words.sort((a, b) => b.length - a.length)[0];
    });
    expect(word, 'a long word in the chapter').toBeTruthy();

    await page.goto('');
    await page.getByPlaceholder('Search').fill(word);
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
