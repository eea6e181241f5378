/**
 * The budgets of issue 8, measured on the production build served compressed, as a classroom
 * launcher serves it (scripts/export/serve.mjs), for `npm run bench -- budgets` and `-- build`:
 *
 *   Lighthouse (mobile) on the heaviest chapter   performance ≥ 90, accessibility 100 (medians)
 *   initial JavaScript of every chapter page      ≤ 250 KB gzip
 *   cumulative layout shift of every page         < 0.05, scrolled through on a desktop and a phone
 *   the production build from a clean copy        ≤ 3 minutes
 */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {chromium, type Browser} from '@playwright/test';
import {writtenChapters} from '../src/course/written';
import {builtPages} from '../e2e/site';
import {layoutShiftReport, recordLayoutShifts, scrollThrough} from '../e2e/layout-shift';

const root = join(__dirname, '..');
const buildDir = join(root, 'build');
/** Lighthouse's own Chrome and the measuring browser: Debian's Chromium, headless, quiet. */
const CHROMIUM = '/usr/bin/chromium';
const CHROME_FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

export interface BudgetRow {
  key: string;
  label: string;
  value: number;
  unit: string;
  /** The budget as words, "≤ 250 KB", and whether the value meets it; absent for context rows. */
  budget?: string;
  met?: boolean;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Serves build/ with the classroom launcher (gzip, as a teacher's machine would) while `work` runs. */
async function withCompressedSite<T>(port: number, work: (origin: string) => Promise<T>): Promise<T> {
  const folder = mkdtempSync(join(tmpdir(), 'course-bench-'));
  symlinkSync(buildDir, join(folder, 'site'), 'dir');
  copyFileSync(join(root, 'scripts', 'export', 'serve.mjs'), join(folder, 'serve.mjs'));
  // Its own process group, so that ending it ends the server.
  const server: ChildProcess = spawn(process.execPath, [join(folder, 'serve.mjs'), '--port', String(port)], {stdio: 'ignore', detached: true});
  const origin = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + 30_000;
    while (!(await fetch(`${origin}/`).then((response) => response.ok, () => false))) {
      if (Date.now() > deadline) throw new Error(`the classroom launcher did not start on ${origin} within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return await work(origin);
  } finally {
    process.kill(-server.pid!);
    rmSync(folder, {recursive: true, force: true});
  }
}

/** Every written chapter's page, with how many exercises and widgets it holds (counted in the built HTML). */
function chapterPages(): Array<{path: string; widgets: number}> {
  return writtenChapters(join(root, 'docs')).map((chapter) => {
    const html = readFileSync(join(buildDir, chapter.slug, 'index.html'), 'utf8');
    return {path: `/${chapter.slug}/`, widgets: (html.match(/\sdata-(exercise|sim|challenge|decision)="/g) ?? []).length};
  });
}

/**
 * The JavaScript a page downloads before the reader scrolls, as sent by the compressing server
 * (bytes on the wire): the page's own scripts and whatever the widgets near the first screen load.
 */
async function initialJavaScript(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext({viewport: {width: 1280, height: 800}, serviceWorkers: 'block'});
  const page = await context.newPage();
  const requests: Array<Promise<number>> = [];
  page.on('requestfinished', (request) => {
    if (/\.m?js(\?|$)/.test(request.url())) requests.push(request.sizes().then((sizes) => sizes.responseBodySize));
  });
  await page.goto(url, {waitUntil: 'networkidle'});
  const bytes = (await Promise.all(requests)).reduce((sum, size) => sum + size, 0);
  await context.close();
  return bytes;
}

async function layoutShift(browser: Browser, url: string, viewport: {width: number; height: number}, colorScheme: 'light' | 'dark'): Promise<number> {
  const context = await browser.newContext({viewport, colorScheme, serviceWorkers: 'block'});
  const page = await context.newPage();
  await recordLayoutShifts(page);
  await page.goto(url);
  await scrollThrough(page);
  const {cls} = await layoutShiftReport(page);
  await context.close();
  return cls;
}

interface LighthouseRun {
  performance: number;
  accessibility: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
}

/** One Lighthouse run with its default (mobile, simulated slow 4G and 4× slower CPU) settings. */
async function lighthouseRun(url: string): Promise<LighthouseRun> {
  const {default: lighthouse} = await import('lighthouse');
  const chromeLauncher = await import('chrome-launcher');
  const chrome = await chromeLauncher.launch({chromePath: CHROMIUM, chromeFlags: CHROME_FLAGS});
  try {
    const result = await lighthouse(url, {port: chrome.port, logLevel: 'error', output: 'json', onlyCategories: ['performance', 'accessibility']});
    if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
    const {categories, audits} = result.lhr;
    return {
      performance: Math.round((categories.performance.score ?? 0) * 100),
      accessibility: Math.round((categories.accessibility.score ?? 0) * 100),
      lcpMs: audits['largest-contentful-paint'].numericValue ?? Number.NaN,
      tbtMs: audits['total-blocking-time'].numericValue ?? Number.NaN,
      cls: audits['cumulative-layout-shift'].numericValue ?? Number.NaN,
    };
  } finally {
    chrome.kill();
  }
}

export async function measureBudgets(options: {runs: number; port: number}): Promise<BudgetRow[]> {
  const chapters = chapterPages();
  const heaviest = chapters.reduce((best, chapter) => (chapter.widgets > best.widgets ? chapter : best));
  return withCompressedSite(options.port, async (origin) => {
    const rows: BudgetRow[] = [];

    const runs: LighthouseRun[] = [];
    for (let run = 0; run < options.runs; run++) runs.push(await lighthouseRun(`${origin}${heaviest.path}`));
    const performance = median(runs.map((run) => run.performance));
    const accessibility = median(runs.map((run) => run.accessibility));
    const of = `${heaviest.path} (${heaviest.widgets} exercises and widgets, the most), median of ${options.runs}`;
    rows.push(
      {key: 'lighthouse-performance', label: `Lighthouse mobile performance, ${of}`, value: performance, unit: '/100', budget: '≥ 90', met: performance >= 90},
      {key: 'lighthouse-accessibility', label: `Lighthouse mobile accessibility, ${of}`, value: accessibility, unit: '/100', budget: '= 100', met: accessibility === 100},
      {key: 'lighthouse-lcp-ms', label: '  its largest contentful paint (simulated slow 4G, median)', value: Math.round(median(runs.map((run) => run.lcpMs))), unit: 'ms'},
      {key: 'lighthouse-tbt-ms', label: '  its total blocking time (4× slower CPU, median)', value: Math.round(median(runs.map((run) => run.tbtMs))), unit: 'ms'},
      {key: 'lighthouse-cls', label: '  its layout shift during load (median)', value: round(median(runs.map((run) => run.cls)), 3), unit: ''},
      {key: 'lighthouse-runs', label: `  each run's performance / accessibility: ${runs.map((run) => `${run.performance}/${run.accessibility}`).join(', ')}`, value: runs.length, unit: 'runs'},
    );

    const browser = await chromium.launch({executablePath: CHROMIUM, args: CHROME_FLAGS.filter((flag) => flag !== '--headless=new')});
    try {
      const javaScript: Array<{path: string; kb: number}> = [];
      for (const chapter of chapters) javaScript.push({path: chapter.path, kb: round((await initialJavaScript(browser, `${origin}${chapter.path}`)) / 1024, 1)});
      const largest = javaScript.reduce((best, page) => (page.kb > best.kb ? page : best));
      rows.push({key: 'initial-js-max-kb', label: `initial JavaScript of a chapter page, gzip, the largest (${largest.path})`, value: largest.kb, unit: 'KB', budget: '≤ 250 KB', met: largest.kb <= 250});
      for (const page of javaScript) rows.push({key: `initial-js-kb:${page.path}`, label: `  ${page.path}`, value: page.kb, unit: 'KB', budget: '≤ 250 KB', met: page.kb <= 250});

      const shifts: Array<{page: string; cls: number}> = [];
      for (const path of builtPages()) {
        shifts.push({page: `/${path} desktop`, cls: await layoutShift(browser, `${origin}/${path}`, {width: 1280, height: 800}, 'light')});
        shifts.push({page: `/${path} phone`, cls: await layoutShift(browser, `${origin}/${path}`, {width: 375, height: 740}, 'dark')});
      }
      const worst = shifts.reduce((best, shift) => (shift.cls > best.cls ? shift : best));
      rows.push({key: 'cls-max', label: `cumulative layout shift scrolled through, the largest of ${shifts.length} page loads (${worst.page})`, value: round(worst.cls, 4), unit: '', budget: '< 0.05', met: worst.cls < 0.05});
      for (const shift of shifts.filter((entry) => entry.cls >= 0.01)) rows.push({key: `cls:${shift.page}`, label: `  ${shift.page}`, value: round(shift.cls, 4), unit: ''});
    } finally {
      await browser.close();
    }
    return rows;
  });
}

/**
 * `npm run build` in a fresh copy of the working tree (its tracked and unignored files, the
 * installed node_modules linked in): no .docusaurus, no runner build, no webpack cache, and the
 * build/ of whoever else is working here untouched.
 */
export function measureBuild(): BudgetRow[] {
  const listed = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {cwd: root, encoding: 'utf8'});
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  const copy = mkdtempSync(join(tmpdir(), 'course-build-'));
  try {
    // Files deleted in the working tree are still listed by git: a clean copy has them no more.
    for (const file of listed.stdout.split('\0').filter((file) => file && existsSync(join(root, file)))) {
      mkdirSync(dirname(join(copy, file)), {recursive: true});
      cpSync(join(root, file), join(copy, file), {dereference: false, errorOnExist: false});
    }
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
    const started = performance.now();
    const build = spawnSync('npm', ['run', 'build'], {cwd: copy, encoding: 'utf8', env: {...process.env, DOCUSAURUS_NO_PERSISTENT_CACHE: '1'}});
    const seconds = (performance.now() - started) / 1000;
    if (build.status !== 0) throw new Error(`the build failed:\n${build.stdout.slice(-2000)}\n${build.stderr.slice(-2000)}`);
    return [{key: 'build-seconds', label: 'production build (`npm run build`) from a clean copy', value: Math.round(seconds), unit: 's', budget: '≤ 180 s', met: seconds <= 180}];
  } finally {
    rmSync(copy, {recursive: true, force: true});
  }
}
