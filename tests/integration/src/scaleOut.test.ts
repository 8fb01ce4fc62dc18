import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, RefreshFailedError } from '@tokenlane/react-auth/client';
import {
  DEMO,
  MIGRATIONS,
  postAuth,
  refreshCookieFrom,
  startApiProcess,
  startTestPostgres,
  startTestRedis,
  type RunningApi,
  type TestPostgres,
  type TestRedis,
} from '@tokenlane/test-harness';
import { sleep, withCookieJar } from '@tokenlane/test-servers/cookieJar';
import { startRoundRobin, type RoundRobin } from '@tokenlane/test-servers/roundRobin';
import { fetchTransport, type TestClient } from '@tokenlane/test-servers/transports';

// Three API processes on one Postgres and one Redis, behind a round-robin proxy; a fourth one
// (same stores and keys) issues 1-second access tokens, to expire a session on the server at once.
let postgres: TestPostgres;
let redis: TestRedis;
let instances: RunningApi[];
let shortLived: RunningApi;
let proxy: RoundRobin;
const clients: TestClient[] = [];

const env = (databaseUrl: string, accessTokenTtlSeconds = 60) => ({
  DATABASE_URL: databaseUrl,
  REDIS_URL: redis.url,
  JWT_SECRET: 'scale-out-secret-scale-out-secret-0001',
  ACCESS_TOKEN_TTL: String(accessTokenTtlSeconds),
  // The tests wait for a token to expire on the server: no allowance for other clocks.
  CLOCK_TOLERANCE: '0',
  LOGIN_RATE_LIMIT: '5',
  LOG_LEVEL: 'info',
});

beforeAll(async () => {
  postgres = await startTestPostgres();
  redis = await startTestRedis();
  const url = await postgres.createDatabase();
  // All three start at the same moment against an empty database.
  instances = await Promise.all([0, 1, 2].map(() => startApiProcess(env(url))));
  shortLived = await startApiProcess(env(url, 1));
  proxy = await startRoundRobin(instances.map((instance) => instance.url));
}, 120_000);
afterAll(async () => {
  clients.forEach((client) => client.dispose());
  await proxy?.close();
  await Promise.all([...(instances ?? []), shortLived].map((instance) => instance?.stop()));
  await redis?.close();
  await postgres?.close();
});

/**
 * A client behind the proxy whose own timers are frozen: it renews only when answered 401 (and
 * never retries a failed refresh: its backoff timer never fires). `connections` queues its requests
 * on that many, as a browser does per host.
 */
function client(connections = Infinity): TestClient {
  const frozenAt = Date.now();
  const created = fetchTransport.create(
    {
      baseURL: proxy.url,
      crossTab: false,
      runtime: { now: () => frozenAt, setTimeout: () => 0, clearTimeout: () => {} },
    },
    withCookieJar(undefined, { maxSockets: connections }),
  );
  clients.push(created);
  return created;
}

/** Signs in through the short-lived instance and waits until the server refuses that token. */
async function signInExpired(c: TestClient) {
  proxy.only(shortLived.url);
  try {
    await c.login({ email: DEMO.email, password: DEMO.password });
  } finally {
    proxy.all();
  }
  const { exp } = decodeJwt((await c.getAccessToken()) ?? '');
  await sleep((exp ?? 0) * 1000 + 100 - Date.now());
}

