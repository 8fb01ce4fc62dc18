import type { Config } from '../config.js';
import { openPostgresStores } from './postgres/index.js';
import { openRedisLimiterStores } from './redis/rateLimit.js';
import { openRedisRefreshStore } from './redis/refresh.js';
import { openSqliteStores } from './sqlite/index.js';
import type { Stores } from './types.js';

/**
 * The stores for a configuration:
 * - by default, SQLite for everything (one instance, no configuration);
 * - with `DATABASE_URL`, Postgres for users, todos, refresh families and the rate-limit counters
 *   (any number of instances, on any machines);
 * - with `REDIS_URL` as well (or alone, over SQLite), refresh families, the DPoP proofs seen and
 *   the rate-limit counters live in Redis.
 */
export async function openStores(
  config: Pick<Config, 'databasePath' | 'databaseUrl' | 'redisUrl'>,
): Promise<Stores> {
  const base = config.databaseUrl
    ? await openPostgresStores(config.databaseUrl)
    : openSqliteStores(config.databasePath);
  if (!config.redisUrl) return base;
  try {
    const refresh = await openRedisRefreshStore(config.redisUrl);
    const limiters = await openRedisLimiterStores(config.redisUrl).catch(async (error: unknown) => {
      await refresh.close();
      throw error;
    });
    return {
      ...base,
      refresh,
      proofs: refresh.proofs,
      limiters: limiters.storeFor,
      purgeLimits: undefined,
      probes: { ...base.probes, redis: () => refresh.ping() },
      close: async () => {
        await limiters.close();
        await refresh.close();
        await base.close();
      },
    };
  } catch (error) {
    await base.close();
    throw error;
  }
}
