import { createHash } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SessionClientOptions } from '@tokenlane/react-auth/client';
import { dpop, memoryKeyStore, type Dpop } from '@tokenlane/react-auth/dpop';
import { oauthDpop, oauthServer, type OAuthCallback } from '@tokenlane/react-auth/oauth';
import { sleep, withCookieJar } from '@tokenlane/test-servers/cookieJar';
import {
  OIDC_ACCOUNT,
  OIDC_CLIENT_ID,
  signInThroughProvider,
  startOidcProvider,
  type OidcServer,
} from '@tokenlane/test-servers/oidc';
import { onlyOver, transports } from '@tokenlane/test-servers/transports';
import { useSteadily, frozenTab } from './timing.js';

// Issue 24: the OAuth profile with DPoP against oidc-provider, its DPoP feature on and a nonce
// required on every proof. The token calls carry oauth4webapi's own proofs (its `DPoP` handle),
// the calls to `/me` the client's: login with PKCE, rotation, bursts after expiry, every token
// bound to the client's key; a refresh token presented with another key is refused.

const TTL_S = 3;
let provider: OidcServer;
beforeAll(async () => {
  provider = await startOidcProvider({
    accessTokenTtlSeconds: TTL_S,
    dpop: { requireNonce: true },
  });
});
afterAll(() => provider?.close());
const clients: Array<{ dispose(): void }> = [];
afterEach(() => clients.splice(0).forEach((client) => client.dispose()));

type User = { sub: string };
const profile = () =>
  oauthServer<User>({
    issuer: provider.issuer,
    clientId: OIDC_CLIENT_ID,
    redirectUri: provider.redirectUri,
    authorizationParams: { prompt: 'consent' },
    allowInsecureRequests: true,
    dpop: oauthDpop,
  });
/** RFC 7638's thumbprint of the key in the client's proofs, computed here from the JWK. */
const thumbprint = async (key: Dpop) => {
  const proof = await key.proof('GET', provider.issuer);
  const { jwk } = JSON.parse(Buffer.from(proof.split('.')[0]!, 'base64url').toString()) as {
    jwk: { crv: string; kty: string; x: string; y: string };
  };
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
};
const waitPastExpiry = () => sleep(TTL_S * 1000 + 300);

