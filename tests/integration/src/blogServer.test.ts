import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FreshTokenRefusedError, type SessionClientOptions } from '@tokenlane/react-auth/client';
import { cookieServer, type TokenScheme } from '@tokenlane/react-auth/profiles';
import { withCookieJar } from '@tokenlane/test-servers/cookieJar';
import { useSteadily, frozenTab } from './timing.js';
import { BLOG_USER, startBlogServer, type BlogServer } from './servers/blogServer.js';
import { transports, type TestClient } from '@tokenlane/test-servers/transports';

// Issue 14: a server in the blog recipe's convention (raw token, 403, { access_token }).

const TTL_S = 3;
let blog: BlogServer;
beforeAll(async () => {
  blog = await startBlogServer({ accessTokenTtlSeconds: TTL_S });
});
afterAll(() => blog.close());
const clients: TestClient[] = [];
afterEach(() => clients.splice(0).forEach((client) => client.dispose()));

const profile = (scheme: TokenScheme = 'raw') =>
  cookieServer({
    login: '/api/user/login',
    refresh: '/api/user/refresh_token',
    scheme,
    expiredStatus: [403],
  });

describe.each(transports)('over $name, a cookie server in the blog convention', (transport) => {
  const client = (options: SessionClientOptions = {}) => {
    const created = transport.create(
      { baseURL: blog.url, crossTab: false, server: profile(), ...options },
      withCookieJar(),
    );
    clients.push(created);
    return created;
  };

  it('steady use over three token lifetimes: zero 403s', async () => {
    const c = client();
    await c.login(BLOG_USER);
    blog.reset();
    const ok = await useSteadily(TTL_S, () => c.get('/api/todos'));
    expect(blog.counts.forbidden).toBe(0);
    expect(blog.counts.api).toBe(ok);
    expect(blog.counts.refresh).toBeGreaterThanOrEqual(3);
  });

  it('a burst of 50 after the server stops accepting the token: one refresh, 50/50', async () => {
    const c = client({ runtime: frozenTab });
    await c.login(BLOG_USER);
    blog.skip(TTL_S + 1);
    blog.reset();
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => c.get('/api/todos')));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(50);
    expect(blog.counts.refresh).toBe(1);
    expect(blog.counts.forbidden).toBeGreaterThanOrEqual(1);
  });

  it('left on the Bearer default: one refresh in total and a typed "fresh token refused" error, not a refresh per request', async () => {
    const refused = vi.fn();
    const c = client({ server: profile('bearer'), runtime: frozenTab });
    c.on('token-refused', refused);
    await c.login(BLOG_USER);
    blog.reset();
    for (let round = 0; round < 3; round++) {
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () => c.get('/api/todos')),
      );
      for (const result of results) {
        expect((result as PromiseRejectedResult).reason).toBeInstanceOf(FreshTokenRefusedError);
      }
    }
    expect(blog.counts.refresh).toBe(1);
    expect(refused).toHaveBeenCalledTimes(1);
  });
});
