import AxeBuilder from '@axe-core/playwright';
import {builtPages, chapterPages, expect, expectNoFaults, horizontalOverflow, test} from './site';

const pages = builtPages();
const diagramsOn = new Map(chapterPages().map((chapter) => [chapter.path, chapter.diagrams]));

const viewports = {
  desktop: {width: 1280, height: 800, colorScheme: 'light'},
  phone: {width: 375, height: 740, colorScheme: 'dark'},
} as const;

test('the crawl covers the landing page and every written chapter', () => {
  expect(pages).toContain('');
  for (const path of diagramsOn.keys()) expect(pages).toContain(path);
});

for (const path of pages) {
  for (const [name, viewport] of Object.entries(viewports)) {
    test(`/${path} on a ${name} (${viewport.colorScheme} mode) is whole and self-contained`, async ({page, faults}) => {
      await page.emulateMedia({colorScheme: viewport.colorScheme});
      await page.setViewportSize({width: viewport.width, height: viewport.height});
      await page.goto(path, {waitUntil: 'networkidle'});

      await expect(page.locator('html')).toHaveAttribute('data-theme', viewport.colorScheme);

      // Each Mermaid block is an image rendered ahead of time, in this colour mode's version only.
      const diagrams = page.locator('figure[data-diagram]');
      await expect(diagrams).toHaveCount(diagramsOn.get(path) ?? 0);
      const otherMode = viewport.colorScheme === 'light' ? 'dark' : 'light';
      for (const diagram of await diagrams.all()) {
        await diagram.scrollIntoViewIfNeeded();
        const image = diagram.locator(`img[data-mode="${viewport.colorScheme}"]`);
        await expect(image).toBeVisible();
        await expect(image).toHaveAttribute('src', new RegExp(`\\.${viewport.colorScheme}\\.svg$`));
        await expect(image).toHaveAttribute('alt', /\S/);
        await expect.poll(() => image.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)), 'image loaded').toBeGreaterThan(0);
        await expect(diagram.locator(`img[data-mode="${otherMode}"]`)).toBeHidden();
      }
      await expect(page.locator('pre code.language-mermaid'), 'diagram source left unrendered').toHaveCount(0);

      // Every simulator widget loads as it comes near: bring each into view and let it finish, so
      // that the checks below see the drawn widgets, not their placeholders.
      for (const widget of await page.locator('[data-sim], [data-challenge]').all()) {
        await widget.scrollIntoViewIfNeeded();
        const name = (await widget.getAttribute('data-sim')) ?? (await widget.getAttribute('data-challenge'));
        await expect(widget, `widget ${name}`).toHaveAttribute('data-state', 'done', {timeout: 30_000});
      }

      expect(await horizontalOverflow(page), 'pixels of horizontal overflow').toBeLessThanOrEqual(0);

      const links = await page.locator('a[href]').evaluateAll((anchors) =>
        anchors.map((a) => (a as HTMLAnchorElement).href).filter((href) => href.startsWith(location.origin)),
      );
      for (const href of new Set(links.map((link) => link.split('#')[0]))) {
        const response = await page.request.get(href);
        expect(response.status(), `link to ${href}`).toBeLessThan(400);
      }

      const accessibility = await new AxeBuilder({page}).withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze();
      expect(accessibility.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

      expectNoFaults(faults);
    });
  }
}
