import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTestPostgres,
  startTestRedis,
  type TestPostgres,
  type TestRedis,
} from '@tokenlane/test-harness';
import {
  ADMIN,
  CSRF_HEADERS,
  DEMO,
  login,
  makeTestApp,
  refresh,
  refreshCookie,
} from './helpers.js';
import { postAuth, refreshCookieFrom, startApi } from './process.js';

// Issue 31, the server's side of "a session belongs to one user, and a sign-out sticks".

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Asks `probe` again every 100 ms until it answers `want`, at most 100 times; its last answer. */
async function until<T>(probe: () => Promise<T>, want: T): Promise<T> {
  let last = await probe();
  for (let i = 0; i < 100 && last !== want; i++) {
    await sleep(100);
    last = await probe();
  }
  return last;
}

describe('a sign-in starts a new session', () => {
  it("revokes the family of the cookie it was sent with, whoever's it was", async () => {
    const { app } = await makeTestApp();
    const alice = await login(app, DEMO);
    const admin = await request(app)
      .post('/auth/login')
      .set(CSRF_HEADERS)
      .set('Cookie', `tokenlane_rt=${alice.refreshToken}`)
      .send({ email: ADMIN.email, password: ADMIN.password })
      .expect(200);
    expect((await refresh(app, alice.refreshToken)).status).toBe(401);
    expect((await refresh(app, refreshCookie(admin)!)).status).toBe(200);
  });
});

describe('a logout always ends the browser’s session', () => {
  it('under DPOP=required, a logout without a proof clears the cookie (204) and revokes nothing', async () => {
    const { app } = await makeTestApp({ dpop: 'required' });
    const res = await request(app)
      .post('/auth/logout')
      .set(CSRF_HEADERS)
      .set('Cookie', 'tokenlane_rt=some-token')
      .send({})
      .expect(204);
    expect(res.headers['set-cookie']?.[0]).toMatch(/^tokenlane_rt=;/);
  });

  describe('with the store down', () => {
    let redis: TestRedis;
    beforeAll(async () => {
      redis = await startTestRedis({ persistent: true });
    }, 60_000);
    afterAll(() => redis?.close());

    it('clears the cookie at once (204), and revokes the family as soon as Redis is back', async () => {
      const api = await startApi({ REDIS_URL: redis.url });
      try {
        const loggedIn = await postAuth(`${api.url}/auth/login`, undefined, DEMO);
        const cookie = refreshCookieFrom(loggedIn)!;
        await redis.stop();
        const out = await postAuth(`${api.url}/auth/logout`, cookie);
        expect(out.status).toBe(204);
        expect(out.headers.get('set-cookie')).toMatch(/^tokenlane_rt=;/);
        await redis.start();
        // The stolen or kept cookie no longer renews once the kept revocation is written.
        const status = () => postAuth(`${api.url}/auth/refresh`, cookie).then((r) => r.status);
        expect(await until(status, 401)).toBe(401);
      } finally {
        await api.stop();
      }
    }, 60_000);
  });
});

describe('a renewal that cannot be answered changes nothing (Postgres users, Redis families)', () => {
  let postgres: TestPostgres;
  let redis: TestRedis;
  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startTestPostgres(), startTestRedis()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([postgres?.close(), redis?.close()]);
  });

  it('with REFRESH_REUSE_GRACE=1, a Postgres outage longer than the window signs nobody out', async () => {
    const api = await startApi({
      DATABASE_URL: await postgres.createDatabase(),
      REDIS_URL: redis.url,
      REFRESH_REUSE_GRACE: '1',
      JWT_SECRET: 'one-user-secret-one-user-secret-0000001',
    });
    try {
      const loggedIn = await postAuth(`${api.url}/auth/login`, undefined, DEMO);
      const cookie = refreshCookieFrom(loggedIn)!;
      await postgres.stop();
      expect((await postAuth(`${api.url}/auth/refresh`, cookie)).status).toBe(503);
      await sleep(1_500);
      await postgres.start();
      const status = () => postAuth(`${api.url}/auth/refresh`, cookie).then((r) => r.status);
      expect(await until(status, 200)).toBe(200);
    } finally {
      await api.stop();
    }
  }, 90_000);
});
