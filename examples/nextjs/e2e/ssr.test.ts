import type { APIResponse, Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppWorld, type AppWorld } from '@tokenlane/test-servers/appWorld';
import { launchChromium, signInAtProvider } from '@tokenlane/test-servers/chromium';
import {
  hydrated,
  mostCookiesPerAnswer,
  recordedTab,
  type RecordedTab,
} from '@tokenlane/test-servers/ssrTabs';
import { nextApp } from './app.js';

// Issue 34's acceptance for Next.js (App Router): the example on three instances on Redis behind
// the balancer, oidc-provider rotating refresh tokens with no reuse grace (access tokens live
// 4 s, the BFF refreshes 1 s early). Each page load runs proxy.ts, the root layout and 20 server
// components calling the API in parallel; each tab also calls a route handler at the same moment,
// and a server action once hydrated.

const TTL_S = 4;
const CALLS = 20;
const USER = 'ada@provider.example';
let world: AppWorld;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  [world, browser] = await Promise.all([startAppWorld(nextApp, TTL_S), launchChromium()]);
  context = await browser.newContext();
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  await page.goto(world.origin); // proxy.ts: no session, so to the provider's sign-in
  await signInAtProvider(page);
  await page.getByTestId('user').waitFor();
  await page.close();
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await world?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cookiesOf = (answer: APIResponse) =>
  answer.headersArray().filter(({ name }) => name.toLowerCase() === 'set-cookie').length;

describe('Next.js example: three instances on Redis, oidc-provider upstream', () => {
  it('proxy.ts sends a request with no session to sign in', async () => {
    const answer = await fetch(world.origin, { redirect: 'manual' });
    expect(answer.status).toBe(307);
    expect(answer.headers.get('location')).toBe('/bff/login?returnTo=%2F');
  });

  it('sends the signed-in page in the first HTML, and the client makes no call at start', async () => {
    const html = await (await context.request.get(`${world.origin}/`)).text();
    expect(html.match(new RegExp(`data-testid="user">${USER}<`, 'g'))).toHaveLength(1);
    expect(html.match(new RegExp(`data-testid="api-user">${USER}<`, 'g'))).toHaveLength(CALLS);
    expect(html).not.toContain('data-testid="login"');
    expect(html).not.toContain('Loading…');
    const { page, bffCalls } = await recordedTab(context, world.origin);
    await page.goto(world.origin);
    await hydrated(page);
    expect(bffCalls).toEqual([]);
    await page.close();
  });

  it('3 tabs, a route handler and server actions at each expiry: 1 upstream refresh per rotation, 0 invalid_grant, at most one cookie per answer, the tabs adopt the session', async () => {
    for (let rotation = 1; rotation <= 2; rotation++) {
      world.provider.reset();
      await sleep(TTL_S * 1000);
      const tabs: RecordedTab[] = await Promise.all(
        [0, 1, 2].map(() => recordedTab(context, world.origin)),
      );
      const [, handled] = await Promise.all([
        Promise.all(tabs.map(({ page }) => page.goto(world.origin))),
        Promise.all(tabs.map(({ page }) => page.request.get(`${world.origin}/user`))),
      ]);
      await Promise.all(tabs.map(({ page }) => hydrated(page)));
      for (const answer of handled) {
        expect(await answer.json()).toEqual({ apiUser: USER });
        expect(cookiesOf(answer)).toBeLessThanOrEqual(1);
      }
      for (const { page } of tabs) {
        await page.getByRole('button', { name: /server action/ }).click();
        await expect.poll(() => page.getByTestId('action-user').textContent()).toBe(USER);
      }
      expect(world.provider.counts.refresh, `rotation ${rotation}`).toBe(1);
      expect(world.provider.counts.refused).toBe(0);
      for (const { page, bffCalls, answers } of tabs) {
        const users = await page.getByTestId('api-user').allTextContents();
        expect(users).toEqual(Array(CALLS).fill(USER));
        expect(bffCalls).toEqual([]);
        expect(await mostCookiesPerAnswer(answers)).toBeLessThanOrEqual(1);
        await page.close();
      }
    }
    // Every instance served.
    expect(world.balancer.counts.byUpstream.size).toBe(3);
  });
});
