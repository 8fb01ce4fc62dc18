import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../errors.js';
import { startTestPostgres, type TestPostgres } from '@tokenlane/test-harness';
import { MIGRATIONS } from '../postgres/migrations.js';
import { openPostgresStores } from '../postgres/index.js';
import { createPool, transaction } from '../postgres/pool.js';
import { createPostgresLimiterStores } from '../postgres/rateLimit.js';
import { proofStoreContract } from './proofStoreContract.js';
import { refreshStoreContract } from './refreshStoreContract.js';
import { userTodoStoreContract } from './userTodoStoreContract.js';

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
}, 60_000);
afterAll(() => postgres?.close());

/** Two instances (two pools) on a new, empty database. */
async function twoInstances() {
  const url = await postgres.createDatabase();
  const a = await openPostgresStores(url);
  const b = await openPostgresStores(url);
  return { url, a, b, close: async () => void (await Promise.all([a.close(), b.close()])) };
}

refreshStoreContract('Postgres (two pools, rows locked FOR UPDATE)', async () => {
  const { a, b, close } = await twoInstances();
  const user = await a.users.create({
    email: 'contract@example.com',
    name: 'C',
    role: 'user',
    passwordHash: 'x',
  });
  return { a: a.refresh, b: b.refresh, userId: user!.id, close };
});

userTodoStoreContract('Postgres (two pools)', twoInstances);

proofStoreContract('Postgres (two pools)', async () => {
  const { a, b, close } = await twoInstances();
  return { a: a.proofs, b: b.proofs, close };
});

describe('Postgres store', () => {
  it('migrates an empty database once when several instances start at the same moment', async () => {
    const url = await postgres.createDatabase();
    const instances = await Promise.all(Array.from({ length: 4 }, () => openPostgresStores(url)));
    try {
      const applied = instances.map((instance) => instance.migrated);
      expect(applied.filter((versions) => versions.length > 0)).toEqual([
        MIGRATIONS.map((migration) => migration.version),
      ]);
      const pool = createPool(url);
      const { rows } = await pool.query<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      await pool.end();
      expect(rows.map((row) => row.version)).toEqual(MIGRATIONS.map((m) => m.version));
      // Every instance serves.
      for (const instance of instances) expect(await instance.users.count()).toBe(0);
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
    }
  });

  it("hands back the family's user with a renewal, from the same statement (one round trip)", async () => {
    const { a, close } = await twoInstances();
    try {
      const created = await a.users.create({
        email: 'renewal@example.com',
        name: 'R',
        role: 'admin',
        passwordHash: 'h',
      });
      const now = Date.now();
      const family = { familyId: 'f1', userId: created!.id, tokenHash: 't0', now };
      await a.refresh.createFamily({ ...family, expiresAt: now + 60_000 });
      const rotate = (tokenHash: string, newTokenHash: string) =>
        a.refresh.rotate({ tokenHash, newTokenHash, newTokenSealed: 's1', now, graceMs: 10_000 });
      const user = { ...created, passwordHash: 'h' };
      expect(await rotate('t0', 't1')).toMatchObject({ kind: 'rotated', user });
      expect(await rotate('t0', 't2')).toMatchObject({ kind: 'grace', user, currentSealed: 's1' });
      // A refusal carries no user.
      expect(await rotate('nope', 't3')).toEqual({ kind: 'invalid' });
    } finally {
      await close();
    }
  });

  it('answers StoreUnavailableError while Postgres is down, and serves again when it is back', async () => {
    const { a, close } = await twoInstances();
    try {
      await a.probes.postgres!();
      await postgres.stop();
      await expect(a.users.findByEmail('ada@example.com')).rejects.toThrow(StoreUnavailableError);
      await expect(
        a.refresh.rotate({ tokenHash: 'x', newTokenHash: 'y', now: Date.now(), graceMs: 0 }),
      ).rejects.toThrow(StoreUnavailableError);
      await expect(a.probes.postgres!()).rejects.toThrow(StoreUnavailableError);
      await postgres.start();
      expect(await a.users.findByEmail('ada@example.com')).toBeUndefined();
    } finally {
      await close();
    }
  }, 60_000);

  it('survives Postgres shutting down under a transaction between two statements: a 503, no crash', async () => {
    const url = await postgres.createDatabase();
    const pool = createPool(url);
    let between = () => {};
    const reached = new Promise<void>((resolve) => (between = resolve));
    let goOn = () => {};
    const resumed = new Promise<void>((resolve) => (goOn = resolve));
    try {
      const running = transaction(pool, async (db) => {
        await db.query('SELECT 1');
        between();
        await resumed; // the connection is checked out and idle: nobody else listens to it
        await db.query('SELECT 2');
      });
      await reached;
      // Fast shutdown terminates every connection (57P01): the checked-out one emits 'error'.
      await postgres.stop();
      goOn();
      await expect(running).rejects.toThrow(StoreUnavailableError);
    } finally {
      await postgres.start();
      await pool.end();
    }
  }, 60_000);

  it('counts rate-limit hits for every instance in one fixed window', async () => {
    const { a, b, close } = await twoInstances();
    try {
      const storeA = a.limiters!('login:');
      const storeB = b.limiters!('login:');
      for (const store of [storeA, storeB]) void store.init?.({ windowMs: 60_000 } as never);
      const hits = [];
      for (let i = 0; i < 4; i++)
        hits.push((await (i % 2 ? storeA : storeB).increment('k')).totalHits);
      expect(hits).toEqual([1, 2, 3, 4]);
      await storeA.decrement('k');
      expect((await storeB.increment('k')).totalHits).toBe(4);
      await storeB.resetKey('k');
      expect((await storeA.increment('k')).totalHits).toBe(1);
      expect(await a.purgeLimits!(Date.now() + 61_000)).toBe(1);
    } finally {
      await close();
    }
  });

  it('starts a new window once the old one ended', async () => {
    const { url, close } = await twoInstances();
    const pool = createPool(url);
    try {
      let now = 1_000_000;
      const store = createPostgresLimiterStores(pool, () => now)('login:');
      void store.init?.({ windowMs: 60_000 } as never);
      for (let i = 0; i < 3; i++) await store.increment('k');
      now += 59_999;
      expect(await store.increment('k')).toEqual({
        totalHits: 4,
        resetTime: new Date(1_060_000),
      });
      now += 1;
      expect(await store.increment('k')).toEqual({
        totalHits: 1,
        resetTime: new Date(1_120_000),
      });
    } finally {
      await pool.end();
      await close();
    }
  });
});
