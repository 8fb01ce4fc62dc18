import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO } from './helpers.js';
import { failedStart, postAuth, refreshCookieFrom, startApi } from './process.js';

const dir = mkdtempSync(join(tmpdir(), 'tokenlane-api-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('persistence across restarts (real processes, file database)', () => {
  it('keeps refresh families and the dev secret: an old cookie refreshes after a restart', async () => {
    const env = { DATABASE_PATH: join(dir, 'data', 'tokenlane.db'), NODE_ENV: 'development' };
    const first = await startApi(env);
    const loginRes = await postAuth(`${first.url}/auth/login`, undefined, {
      email: DEMO.email,
      password: DEMO.password,
    });
    expect(loginRes.status).toBe(200);
    const { accessToken } = (await loginRes.json()) as { accessToken: string };
    const cookie = refreshCookieFrom(loginRes);
    expect(cookie).toBeDefined();
    expect(await first.stop()).toBe(0);

    // The dev secret is kept beside the database, readable only by its owner.
    expect(statSync(join(dir, 'data', 'jwt-secret')).mode & 0o777).toBe(0o600);

    const second = await startApi(env);
    try {
      const me = await fetch(`${second.url}/auth/me`, {
        headers: { Authorization: `Bearer ${accessToken}` },
      });
      expect(me.status).toBe(200);
      const refreshed = await postAuth(`${second.url}/auth/refresh`, cookie);
      expect(refreshed.status).toBe(200);
      expect(refreshCookieFrom(refreshed)).toBeDefined();
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });
});

describe('configuration errors stop the start', () => {
  it.each([
    [{ ACCESS_TOKEN_TTL: 'abc' }, /ACCESS_TOKEN_TTL/],
    [{ NODE_ENV: 'production', JWT_SECRET: '' }, /JWT_SECRET is required/],
    [{ JWT_SECRET: 'too-short' }, /JWT_SECRET must be at least 32 bytes/],
    [{ PORT: '70000' }, /PORT/],
    [{ CORS_ORIGINS: 'not a url' }, /CORS_ORIGINS/],
  ])('%j exits 1 with a clear message', async (env, message) => {
    const { code, stderr } = await failedStart(env);
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/at .+:\d+:\d+/);
  });
});
