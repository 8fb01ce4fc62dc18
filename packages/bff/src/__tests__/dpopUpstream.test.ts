import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sealingKeys, sessionIdHash } from '../sealing.js';
import { sqliteStore } from '../store/sqlite.js';
import type { SessionStore } from '../store/types.js';
import type { UpstreamTokens } from '../upstream/types.js';
import { testBrowser } from '@tokenlane/test-servers/bff';
import { startBffStack, TEST_KEYS, type BffStack } from './support/bffStack.js';

// DPoP-bound upstream tokens (RFC 9449) with a key pair the BFF keeps: oidc-provider binds the
// tokens to its thumbprint, the proxy presents them with a proof, and a token copied out of the
// BFF is refused without the key.

let stack: BffStack;
let store: SessionStore;
let keyPair: CryptoKeyPair;
beforeAll(async () => {
  keyPair = await generateKeyPair('ES256');
  store = sqliteStore({ path: ':memory:' });
  stack = await startBffStack({ store: () => store, dpop: keyPair });
});
afterAll(() => stack.close());

it('binds the upstream tokens to the BFF key, proxies with proofs, and a copied token is refused', async () => {
  const browser = testBrowser();
  await browser.signIn(stack.origin);
  const me = await browser.call(`${stack.origin}/api/me`);
  expect(me.status).toBe(200);
  expect(await me.json()).toMatchObject({ sub: 'ada@provider.example' });

  const [cookie] = await browser.jar.getCookies(stack.origin);
  const key = sessionIdHash(cookie!.value);
  const held = async () => {
    const stored = await store.read(key);
    return (
      JSON.parse(sealingKeys(TEST_KEYS).open(stored!.data, key)) as { tokens: UpstreamTokens }
    ).tokens;
  };
  const jkt = await calculateJwkThumbprint(await exportJWK(keyPair.publicKey));
  const { accessToken, refreshToken } = await held();
  expect(await stack.provider.bindingOf(accessToken, 'access')).toBe(jkt);
  // RFC 9449 §5: a confidential client's refresh token is bound to its client authentication.
  expect(await stack.provider.bindingOf(refreshToken!, 'refresh')).toBeUndefined();

  // Stolen from the BFF's memory: as a Bearer token, or as DPoP without a proof, it is refused.
  for (const [authorization, status] of [
    [`Bearer ${accessToken}`, 401],
    [`DPoP ${accessToken}`, 400],
  ] as const) {
    const stolen = await fetch(`${stack.provider.issuer}/me`, { headers: { authorization } });
    expect(stolen.status, authorization.split(' ')[0]).toBe(status);
  }

  // A refresh through the BFF (the token endpoint with a proof) keeps the binding.
  const [instance] = stack.bffs;
  const opened = await instance!.context.sessions.open(cookie!.value);
  await instance!.context.refresher.renew(opened!);
  expect(stack.provider.counts.refresh).toBe(1);
  const renewed = await held();
  expect(renewed.accessToken).not.toBe(accessToken);
  expect(await stack.provider.bindingOf(renewed.accessToken, 'access')).toBe(jkt);
  expect((await browser.call(`${stack.origin}/api/me`)).status).toBe(200);
});
