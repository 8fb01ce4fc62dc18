import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '@tokenlane/test-harness';
import { openRedisLimiterStores } from '../redis/rateLimit.js';
import { openRedisRefreshStore } from '../redis/refresh.js';
import { proofStoreContract } from './proofStoreContract.js';
import { refreshStoreContract } from './refreshStoreContract.js';

// CI starts one Redis for the run (TEST_REDIS_URL); elsewhere this file starts its own.
let redis: TestRedis | undefined;
let url = process.env.TEST_REDIS_URL ?? '';
beforeAll(async () => {
  if (!url) {
    redis = await startTestRedis();
    url = redis.url;
  }
});
afterAll(() => redis?.close());

refreshStoreContract('Redis (two connections, Lua scripts)', async () => {
  const prefix = `contract:${randomUUID()}:`;
  const a = await openRedisRefreshStore(url, prefix);
  const b = await openRedisRefreshStore(url, prefix);
  return {
    a,
    b,
    userId: 'user-1',
    close: async () => {
      await a.close();
      await b.close();
    },
  };
});

proofStoreContract('Redis (two connections, SET NX PX)', async () => {
  const prefix = `contract:${randomUUID()}:`;
  const a = await openRedisRefreshStore(url, prefix);
  const b = await openRedisRefreshStore(url, prefix);
  return {
    a: a.proofs,
    b: b.proofs,
    close: async () => {
      await a.close();
      await b.close();
    },
  };
});

describe('Redis refresh store', () => {
  it('gives every key the family absolute lifetime as TTL, so Redis cleans up by itself', async () => {
    const prefix = `ttl:${randomUUID()}:`;
    const store = await openRedisRefreshStore(url, prefix);
    const client = new Redis(url);
    try {
      const now = Date.now();
      await store.createFamily({
        familyId: 'f1',
        userId: 'u',
        tokenHash: 'h0',
        now,
        expiresAt: now + 60_000,
      });
      await store.rotate({ tokenHash: 'h0', newTokenHash: 'h1', now, graceMs: 10_000 });
      const keys = await client.keys(`${prefix}*`);
      expect(keys.sort()).toEqual([
        `${prefix}active`,
        `${prefix}fam:f1`,
        `${prefix}fam:f1:toks`,
        `${prefix}tok:h0`,
        `${prefix}tok:h1`,
      ]);
      for (const key of keys.filter((k) => !k.endsWith('active'))) {
        const ttl = await client.pttl(key);
        expect(ttl).toBeGreaterThan(55_000);
        expect(ttl).toBeLessThanOrEqual(60_000);
      }
    } finally {
      await store.close();
      client.disconnect();
    }
  });
});

describe('Redis rate-limit counters', () => {
  it('keep counting after Redis lost its scripts (a restart, a failover): the store reloads them', async () => {
    const limiters = await openRedisLimiterStores(url, `rl:${randomUUID()}:`);
    const client = new Redis(url);
    try {
      const store = limiters.storeFor('login:');
      await store.init?.({ windowMs: 60_000 } as Parameters<NonNullable<typeof store.init>>[0]);
      expect((await store.increment('k')).totalHits).toBe(1);
      await client.script('FLUSH');
      expect((await store.increment('k')).totalHits).toBe(2);
    } finally {
      await limiters.close();
      client.disconnect();
    }
  });
});
