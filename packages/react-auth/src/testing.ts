export { createMemoryChannelHub } from './core/memoryChannel.js';
export { createMemoryLock } from './core/lock.js';
export { createTestServer } from './testing/createTestServer.js';
export { expireAccessToken } from './testing/expireAccessToken.js';
export { createSessionSimulator } from './testing/simulator/sessionSimulator.js';

export type { TestServer, TestServerOptions } from './testing/createTestServer.js';
export type {
  SessionSimulator,
  SimulatorOptions,
  SimulatorReport,
} from './testing/simulator/types.js';
export type { SignOut, SimRequests, SimTab } from './testing/simulator/simTab.js';
export type { RefreshFault } from './testing/simulator/simNetwork.js';
export type { ReusePolicy, Revocation } from './testing/simulator/simServer.js';
