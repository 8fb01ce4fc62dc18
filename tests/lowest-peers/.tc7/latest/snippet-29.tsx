import { createAuthClient } from '@tokenlane/react-auth';
import { createMemoryChannelHub, createMemoryLock } from '@tokenlane/react-auth/testing';

const hub = createMemoryChannelHub();
const lock = createMemoryLock();
export const tabA = createAuthClient({
  baseURL: 'http://127.0.0.1:4000',
  crossTab: { channel: hub.connect(), lock },
});
export const tabB = createAuthClient({
  baseURL: 'http://127.0.0.1:4000',
  crossTab: { channel: hub.connect(), lock },
});
