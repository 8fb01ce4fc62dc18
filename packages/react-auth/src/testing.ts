// Testing a React app: `createTestServer` (an in-memory server for component tests), plus the
// session simulator of @tokenlane/core/testing (re-exported so one import serves a React app).
export * from '@tokenlane/core/testing';
export { createMemoryLock } from '@tokenlane/core';
export { createTestServer } from './testing/createTestServer.js';

export type { TestServer, TestServerOptions } from './testing/createTestServer.js';
