import request from 'supertest';
import { describe, expect, it } from 'vitest';
import {
  ADMIN,
  CSRF_HEADERS,
  cookies,
  DEMO,
  login,
  makeTestApp,
  refresh,
  refreshCookie,
} from './helpers.js';

const GRACE_S = 10;

/** Rotates `count` times, returning every token of the chain (RT0 first). */
async function chain(app: Parameters<typeof refresh>[0], first: string, count: number) {
  const tokens = [first];
  for (let i = 0; i < count; i++) {
    const res = await refresh(app, tokens.at(-1)!).expect(200);
    const next = refreshCookie(res);
    expect(next).toBeDefined();
    expect(next).not.toBe(tokens.at(-1));
    tokens.push(next!);
  }
  return tokens;
}

const expectInvalidGrant = async (res: request.Test) => {
  const response = await res.expect(401);
  expect(response.body).toMatchObject({ error: 'invalid_grant' });
  return response;
};

describe('refresh rotation', () => {
  it('rotates a chain RT0 -> RT3 and answers a usable access token each time', async () => {
    const t = await makeTestApp();
    const { refreshToken } = await login(t.app);
    const tokens = await chain(t.app, refreshToken, 3);
    expect(new Set(tokens).size).toBe(4);
    const res = await refresh(t.app, tokens[3]!).expect(200);
    const { accessToken } = res.body as { accessToken: string };
    await request(t.app)
      .get('/api/todos')
      .set('Authorization', `Bearer ${accessToken}`)
      .expect(200);
  });

  it('revokes the whole family when an old token (RT0) is replayed', async () => {
    const t = await makeTestApp();
    const [rt0, , , rt3] = await chain(t.app, (await login(t.app)).refreshToken, 3);
    await expectInvalidGrant(refresh(t.app, rt0!));
    await expectInvalidGrant(refresh(t.app, rt3!));
    expect(t.logs()).toContain('refresh token reuse');
  });

  it('accepts the immediate parent within the grace window without revoking or rotating, handing back the newest token', async () => {
    const t = await makeTestApp({ refreshReuseGraceSeconds: GRACE_S });
    const [, , rt2, rt3] = await chain(t.app, (await login(t.app)).refreshToken, 3);
    t.advance((GRACE_S - 1) * 1000);
    const res = await refresh(t.app, rt2!).expect(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer' });
    // Nothing new is minted: the cookie is the family's newest token, the one rt2 rotated into.
    expect(refreshCookie(res)).toBe(rt3);
    // Nothing was revoked: the newest token still rotates.
    await refresh(t.app, rt3!).expect(200);
  });

  it('keeps the session when the answer carrying the rotated cookie was lost', async () => {
    const t = await makeTestApp({ refreshReuseGraceSeconds: GRACE_S });
    const { refreshToken: parent } = await login(t.app);
    await refresh(t.app, parent).expect(200); // this answer never reaches the browser
    t.advance(2_000);
    const retried = await refresh(t.app, parent).expect(200);
    const child = refreshCookie(retried);
    expect(child).toBeDefined();
    expect(child).not.toBe(parent);
    // Long after the grace window, the browser's cookie still renews the session.
    t.advance((GRACE_S + 60) * 1000);
    await chain(t.app, child!, 2);
    // Outside the window, the parent is still reuse: the family is revoked.
    await expectInvalidGrant(refresh(t.app, parent));
  });

  it('by default, recovers an answer lost however long ago: the parent gets its unused child back', async () => {
    const t = await makeTestApp();
    expect(t.config.refreshReuseGraceSeconds).toBe(Number.POSITIVE_INFINITY);
    const { refreshToken: parent } = await login(t.app);
    const lost = refreshCookie(await refresh(t.app, parent).expect(200)); // never reaches the browser
    // A day later (a laptop that slept, an outage that lasted): the retry with the parent renews,
    // handing back that same child; nothing new is minted, nothing revoked.
    t.advance(24 * 3_600_000);
    const retried = await refresh(t.app, parent).expect(200);
    expect(refreshCookie(retried)).toBe(lost);
    expect(refreshCookie(await refresh(t.app, parent).expect(200))).toBe(lost);
    expect(t.logs()).not.toContain('refresh token reuse');
    // Once the child is used, the parent is reuse: the family is revoked, the newest token too.
    const [, newest] = await chain(t.app, lost!, 1);
    await expectInvalidGrant(refresh(t.app, parent));
    expect(t.logs()).toContain('refresh token reuse');
    await expectInvalidGrant(refresh(t.app, newest!));
  });

  it('revokes the family when the parent comes back after the grace window', async () => {
    const t = await makeTestApp({ refreshReuseGraceSeconds: GRACE_S });
    const [, , rt2, rt3] = await chain(t.app, (await login(t.app)).refreshToken, 3);
    t.advance((GRACE_S + 1) * 1000);
    await expectInvalidGrant(refresh(t.app, rt2!));
    await expectInvalidGrant(refresh(t.app, rt3!));
  });

  it('answers 20 parallel refreshes with one cookie consistently and keeps the session usable', async () => {
    const t = await makeTestApp();
    const { refreshToken } = await login(t.app);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => refresh(t.app, refreshToken)),
    );
    expect(results.map((res) => res.status)).toEqual(Array(20).fill(200));
    // One rotation; every answer (the 19 in the grace window too) sets that one child.
    const rotated = [...new Set(results.map(refreshCookie))];
    expect(rotated).toHaveLength(1);
    expect(rotated[0]).toBeDefined();
    for (const res of results) {
      const { accessToken } = res.body as { accessToken: string };
      await request(t.app)
        .get('/api/todos')
        .set('Authorization', `Bearer ${accessToken}`)
        .expect(200);
    }
    // The browser now holds the single child; it keeps rotating.
    await chain(t.app, rotated[0]!, 2);
  });

  it('answers invalid_grant for an expired family', async () => {
    const t = await makeTestApp({ refreshTokenTtlSeconds: 60 });
    const { refreshToken } = await login(t.app);
    t.advance(61_000);
    await expectInvalidGrant(refresh(t.app, refreshToken));
  });

  it('never lets rotation extend the family beyond its absolute lifetime', async () => {
    const t = await makeTestApp({ refreshTokenTtlSeconds: 60 });
    let token = (await login(t.app)).refreshToken;
    t.advance(40_000);
    const res = await refresh(t.app, token).expect(200);
    const maxAge = Number(/Max-Age=(\d+)/.exec(cookies(res)[0]!)?.[1]);
    expect(maxAge).toBeGreaterThan(15);
    expect(maxAge).toBeLessThanOrEqual(20);
    token = refreshCookie(res)!;
    t.advance(21_000);
    await expectInvalidGrant(refresh(t.app, token));
  });

  it('answers invalid_grant for a garbage, a missing and an oversized cookie, clearing it', async () => {
    const t = await makeTestApp();
    const garbage = await expectInvalidGrant(refresh(t.app, 'not-a-real-token'));
    expect(cookies(garbage)[0]).toMatch(/^tokenlane_rt=;/);
    await expectInvalidGrant(request(t.app).post('/auth/refresh').set(CSRF_HEADERS).send({}));
    await expectInvalidGrant(refresh(t.app, 'x'.repeat(5000)));
  });

  it('answers invalid_grant for a logged-out family', async () => {
    const t = await makeTestApp();
    const { refreshToken } = await login(t.app);
    await request(t.app)
      .post('/auth/logout')
      .set(CSRF_HEADERS)
      .set('Cookie', `tokenlane_rt=${refreshToken}`)
      .send({})
      .expect(204);
    await expectInvalidGrant(refresh(t.app, refreshToken));
  });

  it('answers logout without a cookie with 204', async () => {
    const t = await makeTestApp();
    await request(t.app).post('/auth/logout').set(CSRF_HEADERS).send({}).expect(204);
  });

  it('keeps other families alive when one is revoked', async () => {
    const t = await makeTestApp();
    const a = await login(t.app);
    const b = await login(t.app);
    const [rt0] = await chain(t.app, a.refreshToken, 2);
    await expectInvalidGrant(refresh(t.app, rt0!));
    await refresh(t.app, b.refreshToken).expect(200);
  });
});

