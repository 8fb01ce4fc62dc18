import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, startTestRedis, type TestRedis } from '@tokenlane/test-harness';
import { DEMO } from './helpers.js';
import { postAuth, refreshCookieFrom, startApi, type RunningApi } from './process.js';

const dir = mkdtempSync(join(tmpdir(), 'tokenlane-instances-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('two API processes sharing one Redis', () => {
  let redis: TestRedis;
  let a: RunningApi;
  let b: RunningApi;
  beforeAll(async () => {
    redis = await startTestRedis();
    const env = {
      REDIS_URL: redis.url,
      DATABASE_PATH: join(dir, 'shared.db'),
      JWT_SECRET: 'shared-secret-shared-secret-shared-0001',
    };
    a = await startApi(env);
    b = await startApi(env);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.close();
  });

  it('rotates across instances, and reuse seen by one revokes the family for the other', async () => {
    expect(a.url).not.toBe(b.url);
    const loggedIn = await postAuth(`${a.url}/auth/login`, undefined, {
      email: DEMO.email,
      password: DEMO.password,
    });
    expect(loggedIn.status).toBe(200);
    const rt0 = refreshCookieFrom(loggedIn)!;

    const onB = await postAuth(`${b.url}/auth/refresh`, rt0);
    expect(onB.status).toBe(200);
    const rt1 = refreshCookieFrom(onB)!;
    const { accessToken } = (await onB.json()) as { accessToken: string };
    // An access token minted by B is accepted by A (same keys).
    expect(
      (await fetch(`${a.url}/auth/me`, { headers: { Authorization: `Bearer ${accessToken}` } }))
        .status,
    ).toBe(200);

    const onA = await postAuth(`${a.url}/auth/refresh`, rt1);
    expect(onA.status).toBe(200);
    const rt2 = refreshCookieFrom(onA)!;

    // RT0 is two rotations old: replaying it on B revokes the family everywhere.
    const replay = await postAuth(`${b.url}/auth/refresh`, rt0);
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    const newest = await postAuth(`${a.url}/auth/refresh`, rt2);
    expect(newest.status).toBe(401);
  });
  it('counts failed logins against one limit across instances (LOGIN_RATE_LIMIT=5 in total)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const instance = i % 2 === 0 ? a : b;
      const res = await postAuth(`${instance.url}/auth/login`, undefined, {
        email: 'admin@tokenlane.dev',
        password: `wrong-${i}`,
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });
});

describe('Redis going away', () => {
  it('answers refresh with 503 store_unavailable while Redis is down, and works again when it is back', async () => {
    const redis = await startTestRedis({ persistent: true });
    const api = await startTestApi({ env: { REDIS_URL: redis.url } });
    try {
      const loggedIn = await postAuth(`${api.url}/auth/login`, undefined, {
        email: DEMO.email,
        password: DEMO.password,
      });
      const cookie = refreshCookieFrom(loggedIn)!;

      await redis.stop();
      const down = await postAuth(`${api.url}/auth/refresh`, cookie);
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('1');
      expect(await down.json()).toMatchObject({ error: 'store_unavailable' });
      // /health names the store that is down; access tokens are stateless, and keep working.
      const health = await fetch(`${api.url}/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({
        status: 'unavailable',
        stores: { sqlite: 'up', redis: 'down' },
      });
      const { accessToken } = (await loggedIn.json()) as { accessToken: string };
      const me = await fetch(`${api.url}/auth/me`, {
        headers: { Authorization: `Bearer ${accessToken}` },
      });
      expect(me.status).toBe(200);

      await redis.start();
      let status = 0;
      for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
        status = (await postAuth(`${api.url}/auth/refresh`, cookie)).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(status).toBe(200);
    } finally {
      await api.close();
      await redis.close();
    }
  });
});
