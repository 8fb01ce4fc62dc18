import { ADMIN } from '@tokenlane/test-harness';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signInAt, sleep, startStack, type Stack } from './harness.js';

// Issue 24: step-up (RFC 9470) in Chromium. The API wants a sign-in at most STEP_UP_MAX_AGE old
// for its admin routes; past that, the demo's admin action ("Recount now": three requests at once)
// is answered 401 insufficient_user_authentication. The requests wait, one dialog asks for the
// password, and each request is sent once more after the new sign-in; cancelling fails them with
// StepUpRequiredError.

const MAX_AGE_S = 2;
let stack: Stack;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  stack = await startStack({
    accessTokenTtlSeconds: 60,
    env: { STEP_UP_MAX_AGE: String(MAX_AGE_S) },
    bff: true,
  });
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function adminPage(transport: 'axios' | 'fetch', mode: 'spa' | 'bff' = 'spa') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  const page = await context.newPage();
  // Counts the dialog's openings (`showModal`), from page load on.
  await page.addInitScript(() => {
    const w = window as unknown as { __dialogs?: number };
    w.__dialogs = 0;
    const { prototype } = HTMLDialogElement;
    const showModal = Object.getOwnPropertyDescriptor(prototype, 'showModal')!.value as (
      this: HTMLDialogElement,
    ) => void;
    prototype.showModal = function (this: HTMLDialogElement) {
      w.__dialogs = (w.__dialogs ?? 0) + 1;
      showModal.call(this);
    };
  });
  const query = new URLSearchParams({
    ...(transport === 'fetch' && { transport: 'fetch' }),
    ...(mode === 'bff' && { mode: 'bff' }),
  }).toString();
  await signInAt(page, `${stack.url}/${query && `?${query}`}`, ADMIN);
  await page.getByTestId('admin-stats').waitFor();
  return page;
}

/**
 * Waits until the sign-in is older than STEP_UP_MAX_AGE for the API, which compares whole seconds
 * (`floor(now) - auth_time > max_age`): a full second more than the maximum, whatever the
 * fraction of the second the login fell in.
 */
const pastMaxAge = () => sleep((MAX_AGE_S + 1) * 1000 + 300);

const dialogsOpened = (page: Page) =>
  page.evaluate(() => (window as unknown as { __dialogs?: number }).__dialogs ?? 0);

/** The statuses of the admin action's requests (`?fresh=1`), in order of answer. */
function recountAnswers(page: Page) {
  const statuses: number[] = [];
  page.on('response', (response) => {
    // `/api/...`, or `/bff-api/...` through the BFF.
    if (response.url().includes('/admin/stats?fresh=1')) statuses.push(response.status());
  });
  return statuses;
}

describe('step-up in Chromium', () => {
  it.each([
    ['axios', 'spa'],
    ['fetch', 'spa'],
    ['axios', 'bff'],
  ] as const)(
    'over %s (%s mode): three held requests make one dialog; after the password each is sent once more and succeeds',
    async (transport, mode) => {
      const page = await adminPage(transport, mode);
      const answers = recountAnswers(page);
      await pastMaxAge();
      await page.getByTestId('admin-recount').click();
      const dialog = page.getByRole('dialog', { name: 'Confirm it’s you' });
      await dialog.waitFor();
      // All three were refused and wait; none failed.
      await expect.poll(() => answers.length, { timeout: 15_000 }).toBe(3);
      expect(answers).toEqual([401, 401, 401]);
      expect(await page.getByTestId('admin-recount-result').textContent()).toBe('Recounting…');
      // A modal dialog: the focus moved into it, on its password field.
      expect(
        await dialog.getByLabel('Password').evaluate((field) => field === document.activeElement),
      ).toBe(true);
      await dialog.getByLabel('Password').fill(ADMIN.password);
      await dialog.getByRole('button', { name: 'Confirm' }).click();
      await expect
        .poll(() => page.getByTestId('admin-recount-result').textContent(), { timeout: 15_000 })
        .toBe('3 of 3 recounts answered.');
      expect(await dialog.isVisible()).toBe(false);
      expect(answers).toEqual([401, 401, 401, 200, 200, 200]);
      expect(await dialogsOpened(page)).toBe(1);
    },
  );

  it('a wrong password keeps the dialog and the requests waiting; the right one releases them', async () => {
    const page = await adminPage('axios');
    const answers = recountAnswers(page);
    await pastMaxAge();
    await page.getByTestId('admin-recount').click();
    const dialog = page.getByRole('dialog', { name: 'Confirm it’s you' });
    await dialog.getByLabel('Password').fill('not-the-password');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await expect(dialog.getByRole('alert').textContent()).resolves.toMatch(/not right/);
    expect(await dialog.isVisible()).toBe(true);
    expect(answers).toEqual([401, 401, 401]);
    await dialog.getByLabel('Password').fill(ADMIN.password);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await expect
      .poll(() => page.getByTestId('admin-recount-result').textContent(), { timeout: 15_000 })
      .toBe('3 of 3 recounts answered.');
    expect(answers).toEqual([401, 401, 401, 200, 200, 200]);
  });

  it.each([
    ['the Cancel button', (page: Page) => page.getByTestId('step-up-cancel').click()],
    [
      'Escape',
      async (page: Page) => {
        // Where the user is when they press it: in the dialog's field.
        await page.getByTestId('step-up-password').click();
        await page.keyboard.press('Escape');
      },
    ],
  ])(
    'cancelling with %s fails the held requests with StepUpRequiredError; the session stays',
    async (_how, cancel) => {
      const page = await adminPage('fetch');
      const answers = recountAnswers(page);
      await pastMaxAge();
      await page.getByTestId('admin-recount').click();
      const dialog = page.getByRole('dialog', { name: 'Confirm it’s you' });
      await dialog.waitFor();
      await cancel(page);
      await expect
        .poll(() => page.getByTestId('admin-recount-result').textContent(), { timeout: 15_000 })
        .toBe('Cancelled: this needs a recent sign-in (StepUpRequiredError).');
      expect(await dialog.isVisible()).toBe(false);
      expect(answers).toEqual([401, 401, 401]);
      // Still signed in: a step-up refused is not a sign-out.
      expect(await page.getByTestId('user-email').textContent()).toBe(ADMIN.email);
      expect(await page.getByTestId('todo-input').isVisible()).toBe(true);
    },
  );
});
