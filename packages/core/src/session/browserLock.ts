import type { AuthChannel } from './channel.js';
import { createChannelLock } from './channelLock.js';
import { createMemoryLock, createWebLock, type LockFunc } from './lock.js';
import type { Runtime } from './runtime.js';

/**
 * The Web Locks API; where the browser has none, an election over the tabs' channel (when it can
 * settle), so that no two tabs present one refresh token; else a lock within this page.
 */
export function browserLock<TUser>(
  channel: AuthChannel<TUser> | undefined,
  runtime: Runtime,
): LockFunc {
  const hasWebLocks = typeof navigator !== 'undefined' && 'locks' in navigator;
  const settles = channel?.settle !== undefined;
  return createWebLock(
    !hasWebLocks && settles
      ? createChannelLock(channel as AuthChannel<unknown> & { settle(): Promise<void> }, runtime)
      : createMemoryLock(),
  );
}
