import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteStore } from '../store/sqlite.js';
import { testBrowser } from '@tokenlane/test-servers/bff';
import { startBffStack, type BffStack } from './support/bffStack.js';

let stack: BffStack;
beforeAll(async () => {
  stack = await startBffStack({ store: () => sqliteStore({ path: ':memory:' }) });
});
afterAll(() => stack.close());

describe('BFF login with an OpenID Connect provider (oidc-provider, confidential client)', () => {
  it('signs in by navigation, sets only the __Host- session cookie, and proxies with the token', async () => {
    const browser = testBrowser();
    expect(await browser.signIn(stack.origin, '?returnTo=/todos')).toBe('/todos');
    const cookies = await browser.jar.getCookies(stack.origin);
    expect(cookies.map((cookie) => cookie.key)).toEqual(['__Host-tokenlane']);
    const [cookie] = cookies;
    expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: 'strict', path: '/' });
    expect(cookie!.domain).toBe('127.0.0.1');
    expect(cookie!.hostOnly).toBe(true);

    const session = await browser.call(`${stack.origin}/bff/session`);
    expect(session.status).toBe(200);
    const facts = (await session.json()) as Record<string, unknown>;
    expect(facts.user).toMatchObject({
      sub: 'ada@provider.example',
      email: 'ada@provider.example',
    });
    expect(facts.sessionExpiresIn).toBeGreaterThan(0);
    expect(facts.authTime).toBeTypeOf('number');
    expect(JSON.stringify(facts)).not.toMatch(/eyJ/);
    expect(stack.provider.issuedRefreshTokens.length).toBeGreaterThan(0);
    for (const token of stack.provider.issuedRefreshTokens) {
      expect(JSON.stringify(facts)).not.toContain(token);
    }

    const me = await browser.call(`${stack.origin}/api/me`);
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ sub: 'ada@provider.example' });
  });

  it("refuses a callback whose state is not this browser's login", async () => {
    const victim = testBrowser();
    const attacker = testBrowser();
    const start = await attacker.navigate(`${stack.origin}/bff/login`);
    const state = new URL(start.headers.get('location')!).searchParams.get('state');
    const planted = await victim.navigate(`${stack.origin}/bff/callback?code=x&state=${state}`);
    expect(planted.status).toBe(400);
    expect(await planted.json()).toMatchObject({ error: 'login_invalid' });
    expect(await victim.jar.getCookies(stack.origin)).toEqual([]);
  });

  it('mints a new session id at each login (no fixation) and ends the previous session', async () => {
    const browser = testBrowser();
    await browser.signIn(stack.origin);
    const [first] = await browser.jar.getCookies(stack.origin);
    await browser.signIn(stack.origin);
    const [second] = await browser.jar.getCookies(stack.origin);
    expect(second!.value).not.toBe(first!.value);
    const replay = await fetch(`${stack.origin}/bff/session`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest', Cookie: `__Host-tokenlane=${first!.value}` },
    });
    expect(replay.status).toBe(401);
  });
});
