import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import type {Locator, Page} from '@playwright/test';
import {builtPages, expect} from './site';

const buildDir = join(__dirname, '..', process.env.E2E_BUILD_DIR ?? 'build');

/** Every exercise of the built site, with the page it is on (found in the server-rendered HTML). */
export function builtExercises(): Array<{id: string; path: string}> {
  return builtPages().flatMap((path) => {
    const html = readFileSync(join(buildDir, path, 'index.html'), 'utf8');
    return [...html.matchAll(/data-exercise="([^"]+)"/g)].map((match) => ({id: match[1], path}));
  });
}

export const FINAL = /^(passed|failed|error|timeout)$/;

export function exerciseOn(page: Page, id: string): Locator {
  return page.locator(`[data-exercise="${id}"]`);
}

/** Scrolls the exercise into view and waits until its editor and runner are ready. */
export async function openExercise(page: Page, id: string): Promise<Locator> {
  const exercise = exerciseOn(page, id);
  await exercise.scrollIntoViewIfNeeded();
  await expect(exercise.getByTestId('exercise-run')).toBeEnabled({timeout: 20_000});
  return exercise;
}

export function editorOf(exercise: Locator): Locator {
  return exercise.locator('.sp-code-editor .cm-content').first();
}

/**
 * The text in the editor of the open file. CodeMirror draws only the lines near the viewport, so
 * the text comes from the editor's state (its view hangs on the content element), not the DOM.
 */
export function codeIn(exercise: Locator): Promise<string> {
  return editorOf(exercise).evaluate((content) => {
    // CodeMirror 6 keeps its view on the content element (`cmTile` today, `cmView` in older releases).
    type Holder = {view?: {state: {doc: {toString(): string}}}};
    const element = content as HTMLElement & {cmTile?: Holder; cmView?: Holder};
    const view = (element.cmTile ?? element.cmView)?.view;
    if (!view) throw new Error('no CodeMirror view on the editor');
    return view.state.doc.toString();
  });
}

/** Replaces the text of the open file, as a learner would: select all, then type. */
export async function setCode(page: Page, exercise: Locator, code: string): Promise<void> {
  await editorOf(exercise).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(code);
}

/**
 * Shows the solution and loads it into the editor. The show button is clicked again until it
 * reports itself expanded: on a long page a widget above may still be settling when the first
 * click lands.
 */
export async function loadSolution(exercise: Locator): Promise<void> {
  const show = exercise.getByTestId('exercise-solution');
  await expect(async () => {
    if ((await show.getAttribute('aria-expanded')) !== 'true') await show.click();
    await expect(show).toHaveAttribute('aria-expanded', 'true', {timeout: 2_000});
  }).toPass({timeout: 20_000});
  await exercise.getByTestId('exercise-load-solution').click();
}

/** Clicks run and waits for the run to end; returns the final state. */
export async function run(exercise: Locator, timeout = 15_000): Promise<string> {
  await exercise.getByTestId('exercise-run').click();
  await expect(exercise).not.toHaveAttribute('data-state', 'running', {timeout});
  await expect(exercise).toHaveAttribute('data-state', FINAL);
  return (await exercise.getAttribute('data-state'))!;
}

/** How long the page takes to paint a frame: a frozen page never does. */
export async function frameDelay(page: Page): Promise<number> {
  return page.evaluate(() => {
    const start = performance.now();
    return new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now() - start)));
  });
}
