import { Redis, type RedisOptions } from 'ioredis';

/** Connection settings: fail fast while Redis is down (503), reconnect in the background. */
const REDIS_OPTIONS: RedisOptions = {
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 2_000,
  commandTimeout: 2_000,
  retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
};

/**
 * A Redis client (not yet connected: call `connect()`) whose failures surface per command, as
 * `StoreUnavailableError` in the stores, while ioredis keeps reconnecting in the background.
 */
export function createRedis(url: string): Redis {
  const redis = new Redis(url, REDIS_OPTIONS);
  redis.on('error', () => {
    // Reported per command; ioredis keeps reconnecting.
  });
  return redis;
}
