import type {Locator, Page} from '@playwright/test';
import {expect, expectNoFaults, test} from './site';

const PAGE = 'lab/scheduler/';

/** The game, once the simulator has answered with the first state of `level`. */
async function openGame(page: Page, level = 'lost-update'): Promise<Locator> {
  await page.goto(PAGE);
  const game = page.locator('[data-challenge]');
  await game.scrollIntoViewIfNeeded();
  await expect(game).toHaveAttribute('data-moves', '0');
  if (level !== 'lost-update') {
    await game.locator(`[data-level="${level}"]`).click();
    await expect(game).toHaveAttribute('data-challenge', level);
  }
  await expect(game).toHaveAttribute('data-moves', '0');
  return game;
}

const moves = async (game: Locator) => Number(await game.getAttribute('data-moves'));

/** Click "Run <thread>" and wait for the simulator's next state. */
async function run(game: Locator, ...threads: string[]): Promise<void> {
  for (const thread of threads) {
    const before = await moves(game);
    await game.getByTestId(`challenge-run-${thread}`).click();
    await expect(game).toHaveAttribute('data-moves', String(before + 1));
  }
}

async function expand(game: Locator): Promise<void> {
  // The box follows the game's state, which the Worker answers: click, then wait for it.
  await game.getByTestId('challenge-expand').click();
  await expect(game).toHaveAttribute('data-expanded', 'true');
  await expect(game.getByTestId('challenge-expand')).toBeChecked();
}

test('the lost update is won by reading twice before writing: T1 read, T2 read, T1 write, T2 write', async ({page, faults}) => {
  const game = await openGame(page);
  await expect(game).toHaveAttribute('data-outcome', 'playing');
  await expect(game.locator('[data-thread="T1"] [aria-current="step"]')).toContainText('counter += 1');
  await expand(game);
  await expect(game.locator('[data-thread="T1"]')).toContainText('next: LOAD_GLOBAL counter');
  await run(game, 'T1', 'T2');
  await expect(game.locator('[data-thread="T1"]')).toContainText('its stack: [0]');
  await expect(game.locator('[data-thread="T2"]')).toContainText('its stack: [0]');
  await run(game, 'T1', 'T1', 'T2', 'T2');
  await expect(game).toHaveAttribute('data-outcome', 'won');
  await expect(game.locator('[data-variable="counter"]')).toHaveText('counter = 1');
  const ending = game.getByTestId('challenge-ending');
  await expect(ending).toContainText('You broke it!');
  await expect(ending).toContainText('AssertionError: assert counter == 2 failed, counter is 1');
  await expect(ending).toContainText('with lock:');
  await expect(game.locator('[data-level="lost-update"]')).toHaveAttribute('data-status', 'won');
  await expect(game.getByTestId('challenge-won')).toHaveText('1');
  expectNoFaults(faults);
});

test('the same program run whole cannot lose the update: the game ends stuck', async ({page, faults}) => {
  const game = await openGame(page);
  await run(game, 'T1', 'T2');
  await expect(game).toHaveAttribute('data-outcome', 'stuck');
  await expect(game.locator('[data-variable="counter"]')).toHaveText('counter = 2');
  await expect(game.getByTestId('challenge-ending')).toContainText('No more moves');
  await expect(game.locator('[data-level="lost-update"]')).toHaveAttribute('data-status', 'lost');
  expectNoFaults(faults);
});

test('the fixed level ends with the assertion holding, the second thread blocked while the first holds the lock', async ({page, faults}) => {
  const game = await openGame(page, 'locked-counter');
  await expand(game);
  await run(game, 'T1', 'T1');
  await expect(game.locator('[data-thread="T1"]')).toContainText('its stack: [0]');
  await run(game, 'T2');
  await expect(game.locator('[data-thread="T2"]')).toHaveAttribute('data-status', 'blocked');
  await expect(game.locator('[data-thread="T2"]')).toContainText('waits for lock (held by T1)');
  await expect(game.getByTestId('challenge-run-T2')).toHaveAttribute('aria-disabled', 'true');
  await expect(game.locator('[data-lock="lock"]')).toContainText('held by T1; waiting: T2');
  await run(game, 'T1', 'T1', 'T1', 'T2', 'T2', 'T2', 'T2', 'T2');
  await expect(game).toHaveAttribute('data-outcome', 'stuck');
  await expect(game.locator('[data-variable="counter"]')).toHaveText('counter = 2');
  await expect(game.getByTestId('challenge-ending')).toContainText('It held.');
  await expect(game.locator('[data-level="locked-counter"]')).toHaveAttribute('data-status', 'won');
  expectNoFaults(faults);
});

