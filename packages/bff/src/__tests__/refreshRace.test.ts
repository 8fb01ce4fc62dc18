import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTestPostgres,
  startTestRedis,
  type TestPostgres,
  type TestRedis,
} from '@tokenlane/test-harness';
import { postgresStore } from '../store/postgres.js';
import { redisStore } from '../store/redis.js';
import type { SessionStore } from '../store/types.js';
import { testBrowser } from '@tokenlane/test-servers/bff';
import { startBffStack, type BffStack } from './support/bffStack.js';

/** The BFFs' clock: real time plus what the test adds to expire the access token on demand. */
let offset = 0;
const now = () => Date.now() + offset;

const TABS = 5;
const QUERIES = 40;
const ROTATIONS = 3;

/**
 * Three BFF instances behind the round-robin balancer on one shared store, oidc-provider rotating
 * its refresh tokens with no reuse grace (a second use of one revokes the grant): 5 tabs of one
 * session fire 40 queries each across each access-token expiry.
 */
function raceOn(
  name: string,
  storeFor: () => Promise<() => SessionStore>,
  close: () => Promise<void>,
) {
  describe(`three BFF instances on ${name}`, () => {
    let stack: BffStack;
    beforeAll(async () => {
      const store = await storeFor();
      stack = await startBffStack({
        instances: 3,
        store,
        accessTokenTtlSeconds: 600,
        bff: { now, proxyRateLimit: 100_000 },
      });
    });
    afterAll(async () => {
      await stack.close();
      await close();
    });

    it(`makes 1 upstream refresh per rotation for ${TABS} tabs × ${QUERIES} queries, 0 invalid_grant`, async () => {
      const browser = testBrowser();
      await browser.signIn(stack.origin);
      const cookie = await browser.jar.getCookieString(stack.origin);
      stack.provider.reset();
      const statuses = new Map<number, number>();
      for (let rotation = 1; rotation <= ROTATIONS; rotation++) {
        offset += 601_000;
        const tab = () =>
          Promise.all(
            Array.from({ length: QUERIES }, () =>
              fetch(`${stack.origin}/api/me`, {
                headers: { Cookie: cookie, 'X-Requested-With': 'XMLHttpRequest' },
              }).then(async (answer) => {
                await answer.arrayBuffer();
                statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
              }),
            ),
          );
        await Promise.all(Array.from({ length: TABS }, tab));
        expect(stack.provider.counts.refresh, `rotation ${rotation}`).toBe(rotation);
      }
      expect(Object.fromEntries(statuses)).toEqual({ 200: ROTATIONS * TABS * QUERIES });
      expect(stack.provider.counts.refused).toBe(0);
      expect(stack.refreshes).toEqual({
        rotated: ROTATIONS,
        kept: 0,
        refused: 0,
        unavailable: 0,
        fenced: 0,
      });
      // Each instance took part.
      expect(stack.balancer.counts.byUpstream.size).toBe(3);
    });
  });
}

let redis: TestRedis;
raceOn(
  'Redis',
  async () => {
    redis = await startTestRedis();
    return () => redisStore({ redis: redis.url, now });
  },
  () => redis.close(),
);

let postgres: TestPostgres;
raceOn(
  'Postgres',
  async () => {
    postgres = await startTestPostgres();
    const url = await postgres.createDatabase();
    return () => postgresStore({ database: url, now });
  },
  () => postgres.close(),
);
