// The library entry of @tokenlane/api: build the app, open its stores, seed, log. The server
// process itself is `index.ts`.
export { attachLive, createApp, type AppOptions } from './app.js';
export { LIVE_CLOSE, LIVE_PATH } from './live/liveSockets.js';
export type { TodoChange } from './live/liveHub.js';
export { loadConfig, ConfigError, type Config } from './config.js';
export { openSqliteStores } from './store/sqlite/index.js';
export { openStores } from './store/index.js';
export { openRedisRefreshStore } from './store/redis/refresh.js';
export { seedDemoUsers, DEMO_USERS } from './seed.js';
export { createLogger } from './logger.js';
export type { Stores } from './store/types.js';
// What the test harness (tests/harness) builds test servers from.
export { createHttpServer } from './server.js';
export { createTokenService } from './services/tokens.js';
export { errorHandler } from './middleware/errors.js';
export { requireAuth } from './middleware/requireAuth.js';
export { MIGRATIONS } from './store/postgres/migrations.js';
