import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sqliteStore } from '../store/sqlite.js';
import { testBrowser } from '@tokenlane/test-servers/bff';
import { startBffStack, type BffStack } from './support/bffStack.js';

let stack: BffStack;
beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bff-1', alg: 'ES256', use: 'sig' };
  stack = await startBffStack({
    store: () => sqliteStore({ path: ':memory:' }),
    client: { privateKey, kid: 'bff-1' },
    clientMetadata: {
      client_secret: undefined,
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [jwk] },
    },
  });
});
afterAll(() => stack.close());

it('signs in, refreshes and revokes as a private_key_jwt client (RFC 7523)', async () => {
  const browser = testBrowser();
  await browser.signIn(stack.origin);
  expect((await browser.call(`${stack.origin}/api/me`)).status).toBe(200);
  const [session] = stack.bffs.map((bff) => bff.context);
  const opened = await session!.sessions.open(
    (await browser.jar.getCookies(stack.origin))[0]!.value,
  );
  await session!.refresher.renew(opened!);
  expect(stack.provider.counts.refresh).toBe(1);
  const answer = await browser.call(`${stack.origin}/bff/logout`, { method: 'POST' });
  expect(answer.status).toBe(200);
  expect(stack.provider.counts.revocations).toBe(1);
  expect(await stack.provider.isLive(stack.provider.issuedRefreshTokens.at(-1)!)).toBe(false);
});
