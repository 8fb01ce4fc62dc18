export { createMemoryChannelHub } from './core/memoryChannel.js';
export { createMemoryLock } from './core/lock.js';