describe.each(transports)(
  'DPoP over $name, against oidc-provider (nonces required)',
  (transport) => {
    const client = (options: SessionClientOptions<User, OAuthCallback> = {}) => {
      const server = profile();
      const key = dpop({ keys: memoryKeyStore() });
      const created = transport.create<OAuthCallback>(
        {
          baseURL: provider.issuer,
          crossTab: false,
          dpop: key,
          ...options,
          server,
        } as unknown as SessionClientOptions<never, OAuthCallback>,
        withCookieJar(),
      );
      clients.push(created);
      return { client: created, server, key };
    };
    const signIn = async (c: ReturnType<typeof client>) => {
      const url = await c.server.authorizationUrl();
      // The code is bound to the key (RFC 9449 §10): only this key can redeem it.
      expect(url.searchParams.get('dpop_jkt')).toBe(await thumbprint(c.key));
      const callbackUrl = await signInThroughProvider(url, provider.redirectUri);
      return c.client.login({ callbackUrl });
    };
    /** The thumbprint the provider bound the client's current tokens to. */
    const bindings = async (c: ReturnType<typeof client>) => ({
      access: await provider.bindingOf((await c.client.getAccessToken()) ?? '', 'access'),
      refresh: await provider.bindingOf(provider.issuedRefreshTokens.at(-1) ?? '', 'refresh'),
    });

    onlyOver(transport, 'axios', () => {
      it('logs in with PKCE, every token bound; bursts of 1, 10 and 100 after expiry: one refresh each, all succeed', async () => {
        const c = client({ runtime: frozenTab });
        provider.reset();
        expect(await signIn(c)).toMatchObject({
          status: 'authenticated',
          user: { sub: OIDC_ACCOUNT },
        });
        // The provider asked the first token call for its nonce, and oauth4webapi sent it once more.
        expect(provider.counts.nonceAsked).toBe(1);
        const jkt = await thumbprint(c.key);
        expect(await bindings(c)).toEqual({ access: jkt, refresh: jkt });
        for (const n of [1, 10, 100]) {
          await waitPastExpiry();
          provider.reset();
          const results = await Promise.allSettled(
            Array.from({ length: n }, () => c.client.get('/me')),
          );
          expect(provider.counts.refusedTokens).toBeGreaterThanOrEqual(1);
          expect({
            n,
            ok: results.filter((r) => r.status === 'fulfilled').length,
            refresh: provider.counts.refresh,
            refused: provider.counts.refused,
          }).toEqual({ n, ok: n, refresh: provider.counts.refusedTokens, refused: 0 });
          // Rotated, and still bound to the same key.
          expect(await bindings(c)).toEqual({ access: jkt, refresh: jkt });
        }
      });
    });

    onlyOver(transport, 'fetch', () => {
      it('steady use over three token lifetimes: zero 401s but the nonce asks, no reuse', async () => {
        const c = client();
        await signIn(c);
        provider.reset();
        await useSteadily(TTL_S, () => c.client.get('/me'));
        expect(provider.counts).toMatchObject({ unauthorized: 0, refused: 0 });
        expect(provider.counts.refresh).toBeGreaterThanOrEqual(3);
      });
    });

    it('the refresh token presented with another key, or with none, is refused, and the session lives on', async () => {
      const c = client();
      await signIn(c);
      const stolen = provider.issuedRefreshTokens.at(-1)!;
      const as = await oauth.processDiscoveryResponse(
        new URL(provider.issuer),
        await oauth.discoveryRequest(new URL(provider.issuer), {
          [oauth.allowInsecureRequests]: true,
        }),
      );
      const thief = oauth.DPoP(
        {},
        await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']),
      );
      const attempt = async (options: oauth.TokenEndpointRequestOptions) => {
        const grant = () =>
          oauth
            .refreshTokenGrantRequest(as, { client_id: OIDC_CLIENT_ID }, oauth.None(), stolen, {
              [oauth.allowInsecureRequests]: true,
              ...options,
            })
            .then((response) =>
              oauth.processRefreshTokenResponse(as, { client_id: OIDC_CLIENT_ID }, response),
            );
        try {
          return await grant();
        } catch (error) {
          if (!oauth.isDPoPNonceError(error)) throw error;
          return grant();
        }
      };
      for (const options of [{ DPoP: thief }, {}]) {
        const error = await attempt(options).catch((reason: unknown) => reason);
        expect(error).toBeInstanceOf(oauth.ResponseBodyError);
        expect((error as oauth.ResponseBodyError).error).toBe('invalid_grant');
      }
      // Refused before it was consumed: the holder of the key refreshes as before.
      expect(await provider.isLive(stolen)).toBe(true);
      await c.client.refresh({ force: true });
      expect(await c.client.get('/me')).toBe(200);
    });

    it('the bound access token with the Bearer scheme, or with a proof of another key, is refused', async () => {
      const c = client();
      await signIn(c);
      const token = (await c.client.getAccessToken())!;
      const bearer = await fetch(`${provider.issuer}/me`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(bearer.status).toBe(401);
      // Another key's fetch: proofs signed with it, the nonce asked for and sent.
      const thief = dpop({ keys: memoryKeyStore() }).wrapFetch(
        () => fetch,
        () => false,
      );
      const answer = await thief(`${provider.issuer}/me`, {
        headers: { Authorization: `DPoP ${token}` },
      });
      expect(answer.headers.get('www-authenticate')).toMatch(/invalid_token/);
      expect(answer.status).toBe(401);
      expect(await c.client.get('/me')).toBe(200);
    });
  },
);