describe('refresh cookie', () => {
  const attributes = (header: string) => header.split(';').map((part) => part.trim());

  it('is HttpOnly, Secure, SameSite=Strict, Path=/auth, without Domain, Max-Age within the lifetime', async () => {
    const t = await makeTestApp({ refreshTokenTtlSeconds: 3600 });
    const res = await request(t.app)
      .post('/auth/login')
      .set(CSRF_HEADERS)
      .send({ email: 'demo@tokenlane.dev', password: 'correct-horse-battery-staple' })
      .expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const [header] = cookies(res);
    const parts = attributes(header!);
    expect(parts[0]).toMatch(/^tokenlane_rt=[A-Za-z0-9_-]{43}$/);
    expect(parts).toEqual(
      expect.arrayContaining(['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/auth']),
    );
    expect(parts.some((part) => /^domain=/i.test(part))).toBe(false);
    const maxAge = Number(parts.find((part) => part.startsWith('Max-Age='))?.split('=')[1]);
    expect(maxAge).toBeGreaterThan(3590);
    expect(maxAge).toBeLessThanOrEqual(3600);
  });

  it('is cleared by logout with the same attributes, and refresh responses are no-store', async () => {
    const t = await makeTestApp();
    const { refreshToken } = await login(t.app);
    const refreshed = await refresh(t.app, refreshToken).expect(200);
    expect(refreshed.headers['cache-control']).toBe('no-store');
    const res = await request(t.app)
      .post('/auth/logout')
      .set(CSRF_HEADERS)
      .set('Cookie', `tokenlane_rt=${refreshCookie(refreshed)!}`)
      .send({})
      .expect(204);
    const parts = attributes(cookies(res)[0]!);
    expect(parts[0]).toBe('tokenlane_rt=');
    expect(parts).toEqual(
      expect.arrayContaining(['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/auth']),
    );
    expect(parts.some((part) => /^domain=/i.test(part))).toBe(false);
    const expires = parts.find((part) => part.startsWith('Expires='))!.slice('Expires='.length);
    expect(new Date(expires).getTime()).toBeLessThan(Date.now());
  });
});

describe('cookie tossing (a second tokenlane_rt planted by another site)', () => {
  it("refuses a refresh that carries the cookie twice, in either order, and leaves the victim's cookie alone", async () => {
    const t = await makeTestApp();
    const victim = await login(t.app);
    const attacker = await login(t.app, ADMIN);
    for (const header of [
      `tokenlane_rt=${attacker.refreshToken}; tokenlane_rt=${victim.refreshToken}`,
      `tokenlane_rt=garbage; tokenlane_rt=${victim.refreshToken}`,
    ]) {
      const res = await request(t.app)
        .post('/auth/refresh')
        .set(CSRF_HEADERS)
        .set('Cookie', header)
        .send({});
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'invalid_request' });
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    // Nothing was revoked or rotated: the victim's own cookie still renews the session.
    const own = await refresh(t.app, victim.refreshToken).expect(200);
    expect((own.body as { user: { email: string } }).user.email).toBe(DEMO.email);
  });
});
