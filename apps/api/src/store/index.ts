import type { Config } from '../config.js';
import { openRedisLimiterStores } from './redis/rateLimit.js';
import { openRedisRefreshStore } from './redis/refresh.js';
import { openSqliteStores } from './sqlite/index.js';
import type { Stores } from './types.js';

/**
 * The stores for a configuration: SQLite for everything by default; with `REDIS_URL`, refresh
 * families and the rate-limit counters live in Redis so that several API instances share them
 * (users and todos stay in SQLite).
 */
export async function openStores(
  config: Pick<Config, 'databasePath' | 'redisUrl'>,
): Promise<Stores> {
  const sqlite = openSqliteStores(config.databasePath);
  if (!config.redisUrl) return sqlite;
  const refresh = await openRedisRefreshStore(config.redisUrl);
  const limiters = await openRedisLimiterStores(config.redisUrl);
  return {
    ...sqlite,
    refresh,
    limiters: limiters.storeFor,
    close: async () => {
      await limiters.close();
      await refresh.close();
      await sqlite.close();
    },
  };
}
