import type { Store } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { StoreUnavailableError } from '../errors.js';
import { createRedis } from './connection.js';

/** Rate-limit counters in Redis, so that every API instance counts against the same limits. */
export interface RedisLimiterStores {
  storeFor: (prefix: string) => Store;
  close: () => Promise<void>;
}

/**
 * Redis answered that it does not know a script (it restarted, or failed over, and lost its
 * script cache). rate-limit-redis reloads its script on exactly this error, recognised by its
 * message: it must reach the store as Redis said it, or the limiter fails for good.
 */
export const isNoScriptError = (error: unknown): boolean =>
  error instanceof Error && /^NOSCRIPT(?:\s|$)/.test(error.message);

/**
 * Opens the connection the limiters share (rate-limit-redis, the store express-rate-limit's
 * authors maintain). A command that cannot reach Redis rejects with `StoreUnavailableError` (503);
 * a script Redis no longer knows is reloaded by the store.
 */
export async function openRedisLimiterStores(
  url: string,
  prefix = 'tokenlane:rl:',
): Promise<RedisLimiterStores> {
  const redis = createRedis(url);
  await redis.connect();
  const sendCommand = async (command: string, ...args: string[]): Promise<RedisReply> => {
    try {
      return (await redis.call(command, ...args)) as RedisReply;
    } catch (error) {
      if (isNoScriptError(error)) throw error;
      throw new StoreUnavailableError('rate-limit store unavailable', { cause: error });
    }
  };
  return {
    storeFor: (name) => new RedisStore({ prefix: `${prefix}${name}`, sendCommand }),
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