test('undo takes back steps, even after the game is over', async ({page, faults}) => {
  const game = await openGame(page, 'overdraft');
  await expect(game.getByRole('button', {name: 'Undo'})).toHaveAttribute('aria-disabled', 'true');
  await run(game, 'T1', 'T2', 'T1', 'T2');
  await expect(game).toHaveAttribute('data-outcome', 'won');
  await expect(game.locator('[data-variable="balance"]')).toHaveText('balance = -30');
  await game.getByRole('button', {name: 'Undo'}).click();
  await expect(game).toHaveAttribute('data-moves', '3');
  await expect(game).toHaveAttribute('data-outcome', 'playing');
  await expect(game.locator('[data-variable="balance"]')).toHaveText('balance = 20');
  await expect(game.getByTestId('challenge-ending')).toHaveCount(0);
  await expect(game.locator('[data-thread="T2"] [aria-current="step"]')).toContainText('balance -= amount');
  await game.getByRole('button', {name: 'Undo'}).click();
  await expect(game).toHaveAttribute('data-moves', '2');
  await expect(game.locator('[data-variable="balance"]')).toHaveText('balance = 100');
  await game.getByRole('button', {name: 'Restart'}).click();
  await expect(game).toHaveAttribute('data-moves', '0');
  await expect(game.getByTestId('challenge-log')).toContainText('Nothing has run yet');
  expectNoFaults(faults);
});

test('progress survives a reload', async ({page, faults}) => {
  const game = await openGame(page, 'overdraft');
  await run(game, 'T1', 'T2', 'T1', 'T2');
  await expect(game.locator('[data-level="overdraft"]')).toHaveAttribute('data-status', 'won');
  const saved = await page.evaluate(() => localStorage.getItem('course:challenge:progress'));
  expect(JSON.parse(saved!)).toEqual({overdraft: 'won'});
  await page.reload();
  const reloaded = page.locator('[data-challenge]');
  await reloaded.scrollIntoViewIfNeeded();
  await expect(reloaded).toHaveAttribute('data-moves', '0');
  await expect(reloaded.locator('[data-level="overdraft"]')).toHaveAttribute('data-status', 'won');
  await expect(reloaded.locator('[data-level="lost-update"]')).toHaveAttribute('data-status', 'new');
  await expect(reloaded.getByTestId('challenge-won')).toHaveText('1');
  expectNoFaults(faults);
});

test('the keyboard plays the deadlock level: 1, 2, 1, 2 and the cycle is named; U undoes', async ({page, faults}) => {
  const game = await openGame(page, 'lock-order');
  await game.getByTestId('challenge-run-T1').focus();
  for (const [index, key] of ['1', '2', '1', '2'].entries()) {
    await page.keyboard.press(key);
    await expect(game).toHaveAttribute('data-moves', String(index + 1));
  }
  await expect(game).toHaveAttribute('data-outcome', 'won');
  await expect(game.getByTestId('challenge-ending')).toContainText('Deadlock: T1 holds alice_lock and waits for bob_lock; T2 holds bob_lock and waits for alice_lock');
  await expect(game.locator('[data-thread="T1"]')).toContainText('waits for bob_lock (held by T2)');
  // The focused button stays focused (aria-disabled, not disabled), so the keys keep working.
  await expect(game.getByTestId('challenge-run-T1')).toBeFocused();
  await page.keyboard.press('u');
  await expect(game).toHaveAttribute('data-moves', '3');
  await expect(game).toHaveAttribute('data-outcome', 'playing');
  // Tab reaches the run buttons, and Enter runs the focused one.
  await game.getByTestId('challenge-run-T2').focus();
  await page.keyboard.press('Shift+Tab');
  await expect(game.getByTestId('challenge-run-T1')).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(game).toHaveAttribute('data-moves', '4');
  await expect(game).toHaveAttribute('data-outcome', 'won');
  expectNoFaults(faults);
});

test('the stolen wake-up crashes a consumer that used if instead of while', async ({page, faults}) => {
  const game = await openGame(page, 'stolen-wakeup');
  await expect(game.locator('[data-thread]')).toHaveCount(3);
  await run(game, 'C1', 'C1', 'C1');
  await expect(game.locator('[data-condition="cond"]')).toContainText('sleeping in wait(): C1');
  await run(game, 'P', 'P', 'P', 'P', 'C2', 'C2', 'C2', 'C2', 'C1', 'C1');
  await expect(game).toHaveAttribute('data-outcome', 'won');
  await expect(game.getByTestId('challenge-ending')).toContainText('C1 raised IndexError: pop from empty list');
  await expect(game.getByTestId('challenge-ending')).toContainText('while not jobs:');
  expectNoFaults(faults);
});
