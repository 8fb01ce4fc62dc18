import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createMemoryLock,
  decodeJwt,
  SessionChangedError,
  SessionExpiredError,
  type SessionClientOptions,
} from '@tokenlane/react-auth/client';
import { oauthServer, type OAuthCallback } from '@tokenlane/react-auth/oauth';
import { createMemoryChannelHub } from '@tokenlane/react-auth/testing';
import { sleep, withCookieJar } from '@tokenlane/test-servers/cookieJar';
import { useSteadily, watchRenewals, frozenTab } from './timing.js';
import {
  OIDC_ACCOUNT,
  OIDC_CLIENT_ID,
  signInThroughProvider,
  startOidcProvider,
  type OidcServer,
} from '@tokenlane/test-servers/oidc';
import { onlyOver, transports } from '@tokenlane/test-servers/transports';

// Issue 14: an OAuth 2.0 / OpenID Connect provider (panva's oidc-provider) through the oauth
// profile: login by authorization code with PKCE, the refresh-token grant with rotation (a reused
// refresh token revokes the whole grant), revocation on logout.

const TTL_S = 3;
let provider: OidcServer;
beforeAll(async () => {
  // Revoking a refresh token revokes that token only (not its grant): a refresh token the client
  // drops without revoking it would stay valid.
  provider = await startOidcProvider({ accessTokenTtlSeconds: TTL_S, revokesGrant: false });
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
    scope: 'openid offline_access',
    authorizationParams: { prompt: 'consent' },
    allowInsecureRequests: true,
  });

/** Sleeps until the provider no longer accepts the access token (it lives TTL_S seconds). */
const waitPastExpiry = () => sleep(TTL_S * 1000 + 300);

describe.each(transports)('over $name, against oidc-provider', (transport) => {
  const client = (options: SessionClientOptions<User, OAuthCallback> = {}) => {
    const server = options.server ?? profile();
    const created = transport.create<OAuthCallback>(
      { baseURL: provider.issuer, crossTab: false, ...options, server } as SessionClientOptions<
        never,
        OAuthCallback
      >,
      withCookieJar(),
    );
    clients.push(created);
    return { client: created, server: server as ReturnType<typeof profile> };
  };
  const signIn = async (c: ReturnType<typeof client>) => {
    const callbackUrl = await signInThroughProvider(
      await c.server.authorizationUrl(),
      provider.redirectUri,
    );
    return c.client.login({ callbackUrl });
  };

  onlyOver(transport, 'fetch', () => {
    it('logs in by authorization code with PKCE; bursts of 1, 10 and 100 after expiry: one refresh each, all succeed, no reuse', async () => {
      const c = client({ runtime: frozenTab });
      const state = await signIn(c);
      expect(state).toMatchObject({ status: 'authenticated', user: { sub: OIDC_ACCOUNT } });
      for (const n of [1, 10, 100]) {
        await waitPastExpiry();
        provider.reset();
        const results = await Promise.allSettled(
          Array.from({ length: n }, () => c.client.get('/me')),
        );
        // One refresh per token refused: on a loaded machine the renewed one may expire too before
        // the slowest retries of the burst arrive.
        expect(provider.counts.refusedTokens).toBeGreaterThanOrEqual(1);
        expect({
          n,
          ok: results.filter((r) => r.status === 'fulfilled').length,
          refresh: provider.counts.refresh,
          refused: provider.counts.refused,
        }).toEqual({ n, ok: n, refresh: provider.counts.refusedTokens, refused: 0 });
      }
    });
  });

  onlyOver(transport, 'axios', () => {
    it('steady use over three token lifetimes: zero 401s, no refresh token presented twice', async () => {
      const c = client();
      await signIn(c);
      provider.reset();
      await useSteadily(TTL_S, () => c.client.get('/me'));
      expect(provider.counts).toMatchObject({ unauthorized: 0, refused: 0 });
      expect(provider.counts.refresh).toBeGreaterThanOrEqual(3);
    });
  });

  onlyOver(transport, 'fetch', () => {
    it('two tabs through rotations: one refresh per expiry between them, zero reuse', async () => {
      const hub = createMemoryChannelHub<User>();
      const lock = createMemoryLock();
      const server = profile();
      const a = client({ server, crossTab: { channel: hub.connect(), lock } });
      const b = client({ server, crossTab: { channel: hub.connect(), lock } });
      await signIn(a);
      await sleep(10);
      expect(b.client.getState().status).toBe('authenticated');
      provider.reset();
      const renewals = watchRenewals(a.client, b.client);
      await useSteadily(TTL_S, () => Promise.all([a.client.get('/me'), b.client.get('/me')]));
      expect(provider.counts).toMatchObject({ unauthorized: 0, refused: 0 });
      expect(provider.counts.refresh).toBeGreaterThanOrEqual(3);
      expect(renewals.early()).toEqual([]);
      expect(provider.counts.refresh).toBeLessThanOrEqual(renewals.tokens());
    });
  });

  it('a revoked grant: every waiting request gets SessionExpiredError, one session-expired event, signed out', async () => {
    const c = client({ runtime: frozenTab });
    await signIn(c);
    await provider.revokeAll();
    await waitPastExpiry();
    const expired = vi.fn();
    c.client.on('session-expired', expired);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => c.client.get('/me')));
    for (const result of results) {
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(SessionExpiredError);
    }
    expect(expired).toHaveBeenCalledTimes(1);
    expect(c.client.getState().status).toBe('unauthenticated');
  });

  it('logout revokes the refresh token on the provider', async () => {
    const c = client();
    const issuedBefore = provider.issuedRefreshTokens.length;
    await signIn(c);
    const token = await c.client.getAccessToken();
    expect(decodeJwt(token ?? '')).toEqual({});
    const [held] = provider.issuedRefreshTokens.slice(issuedBefore);
    expect(await provider.isLive(held!)).toBe(true);
    await c.client.logout();
    // Asked of the provider: the refresh token the session held no longer works.
    expect(await provider.isLive(held!)).toBe(false);
    const again = client({ server: c.server });
    // Nothing held in memory: restore asks the provider nothing and stays signed out.
    expect((await again.client.restore()).status).toBe('unauthenticated');
  });

  it('logout during a refresh in flight leaves no refresh token valid on the provider', async () => {
    const c = client({ runtime: frozenTab });
    const issuedBefore = provider.issuedRefreshTokens.length;
    await signIn(c);
    const hold = provider.holdTokenAnswers();
    // The provider rotates (the new refresh token is issued), its answer is held back...
    const refreshing = c.client.refresh({ force: true }).catch((error: unknown) => error);
    await hold.held;
    // ...while the user signs out: the session revokes the token it holds, the one rotated away.
    const revocations = provider.counts.revocations;
    const out = c.client.logout();
    while (provider.counts.revocations === revocations) await sleep(10);
    hold.release();
    await out;
    // The session it renewed ended meanwhile: its caller is told the session changed.
    expect(await refreshing).toBeInstanceOf(SessionChangedError);
    const issued = provider.issuedRefreshTokens.slice(issuedBefore);
    expect(issued).toHaveLength(2);
    for (const token of issued) expect(await provider.isLive(token)).toBe(false);
  });
});
