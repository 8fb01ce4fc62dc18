import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppWorld, type AppWorld, type ExampleApp } from './appWorld.js';
import { launchChromium } from './chromium.js';
import { hydrated, mostCookiesPerAnswer, recordedTab, type RecordedTab } from './ssrTabs.js';

/** What issue 34's acceptance needs of an example app; see `describeSsrAcceptance`. */
export interface SsrExample {
  /** The suite's name. */
  name: string;
  app: ExampleApp;
  /** The test id of each server call's answer in the page, and how many the page shows. */
  callTestId: string;
  calls: number;
  /** Signs in from the app's home page, just loaded in `page` (each example has its way). */
  signIn(page: Page): Promise<void>;
  /** More calls the tabs make at each expiry while their pages load (a route handler). */
  whileLoading?(tabs: RecordedTab[], origin: string): Promise<void>;
  /**
   * The button that asks the API from the browser through the server once hydrated (a server
   * action, a route action, a server function): its answer shows in `action-user`.
   */
  askButton: RegExp;
}

/** The user oidc-provider signs in. */
export const SIGNED_IN_USER = 'ada@provider.example';
const TTL_S = 8;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Issue 34's acceptance for a server-rendered example: three instances on Redis behind the test
 * balancer, oidc-provider rotating refresh tokens with no reuse grace (access tokens live 8 s, the
 * BFF refreshes 1 s early), in Chromium. The first HTML is the signed-in page, with no call from
 * the page at start; three tabs loaded at each of two expiries make one upstream refresh per
 * rotation, no `invalid_grant`, at most one `Set-Cookie` per answer, and adopt the session with no
 * call. Resolves the world and the signed-in browser context for the example's own tests.
 */
export function describeSsrAcceptance(example: SsrExample) {
  let world: AppWorld;
  let browser: Browser;
  let context: BrowserContext;
  const { callTestId, calls } = example;

  beforeAll(async () => {
    [world, browser] = await Promise.all([startAppWorld(example.app, TTL_S), launchChromium()]);
    context = await browser.newContext();
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    await page.goto(world.origin);
    await example.signIn(page);
    await page.getByTestId('user').waitFor();
    await page.close();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await world?.close();
  });

  describe(`${example.name}: three instances on Redis, oidc-provider upstream`, () => {
    it('sends the signed-in page in the first HTML, and the client makes no call at start', async () => {
      // The HTML as served, before any script runs.
      const html = await (await context.request.get(`${world.origin}/`)).text();
      expect(html.match(new RegExp(`data-testid="user">${SIGNED_IN_USER}<`, 'g'))).toHaveLength(1);
      const answered = new RegExp(`data-testid="${callTestId}">${SIGNED_IN_USER}<`, 'g');
      expect(html.match(answered)).toHaveLength(calls);
      expect(html).not.toContain('data-testid="login"');
      expect(html).not.toContain('Loading…');
      const { page, bffCalls } = await recordedTab(context, world.origin);
      await page.goto(world.origin);
      await hydrated(page);
      expect(bffCalls).toEqual([]);
      await page.close();
    });

    it('3 tabs at each expiry, then a call from each through the server: 1 upstream refresh per rotation, 0 invalid_grant, at most one cookie per answer, the tabs adopt the session', async () => {
      for (let rotation = 1; rotation <= 2; rotation++) {
        world.provider.reset();
        await sleep(TTL_S * 1000);
        const tabs = await Promise.all([0, 1, 2].map(() => recordedTab(context, world.origin)));
        await Promise.all([
          ...tabs.map(({ page }) => page.goto(world.origin)),
          example.whileLoading?.(tabs, world.origin),
        ]);
        await Promise.all(tabs.map(({ page }) => hydrated(page)));
        for (const { page } of tabs) {
          await page.getByRole('button', { name: example.askButton }).click();
          await expect
            .poll(() => page.getByTestId('action-user').textContent())
            .toBe(SIGNED_IN_USER);
        }
        expect(world.provider.counts.refresh, `rotation ${rotation}`).toBe(1);
        expect(world.provider.counts.refused).toBe(0);
        for (const { page, bffCalls, answers } of tabs) {
          const users = await page.getByTestId(callTestId).allTextContents();
          expect(users).toEqual(Array(calls).fill(SIGNED_IN_USER));
          expect(bffCalls).toEqual([]);
          expect(await mostCookiesPerAnswer(answers)).toBeLessThanOrEqual(1);
          await page.close();
        }
      }
      // Every instance served.
      expect(world.balancer.counts.byUpstream.size).toBe(3);
    });
  });

  return { world: () => world, context: () => context };
}
