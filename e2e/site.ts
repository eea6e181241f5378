import {existsSync, readFileSync, readdirSync} from 'node:fs';
import {join, relative, sep} from 'node:path';
import {test as base, expect, type Page} from '@playwright/test';
import {fencedBlocks} from '../scripts/code-blocks';

const root = join(__dirname, '..');
const buildDir = join(root, process.env.E2E_BUILD_DIR ?? 'build');
const docsDir = join(root, 'docs');

/** Every page of the built site, as a path relative to the base URL ('' is the landing page). */
/** True when the suite runs against the root build (the sub-path run leaves root-only checks to it). */
export const rootBuild = (process.env.BASE_URL ?? '/') === '/';

export function builtPages(): string[] {
  if (!existsSync(buildDir)) throw new Error('No build/ folder: run `npm run build` before the e2e tests.');
  const pages: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      if (entry.isDirectory() && entry.name !== 'assets') walk(join(dir, entry.name));
      else if (entry.name === 'index.html') pages.push(relative(buildDir, dir).split(sep).join('/'));
    }
  };
  walk(buildDir);
  // The exercise runner's frames are not pages of the course.
  return pages
    .filter((page) => !page.startsWith('runner')).map((page) => (page === '' ? '' : `${page}/`)).sort();
}

/** The built HTML of a page, by its path relative to the base URL. */
export function builtHtml(path: string): string {
  return readFileSync(join(buildDir, path, 'index.html'), 'utf8');
}

/** The chapters' pages with the number of Mermaid diagrams each one's source holds. */
export function chapterPages(): Array<{path: string; file: string; diagrams: number}> {
  return readdirSync(docsDir, {withFileTypes: true})
    .filter((entry) => entry.isDirectory() && existsSync(join(docsDir, entry.name, 'index.mdx')))
    .map((entry) => {
      const file = join('docs', entry.name, 'index.mdx');
      const source = readFileSync(join(root, file), 'utf8');
      const slug = /^slug:\s*\/?([^\s]*?)\/?\s*$/m.exec(source)?.[1];
      if (!slug) throw new Error(`${file} has no slug in its front matter`);
      const diagrams = fencedBlocks(source).filter((block) => block.lang === 'mermaid').length;
      return {path: `${slug}/`, file, diagrams};
    });
}

export interface PageFaults {
  /** Requests to any origin other than the site's: blocked, and each one a failure. */
  external: string[];
  consoleErrors: string[];
  pageErrors: string[];
  /** Same-origin responses with status ≥ 400, or same-origin requests that failed. */
  brokenLocal: string[];
}

/**
 * A page whose every request to another origin is blocked and counted, and whose console errors,
 * uncaught exceptions and broken local requests are recorded for the test to assert on.
 */
export const test = base.extend<{faults: PageFaults}>({
  faults: async ({page, baseURL, serviceWorkers}, use) => {
    const origin = new URL(baseURL!).origin;
    const faults: PageFaults = {external: [], consoleErrors: [], pageErrors: [], brokenLocal: []};
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (new URL(url).origin === origin) return route.continue();
      faults.external.push(url);
      return route.abort('blockedbyclient');
    });
    page.on('console', (message) => {
      // With service workers blocked (see playwright.config.ts), the offline plugin's registration
      // fails the way it would in a browser without them: expected there, a fault anywhere else.
      const blockedRegistration = serviceWorkers === 'block' && message.text().startsWith('registerSW failed');
      if (message.type() === 'error' && !blockedRegistration) faults.consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => faults.pageErrors.push(error.message));
    page.on('response', (response) => {
      if (response.url().startsWith(origin) && response.status() >= 400) {
        faults.brokenLocal.push(`${response.status()} ${response.url()}`);
      }
    });
    page.on('requestfailed', (request) => {
      // A prefetch cancelled by the next navigation is not a fault; any other failure is.
      const reason = request.failure()?.errorText ?? '';
      if (request.url().startsWith(origin) && reason !== 'net::ERR_ABORTED') {
        faults.brokenLocal.push(`failed (${reason}) ${request.url()}`);
      }
    });
    await use(faults);
  },
});

export function expectNoFaults(faults: PageFaults): void {
  expect(faults.external, 'requests to other origins').toEqual([]);
  expect(faults.pageErrors, 'uncaught page errors').toEqual([]);
  expect(faults.consoleErrors, 'console errors').toEqual([]);
  expect(faults.brokenLocal, 'broken local requests').toEqual([]);
}

/** The page is wider than its viewport: something forces a horizontal scroll. */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

export {expect};
