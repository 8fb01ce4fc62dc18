import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '@tokenlane/test-harness';
import { sealingKeys, sessionIdHash } from '../sealing.js';
import type { UpstreamTokens } from '../upstream/types.js';
import { testBrowser } from '@tokenlane/test-servers/bff';
import { TEST_KEYS } from './support/bffStack.js';
import { startTokenlaneStack, type TokenlaneStack } from './support/tokenlaneStack.js';

let stack: TokenlaneStack;
let origin: string;
beforeAll(async () => {
  stack = await startTokenlaneStack();
  origin = stack.origin;
});
afterAll(() => stack.close());

const login = async () => {
  const browser = testBrowser();
  const answer = await browser.call(`${origin}/bff/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(DEMO),
  });
  return { browser, answer };
};

/** The token set the BFF holds for a browser's session (the test has the keys). */
const heldTokens = async (browser: ReturnType<typeof testBrowser>) => {
  const [cookie] = await browser.jar.getCookies(origin);
  const key = sessionIdHash(cookie!.value);
  const stored = await stack.store.read(key);
  return (JSON.parse(sealingKeys(TEST_KEYS).open(stored!.data, key)) as { tokens: UpstreamTokens })
    .tokens;
};

describe('the Tokenlane API as the upstream', () => {
  it("signs in by a JSON post: the page gets the user, the BFF keeps the API's refresh cookie", async () => {
    const { browser, answer } = await login();
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as Record<string, unknown>;
    expect(body.user).toMatchObject({ email: DEMO.email });
    expect(JSON.stringify(body)).not.toMatch(/eyJ|"accessToken"/);
    expect(answer.headers.getSetCookie()).toHaveLength(1);
    expect(answer.headers.getSetCookie()[0]).toMatch(/^__Host-tokenlane=/);
    expect((await heldTokens(browser)).refreshToken).toMatch(/.{20,}/);
  });

  it("passes the API's refusal of a login on, with its status and code", async () => {
    const browser = testBrowser();
    const answer = await browser.call(`${origin}/bff/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...DEMO, password: 'wrong-password' }),
    });
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ error: 'invalid_credentials' });
    expect(await browser.jar.getCookies(origin)).toEqual([]);
  });

  it('proxies calls and refreshes once for a burst across the expiry', async () => {
    const { browser } = await login();
    expect((await browser.call(`${origin}/api/todos`)).status).toBe(200);
    stack.api.reset();
    stack.advance(61_000);
    const statuses = await Promise.all(
      Array.from({ length: 30 }, () =>
        browser.call(`${origin}/api/todos`).then((answer) => answer.status),
      ),
    );
    expect(statuses).toEqual(Array(30).fill(200));
    expect(stack.api.counts.refresh).toBe(1);
    expect(stack.api.counts.unauthorized).toBe(0);
  });

  it("keeps the session when the API's refresh answer is lost after it rotated: the retry recovers", async () => {
    const { browser } = await login();
    stack.api.reset();
    stack.advance(61_000);
    stack.link.cutRefreshAnswers(true);
    const lost = await browser.call(`${origin}/api/todos`);
    expect(lost.status).toBe(503);
    expect(lost.headers.get('retry-after')).toBe('1');
    stack.link.cutRefreshAnswers(false);
    const retried = await browser.call(`${origin}/api/todos`);
    expect(retried.status).toBe(200);
    expect(stack.link.counts.cut).toBe(1);
    expect(stack.api.counts.refresh).toBe(2);
  });

  it('logout revokes the refresh token at the API', async () => {
    const { browser } = await login();
    const { refreshToken } = await heldTokens(browser);
    expect((await browser.call(`${origin}/bff/logout`, { method: 'POST' })).status).toBe(200);
    const refresh = await fetch(`${stack.api.url}/auth/refresh`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Requested-With': 'XMLHttpRequest',
        Cookie: `tokenlane_rt=${refreshToken}`,
      },
      body: '{}',
    });
    expect(refresh.status).toBe(401);
  });
});
