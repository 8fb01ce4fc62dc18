import type { HeldToken } from './heldToken.js';
import type { RegisteredUser } from './types.js';

/**
 * What tabs tell each other: a new token (after login or refresh) or a logout, stamped with
 * their place in the browser's order (`at`; messages of older versions have none).
 */
export type CrossTabMessage<TUser = RegisteredUser> =
  ({ type: 'token' } & HeldToken<TUser>) | { type: 'logout'; at?: number | undefined };

/** A message bus between tabs; a tab never receives its own messages. */
export interface AuthChannel<TUser = RegisteredUser> {
  post(message: CrossTabMessage<TUser>): void;
  subscribe(listener: (message: CrossTabMessage<TUser>) => void): () => void;
  close(): void;
  /**
   * Resolves once messages already sent by other tabs have had time to arrive. A tab that had to
   * wait for the refresh lock calls it before deciding to refresh: the tab that held the lock
   * posted its new token before releasing it, but the lock and the channel are separate pipes.
   */
  settle?(): Promise<void>;
}

/** How long `settle()` of a `BroadcastChannel` waits: a few event-loop turns. */
export const CHANNEL_SETTLE_MS = 20;

/** A `BroadcastChannel`, or `undefined` where there is none. */
export function createBroadcastChannel<TUser>(name: string): AuthChannel<TUser> | undefined {
  if (typeof BroadcastChannel === 'undefined') return undefined;
  const channel = new BroadcastChannel(name);
  return {
    post: (message) => channel.postMessage(message),
    subscribe(listener) {
      const onMessage = (event: MessageEvent<CrossTabMessage<TUser>>) => listener(event.data);
      channel.addEventListener('message', onMessage);
      return () => channel.removeEventListener('message', onMessage);
    },
    close: () => channel.close(),
    settle: () => new Promise((resolve) => setTimeout(resolve, CHANNEL_SETTLE_MS)),
  };
}
