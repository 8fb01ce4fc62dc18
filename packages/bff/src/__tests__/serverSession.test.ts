import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '@tokenlane/test-harness';
import { testBrowser } from '@tokenlane/test-servers/bff';
import { sessionIdHash } from '../sealing.js';
import { withRequestScope } from '../serverSession.js';
import { redisStore } from '../store/redis.js';
import { startBffStack, type BffStack } from './support/bffStack.js';

// Server code on the BFF's sessions (issue 34): three instances on Redis, oidc-provider rotating
// with no reuse grace. Server renders of one session ask for its token in parallel, on every
// instance, across an expiry: one upstream refresh, whoever asks and whenever.

let offset = 0;
const now = () => Date.now() + offset;
let redis: TestRedis;
let stack: BffStack;
let cookie: string;

beforeAll(async () => {
  redis = await startTestRedis();
  stack = await startBffStack({
    instances: 3,
    store: () => redisStore({ redis: redis.url, now }),
    accessTokenTtlSeconds: 600,
    bff: { now },
  });
  const browser = testBrowser();
  await browser.signIn(stack.origin);
  cookie = await browser.jar.getCookieString(stack.origin);
});
afterAll(async () => {
  await stack?.close();
  await redis?.close();
});

const pageRequest = () => new Request(`${stack.origin}/todos`, { headers: { cookie } });

describe('server-side session access', () => {
  it('gives server code the user and the facts the page adopts, never a token in the facts', async () => {
    const session = await stack.bffs[0]!.getSession(pageRequest());
    expect(session?.user.sub).toBe('ada@provider.example');
    expect(session?.facts.user).toEqual(session?.user);
    expect(session?.facts.expiresIn).toBeGreaterThan(0);
    expect(JSON.stringify(session?.facts)).not.toContain(await session!.accessToken());
    expect(await stack.bffs[1]!.getSession(new Request(stack.origin))).toBeUndefined();
    expect(await stack.bffs[1]!.getAccessToken(new Headers())).toBeUndefined();
  });

  it('makes one upstream refresh for 3 instances × 3 renders × 8 parallel calls across an expiry, and none for a caller right after', async () => {
    const before = await stack.bffs[0]!.getAccessToken(pageRequest());
    stack.provider.reset();
    offset += 601_000;
    // Three renders per instance, each with its own request; 8 loaders or server components each.
    const renders = stack.bffs.flatMap((bff) =>
      Array.from({ length: 3 }, () => {
        const request = pageRequest();
        return Array.from({ length: 8 }, () => bff.getAccessToken(request));
      }),
    );
    const tokens = await Promise.all(renders.flat());
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(before);
    expect(stack.provider.counts.refresh).toBe(1);
    expect(stack.provider.counts.refused).toBe(0);
    // A render arriving just after the refresh settled reads the new set: no second refresh.
    expect(await stack.bffs[2]!.getAccessToken(pageRequest())).toBe(tokens[0]);
    expect(stack.provider.counts.refresh).toBe(1);
  });

  it('reads the store once per request: the same request object, or one request scope', async () => {
    const reads = { count: 0 };
    const bff = stack.bffs[0]!;
    const { store } = bff.context.sessions;
    const read = store.read.bind(store);
    store.read = (id) => {
      reads.count++;
      return read(id);
    };
    try {
      const request = pageRequest();
      await Promise.all(Array.from({ length: 5 }, () => bff.getSession(request)));
      expect(reads.count).toBe(1);
      // In a scope, by cookie: each loader may hold a request object of its own.
      await withRequestScope(() =>
        Promise.all(Array.from({ length: 5 }, () => bff.getSession(pageRequest()))),
      );
      expect(reads.count).toBe(2);
      await Promise.all(Array.from({ length: 2 }, () => bff.getSession(pageRequest())));
      expect(reads.count).toBe(4);
    } finally {
      store.read = read;
    }
  });

  it('counts a server render as use of the session: its idle end moves', async () => {
    const bff = stack.bffs[0]!;
    const id = /__Host-tokenlane=([^;]+)/.exec(cookie)![1]!;
    const idleEnd = async () =>
      (await bff.context.sessions.store.read(sessionIdHash(id)))!.idleExpiresAt;
    const before = await idleEnd();
    offset += 120_000;
    await bff.getSession(pageRequest());
    expect(await idleEnd()).toBeGreaterThanOrEqual(before + 120_000);
  });

  it('answers the upstream API with the fresh token and ends with session_ended when the upstream refuses', async () => {
    const session = (await stack.bffs[1]!.getSession(pageRequest()))!;
    const headers = await session.authorization('GET', `${stack.resource.url}/whoami`);
    expect(headers.Authorization).toBe(`Bearer ${await session.accessToken()}`);
    await stack.provider.revokeAll();
    offset += 601_000;
    const later = (await stack.bffs[2]!.getSession(pageRequest()))!;
    await expect(later.accessToken()).rejects.toMatchObject({ code: 'session_ended' });
    expect(await stack.bffs[0]!.getSession(pageRequest())).toBeUndefined();
  });
});
