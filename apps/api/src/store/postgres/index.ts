import type { Stores } from '../types.js';
import { migrate } from './migrations.js';
import { createPool, guarded } from './pool.js';
import { createPostgresLimiterStores, purgeRateLimits } from './rateLimit.js';
import { createPostgresProofStore } from './proofs.js';
import { createPostgresRefreshStore } from './refresh.js';
import { createPostgresTodoStore } from './todos.js';
import { createPostgresUserStore } from './users.js';

/**
 * Opens every store on one Postgres database, after bringing its schema up to date (safe when
 * several instances start at once). The rate-limit counters live there too, so instances share
 * them without Redis.
 */
export async function openPostgresStores(url: string): Promise<Stores & { migrated: number[] }> {
  const pool = createPool(url);
  try {
    const migrated = await migrate(pool);
    return {
      migrated,
      users: createPostgresUserStore(pool),
      todos: createPostgresTodoStore(pool),
      refresh: createPostgresRefreshStore(pool),
      proofs: createPostgresProofStore(pool),
      limiters: createPostgresLimiterStores(pool),
      purgeLimits: (now) => purgeRateLimits(pool, now),
      probes: {
        postgres: () =>
          guarded(async () => {
            await pool.query('SELECT 1');
          }),
      },
      close: () => pool.end(),
    };
  } catch (error) {
    await pool.end();
    throw error;
  }
}
