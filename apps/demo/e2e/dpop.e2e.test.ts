import { DEMO } from '@tokenlane/test-harness';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fireBurst, signInAt, signInOAuth, sleep, startOAuthWorld } from './harness.js';

// Issue 24: DPoP in Chromium. The demo's switch (`?dpop=on`) binds the tokens to a key pair made
// by the browser's WebCrypto and kept in IndexedDB, its private key not extractable: against the
// reference API (DPOP=optional) and against oidc-provider (nonces required), through the OAuth
// profile. A burst after expiry still makes one refresh; a copied refresh cookie is worthless.

const TTL_S = 3;
let world: Awaited<ReturnType<typeof startOAuthWorld>>;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  world = await startOAuthWorld(TTL_S);
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});
afterAll(() => world?.close());

async function newPage() {
  const context = await world.browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  return { context, page: await context.newPage() };
}

/** The key pair in the page's IndexedDB: whether its private key is extractable, and its thumbprint. */
const storedKey = (page: Page) =>
  page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('tokenlane-dpop');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB'));
    });
    const pair = await new Promise<CryptoKeyPair>((resolve, reject) => {
      const request = db.transaction('keys').objectStore('keys').get('current');
      request.onsuccess = () => resolve(request.result as CryptoKeyPair);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB'));
    });
    const { crv, kty, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
    const digest = await crypto.subtle.digest(
      'SHA-256',
      new TextEncoder().encode(JSON.stringify({ crv, kty, x, y })),
    );
    const thumbprint = btoa(String.fromCharCode(...new Uint8Array(digest)))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    return { extractable: pair.privateKey.extractable, thumbprint };
  });

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
    cnf?: { jkt?: string };
  };

describe('DPoP in Chromium', () => {
  it('against the API: tokens bound to a key the page cannot export; the devtools say so; a burst after expiry makes one refresh', async () => {
    const { page } = await newPage();
    // The page's clock and timers can be paused, as on a sleeping laptop: its token then expires
    // unnoticed (no proactive renewal in between), and the burst meets the expiry.
    await page.clock.install();
    const token = await signInAt(page, `${world.stack.url}/?dpop=on&devtools`, DEMO);
    const key = await storedKey(page);
    expect(key.extractable).toBe(false);
    expect(claimsOf(token).cnf?.jkt).toBe(key.thumbprint);

    await page.getByTestId('tokenlane-devtools-toggle').click();
    await expect
      .poll(() => page.getByTestId('tokenlane-devtools-binding').textContent(), { timeout: 15_000 })
      .toBe(`DPoP-bound · key ${key.thumbprint.slice(0, 8)}…`);

    await page.clock.pauseAt(Date.now() + 100);
    await sleep((TTL_S + 1.5) * 1000);
    world.stack.api.reset();
    expect(await fireBurst(page)).toMatch(/^50\/50 succeeded · 1 refresh call ·/);
    expect(world.stack.api.counts.refresh).toBe(1);
    await page.clock.resume();
  });

  it('against the API: the refresh cookie copied out of the browser is refused without the key, and the page keeps its session', async () => {
    const { context, page } = await newPage();
    await signInAt(page, `${world.stack.url}/?dpop=on`, DEMO);
    const cookie = (await context.cookies()).find((c) => c.name === 'tokenlane_rt');
    expect(cookie).toBeDefined();
    const stolen = await fetch(`${world.stack.api.url}/auth/refresh`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Requested-With': 'fetch',
        Cookie: `${cookie!.name}=${cookie!.value}`,
      },
      body: '{}',
    });
    expect(stolen.status).toBe(401);
    expect(await stolen.json()).toMatchObject({ error: 'invalid_grant' });
    // Nothing was revoked: the page, which holds the key, renews as before.
    world.stack.api.reset();
    await page.reload();
    await page.getByTestId('todo-input').waitFor();
    expect(world.stack.api.counts.refresh).toBe(1);
    expect(await page.getByTestId('user-email').textContent()).toBe(DEMO.email);
  });

  it('against oidc-provider (nonces required): login with PKCE, a burst after expiry, every token bound to the key', async () => {
    const { page } = await newPage();
    let lastSent = '';
    const schemes = new Set<string>();
    page.on('request', (request) => {
      const authorization = request.headers().authorization;
      if (!request.url().endsWith('/me') || !authorization) return;
      schemes.add(authorization.split(' ')[0]!);
      lastSent = authorization.replace(/^\S+ /, '');
    });
    await page.clock.install();
    await signInOAuth(page, world.stack.url, world.provider.issuer, true);
    expect(await page.getByTestId('oauth-binding').textContent()).toMatch(/bound to a DPoP key/);
    const key = await storedKey(page);
    expect(key.extractable).toBe(false);
    // What the provider bound the live tokens to (an access token is forgotten once expired).
    const bindings = async () => ({
      access: await world.provider.bindingOf(lastSent, 'access'),
      refresh: await world.provider.bindingOf(
        world.provider.issuedRefreshTokens.at(-1)!,
        'refresh',
      ),
    });
    await page.getByTestId('oauth-ping').click();
    await expect.poll(() => page.getByTestId('oauth-pings').textContent()).toBe('1 ok, 0 failed');
    expect(await bindings()).toEqual({ access: key.thumbprint, refresh: key.thumbprint });
    const first = lastSent;

    await page.clock.pauseAt(Date.now() + 100);
    await sleep((TTL_S + 1.5) * 1000);
    world.provider.reset();
    expect(await fireBurst(page)).toMatch(/^50\/50 succeeded · 1 refresh call ·/);
    expect(world.provider.counts).toMatchObject({ refresh: 1, refused: 0 });
    // Renewed, and bound to the same key; every /me went with the DPoP scheme.
    expect(lastSent).not.toBe(first);
    expect(await bindings()).toEqual({ access: key.thumbprint, refresh: key.thumbprint });
    expect([...schemes]).toEqual(['DPoP']);
    await page.clock.resume();
  });
});
