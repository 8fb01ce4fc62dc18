export { createMemoryChannelHub } from './core/memoryChannel.js';
export { createMemoryLock } from './core/lock.js';
export { createTestServer } from './testing/createTestServer.js';
export { expireAccessToken } from './testing/expireAccessToken.js';

export type { TestServer, TestServerOptions } from './testing/createTestServer.js';
