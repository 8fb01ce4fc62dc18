import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppWorld, type AppWorld } from '@tokenlane/test-servers/appWorld';
import { launchChromium, signInAtProvider } from '@tokenlane/test-servers/chromium';
import { hydrated, mostCookiesPerAnswer, recordedTab } from '@tokenlane/test-servers/ssrTabs';
import { tanstackStartApp } from './app.js';

// Issue 34's acceptance for TanStack Start (1.169 on Node 20): the example on three instances on
// Redis behind the balancer, oidc-provider rotating refresh tokens with no reuse grace (access
// tokens live 4 s, the BFF refreshes 1 s early). Each render runs the request middleware, the
// root's server function and ten server functions in parallel, each calling the API.

const TTL_S = 4;
const CALLS = 10;
let world: AppWorld;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  [world, browser] = await Promise.all([startAppWorld(tanstackStartApp, TTL_S), launchChromium()]);
  context = await browser.newContext();
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  await page.goto(world.origin);
  await page.getByTestId('login').click();
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

describe('TanStack Start example: three instances on Redis, oidc-provider upstream', () => {
  it('sends the signed-in page in the first HTML, and the client makes no call at start', async () => {
    const html = await (await context.request.get(`${world.origin}/`)).text();
    expect(html).toContain('ada@provider.example');
    expect(html).not.toContain('data-testid="login"');
    expect(html).not.toContain('Loading…');
    expect(html.match(/data-testid="api-user">ada@provider.example</g)).toHaveLength(CALLS);
    const { page, bffCalls } = await recordedTab(context, world.origin);
    await page.goto(world.origin);
    await hydrated(page);
    expect(bffCalls).toEqual([]);
    await page.close();
  });

  it('3 tabs loaded at each expiry: 1 upstream refresh per rotation, 0 invalid_grant, at most one cookie per answer, the tabs adopt the session', async () => {
    for (let rotation = 1; rotation <= 2; rotation++) {
      world.provider.reset();
      await sleep(TTL_S * 1000);
      const tabs = await Promise.all([0, 1, 2].map(() => recordedTab(context, world.origin)));
      await Promise.all(tabs.map(({ page }) => page.goto(world.origin)));
      await Promise.all(tabs.map(({ page }) => hydrated(page)));
      expect(world.provider.counts.refresh, `rotation ${rotation}`).toBe(1);
      expect(world.provider.counts.refused).toBe(0);
      for (const { page, bffCalls, answers } of tabs) {
        const users = await page.getByTestId('api-user').allTextContents();
        expect(users).toEqual(Array(CALLS).fill('ada@provider.example'));
        expect(bffCalls).toEqual([]);
        expect(await mostCookiesPerAnswer(answers)).toBeLessThanOrEqual(1);
        await page.close();
      }
    }
    // Every instance rendered.
    expect(world.balancer.counts.byUpstream.size).toBe(3);
  });
});
