import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteStore } from '../store/sqlite.js';
import { testBrowser } from '@tokenlane/test-servers/bff';
import { BFF_CLIENT_ID, startBffStack, type BffStack } from './support/bffStack.js';

/** The BFF's clock: real time plus what a test adds (the provider keeps real time). */
let offset = 0;
const now = () => Date.now() + offset;

let stack: BffStack;
beforeAll(async () => {
  stack = await startBffStack({
    store: () => sqliteStore({ path: ':memory:', now }),
    accessTokenTtlSeconds: 3600,
    bff: {
      now,
      idleTimeoutSeconds: 600,
      absoluteTimeoutSeconds: 3000,
      loginRateLimit: 20,
      proxyRateLimit: 50,
    },
  });
});
afterAll(() => stack.close());

const session = (browser: ReturnType<typeof testBrowser>) =>
  browser.call(`${stack.origin}/bff/session`).then((answer) => answer.status);

describe('the session, server-side', () => {
  it('logout ends the session, revokes the upstream refresh token and clears the cookie', async () => {
    const browser = testBrowser();
    await browser.signIn(stack.origin);
    const refreshToken = stack.provider.issuedRefreshTokens.at(-1)!;
    expect(await stack.provider.isLive(refreshToken)).toBe(true);
    const [cookie] = await browser.jar.getCookies(stack.origin);
    const answer = await browser.call(`${stack.origin}/bff/logout`, { method: 'POST' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('set-cookie')).toMatch(
      /^__Host-tokenlane=; Path=\/; Secure; HttpOnly; SameSite=Strict; Max-Age=0$/,
    );
    const { endSessionUrl } = (await answer.json()) as { endSessionUrl: string };
    expect(new URL(endSessionUrl).origin).toBe(stack.provider.issuer);
    expect(await stack.provider.isLive(refreshToken)).toBe(false);
    expect(await browser.jar.getCookies(stack.origin)).toEqual([]);
    const replay = await fetch(`${stack.origin}/api/me`, {
      headers: {
        'X-Requested-With': 'XMLHttpRequest',
        Cookie: `__Host-tokenlane=${cookie!.value}`,
      },
    });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ error: 'no_session' });
  });

  it('back-channel logout from the provider ends the session of that provider session', async () => {
    const [ada, other] = [testBrowser(), testBrowser()];
    await ada.signIn(stack.origin);
    await other.signIn(stack.origin);
    const { user } = (await (await ada.call(`${stack.origin}/bff/session`)).json()) as {
      user: { sub: string; sid: string };
    };
    expect(user.sid).toBeTypeOf('string');
    await stack.provider.backchannelLogout(BFF_CLIENT_ID, user.sub, user.sid);
    expect(await session(ada)).toBe(401);
    expect(await session(other)).toBe(200);
  });

  it('refuses a forged or unsigned logout token', async () => {
    const header = Buffer.from('{"alg":"none"}').toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({ sub: 'ada@provider.example', events: {} }),
    ).toString('base64url');
    const answer = await fetch(`${stack.origin}/bff/backchannel-logout`, {
      method: 'POST',
      body: new URLSearchParams({ logout_token: `${header}.${payload}.` }),
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('ends a session after its idle timeout, and a proxied call moves that end', async () => {
    const browser = testBrowser();
    await browser.signIn(stack.origin);
    offset += 500_000;
    expect((await browser.call(`${stack.origin}/api/me`)).status).toBe(200);
    offset += 500_000;
    expect(await session(browser)).toBe(200);
    // The check-session endpoint is not use: it does not move the idle end.
    offset += 200_000;
    expect(await session(browser)).toBe(401);
  });

  it('ends a session at its absolute end, however busy', async () => {
    const browser = testBrowser();
    await browser.signIn(stack.origin);
    for (let i = 0; i < 5; i++) {
      offset += 500_000;
      expect((await browser.call(`${stack.origin}/api/me`)).status).toBe(200);
    }
    offset += 400_000;
    expect((await browser.call(`${stack.origin}/api/me`)).status).toBe(200);
    // 3,100 s after login: the idle end (moved at 2,900 s) is later, the absolute end (3,000 s) is past.
    offset += 200_000;
    expect(await session(browser)).toBe(401);
  });

  it('rate-limits logins and proxied calls per client, with Retry-After', async () => {
    const browser = testBrowser();
    await browser.signIn(stack.origin);
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      const answer = await browser.call(`${stack.origin}/api/resource/whoami`);
      statuses.push(answer.status);
      if (answer.status === 429)
        expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      await answer.body?.cancel();
    }
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
    const logins: number[] = [];
    for (let i = 0; i < 25; i++) {
      const answer = await browser.navigate(`${stack.origin}/bff/login`);
      logins.push(answer.status);
      await answer.body?.cancel();
    }
    expect(logins).toContain(429);
    offset += 61_000;
  });
});