describe('three API instances on one Postgres and one Redis', () => {
  it('ran the migrations once, though all three started at the same moment; each serves', async () => {
    const migrated = instances.map((instance) => {
      const line = instance
        .output()
        .split('\n')
        .find((l) => l.includes('"stores open"'));
      return (JSON.parse(line ?? '{}') as { migrated?: number[] }).migrated;
    });
    expect(migrated.filter((versions) => versions?.length)).toEqual([
      MIGRATIONS.map((migration) => migration.version),
    ]);
    expect(migrated.filter((versions) => versions?.length === 0)).toHaveLength(2);
    for (const instance of instances) {
      const health = await fetch(`${instance.url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({
        status: 'ok',
        stores: { postgres: 'up', redis: 'up' },
      });
    }
  });

  it('login on one, refresh on another; reuse seen by the third revokes the family everywhere', async () => {
    const [a, b, c] = instances.map((instance) => instance.url) as [string, string, string];
    const loggedIn = await postAuth(`${a}/auth/login`, undefined, DEMO);
    expect(loggedIn.status).toBe(200);
    const rt0 = refreshCookieFrom(loggedIn)!;
    const onB = await postAuth(`${b}/auth/refresh`, rt0);
    expect(onB.status).toBe(200);
    const rt1 = refreshCookieFrom(onB)!;
    const onA = await postAuth(`${a}/auth/refresh`, rt1);
    expect(onA.status).toBe(200);
    const rt2 = refreshCookieFrom(onA)!;
    // rt0 is two rotations old: presenting it to C is reuse.
    const replay = await postAuth(`${c}/auth/refresh`, rt0);
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    for (const url of [a, b, c])
      expect((await postAuth(`${url}/auth/refresh`, rt2)).status).toBe(401);
  });

  it("the client's burst of 1000 requests after expiry, spread over the three, causes exactly one rotation and all succeed", async () => {
    // On 6 connections, as a browser: 1000 at once would test how Postgres's pool sheds load
    // (503s), not the session.
    const c = client(6);
    await signInExpired(c);
    const before = { refresh: proxy.counts.refresh, spread: new Map(proxy.counts.byUpstream) };
    const results = await Promise.allSettled(
      Array.from({ length: 1000 }, () => c.get('/api/todos')),
    );
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    expect(failures).toEqual([]);
    expect(proxy.counts.refresh - before.refresh).toBe(1);
    for (const instance of instances) {
      const served =
        (proxy.counts.byUpstream.get(instance.url) ?? 0) - (before.spread.get(instance.url) ?? 0);
      expect(served).toBeGreaterThan(300);
    }
    expect(c.getState().status).toBe('authenticated');
  });

  it('counts failed logins spread over the three against one limit (LOGIN_RATE_LIMIT=5 in total)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await postAuth(`${instances[i % 3]!.url}/auth/login`, undefined, {
        email: 'admin@tokenlane.dev',
        password: `wrong-${i}`,
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  // Last: it leaves two instances.
  it('one instance killed mid-burst of 200: the session survives, the family is intact, no request hangs', async () => {
    // All 200 at once: the one refresh happens in the first answers, before the kill. (Queued on 6
    // connections, it would go out last, after the kill, and could meet the dead instance: with
    // frozen timers, its retry would never come.)
    const c = client();
    await signInExpired(c);
    let answered = 0;
    let killing: Promise<void> | undefined;
    proxy.onAnswer(() => {
      if (++answered === 40) killing = instances[1]!.kill();
    });
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, () => c.get('/api/todos')),
    );
    await killing;
    expect(instances[1]!.child.signalCode).toBe('SIGKILL');
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
    // Each one failed as the network failed (fetch's TypeError, or a refresh that could not
    // reach a server): never an HTTP error, never signed out.
    for (const failure of failures) {
      expect(failure instanceof TypeError || failure instanceof RefreshFailedError).toBe(true);
    }
    // The kill mattered (a third of the traffic went to the dead instance: no health checks in
    // this balancer), and the rest was served.
    expect(failures.length).toBeGreaterThan(0);
    expect(results.length - failures.length).toBeGreaterThan(0);
    expect(c.getState().status).toBe('authenticated');
    // The family is intact: the next refresh, on a surviving instance, rotates it. (The balancer
    // here has no health checks: pinned, as one that had taken the dead instance out.)
    proxy.only(instances[0]!.url);
    try {
      await expect(c.refresh({ force: true })).resolves.toEqual(expect.any(String));
      await expect(c.get('/api/todos')).resolves.toBe(200);
    } finally {
      proxy.all();
    }
  });
});

describe('instances on Postgres alone (no Redis)', () => {
  let a: RunningApi;
  let b: RunningApi;
  beforeAll(async () => {
    const url = await postgres.createDatabase();
    const { REDIS_URL: _, ...postgresOnly } = env(url);
    [a, b] = await Promise.all([startApiProcess(postgresOnly), startApiProcess(postgresOnly)]);
  }, 60_000);
  afterAll(() => Promise.all([a?.stop(), b?.stop()]));

  it('count failed logins against one limit in Postgres (LOGIN_RATE_LIMIT=5 in total)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await postAuth(`${(i % 2 ? a : b).url}/auth/login`, undefined, {
        email: 'admin@tokenlane.dev',
        password: `wrong-${i}`,
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('with Postgres stopped, login and refresh answer 503 store_unavailable (never 401) and /health names it; the session goes on when it is back', async () => {
    const c = fetchTransport.create({ baseURL: a.url, crossTab: false }, withCookieJar());
    clients.push(c);
    await c.login({ email: DEMO.email, password: DEMO.password });
    const loggedIn = await postAuth(`${a.url}/auth/login`, undefined, DEMO);
    const cookie = refreshCookieFrom(loggedIn)!;
    await postgres.stop();
    try {
      for (const res of [
        await postAuth(`${a.url}/auth/login`, undefined, DEMO),
        await postAuth(`${b.url}/auth/refresh`, cookie),
      ]) {
        expect(res.status).toBe(503);
        expect(await res.json()).toMatchObject({ error: 'store_unavailable' });
      }
      const health = await fetch(`${a.url}/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ status: 'unavailable', stores: { postgres: 'down' } });
      // The client keeps its session: the refresh fails as a network-class failure.
      await expect(c.refresh({ force: true })).rejects.toBeInstanceOf(RefreshFailedError);
      expect(c.getState().status).toBe('authenticated');
      await expect(c.get('/api/todos')).rejects.toThrow();
    } finally {
      await postgres.start();
    }
    await expect(c.refresh({ force: true })).resolves.toEqual(expect.any(String));
    await expect(c.get('/api/todos')).resolves.toBe(200);
    expect(c.getState().status).toBe('authenticated');
    expect((await fetch(`${b.url}/health`)).status).toBe(200);
  });
});
