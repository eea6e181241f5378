import type {Page} from '@playwright/test';

/**
 * Cumulative layout shift as a reader meets it: recorded from the first paint while the page is
 * scrolled from top to bottom with the mouse wheel (widgets, exercises and diagrams load as they
 * come near), for the e2e check and for `npm run bench -- budgets`.
 */

export interface Shift {
  value: number;
  /** Milliseconds since navigation. */
  time: number;
  /** What moved: a short selector of each element the browser names, with where it was and went. */
  sources: string[];
}

export interface LayoutShiftReport {
  /** The largest session window (shifts less than 1 s apart, at most 5 s long): web-vitals' CLS. */
  cls: number;
  /** Every shift added up, however far apart. */
  total: number;
  /** The largest shifts, to say what moved. */
  worst: Shift[];
}

declare global {
  interface Window {
    __layoutShifts?: Shift[];
  }
}

/**
 * The recorder, as source text rather than a function: a function is compiled by whichever tool
 * runs the caller (Playwright's for the tests, tsx for the bench), and tsx's adds helper calls
 * (`__name`) that do not exist in the page, where the script would then fail without a word.
 */
const RECORDER = `(() => {
  const shifts = [];
  window.__layoutShifts = shifts;
  const describe = (node) => {
    const element = node instanceof Element ? node : node && node.parentElement;
    if (!element) return '(gone)';
    const parts = [];
    for (let current = element; current && parts.length < 3; current = current.parentElement) {
      const data = current instanceof HTMLElement ? current.dataset.sim || current.dataset.exercise || current.dataset.challenge : undefined;
      parts.unshift(current.tagName.toLowerCase() + (current.id ? '#' + current.id : '') + (data ? '[' + data + ']' : ''));
      if (data) break;
    }
    return parts.join(' > ');
  };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) continue;
      shifts.push({
        value: entry.value,
        time: Math.round(entry.startTime),
        sources: entry.sources.map((source) =>
          describe(source.node) + ' y ' + Math.round(source.previousRect.y) + '→' + Math.round(source.currentRect.y) +
          ', h ' + Math.round(source.previousRect.height) + '→' + Math.round(source.currentRect.height)),
      });
    }
  }).observe({type: 'layout-shift', buffered: true});
})();`;

/** Must run before the page is opened: records every layout shift not caused by the reader's input. */
export async function recordLayoutShifts(page: Page): Promise<void> {
  await page.addInitScript(RECORDER);
}

/** Wheels down a screen at a time (less an overlap) until the bottom, pausing as a quick reader would. */
export async function scrollThrough(page: Page, pauseMs = 250): Promise<void> {
  const {width, height} = page.viewportSize()!;
  await page.mouse.move(width / 2, height / 2);
  for (let step = 0; step < 500; step++) {
    const atBottom = await page.evaluate(() => window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2);
    if (atBottom) break;
    await page.mouse.wheel(0, Math.round(height * 0.8));
    await page.waitForTimeout(pauseMs);
  }
  // What came near last (the last widgets, the editor) finishes loading.
  await page.waitForFunction(() => document.querySelector('[data-sim][data-state="running"]') === null, null, {timeout: 30_000}).catch(() => undefined);
  await page.waitForTimeout(1500);
}

export async function layoutShiftReport(page: Page): Promise<LayoutShiftReport> {
  const shifts = await page.evaluate(() => window.__layoutShifts ?? []);
  let cls = 0;
  let session = 0;
  let sessionStart = -Infinity;
  let previous = -Infinity;
  for (const shift of shifts) {
    if (shift.time - previous >= 1000 || shift.time - sessionStart >= 5000) {
      session = 0;
      sessionStart = shift.time;
    }
    session += shift.value;
    previous = shift.time;
    cls = Math.max(cls, session);
  }
  const total = shifts.reduce((sum, shift) => sum + shift.value, 0);
  const worst = [...shifts].sort((a, b) => b.value - a.value).slice(0, 5);
  return {cls, total, worst};
}

/** A report as one line per shift, for a failed check. */
export const describeShifts = (report: LayoutShiftReport): string =>
  report.worst.map((shift) => `${shift.value.toFixed(4)} at ${shift.time} ms: ${shift.sources.join('; ')}`).join('\n');
