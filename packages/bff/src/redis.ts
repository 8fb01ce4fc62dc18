export { redisStore, type RedisStoreOptions } from './store/redis.js';
