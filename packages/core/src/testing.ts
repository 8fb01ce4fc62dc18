// @tokenlane/core/testing: the session simulator (tabs, a server, faults and a clock, all in
// memory) and the in-memory channel and lock it is built on.
export { createMemoryChannelHub } from './session/memoryChannel.js';
export { expireAccessToken } from './testing/expireAccessToken.js';
export { createSessionSimulator } from './testing/simulator/sessionSimulator.js';

export type {
  SessionSimulator,
  SimulatorOptions,
  SimulatorReport,
} from './testing/simulator/types.js';
export type { SignOut, SimRequests, SimTab } from './testing/simulator/simTab.js';
export type { RefreshFault } from './testing/simulator/simNetwork.js';
export type { TabState } from './testing/simulator/world.js';
export type { ReusePolicy, Revocation } from './testing/simulator/simServer.js';
