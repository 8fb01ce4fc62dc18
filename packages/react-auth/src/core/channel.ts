import type { AuthUser } from './types.js';

/** What tabs tell each other: a new token (after login or refresh) or a logout. */
export type CrossTabMessage<TUser = AuthUser> =
  | {
      type: 'token';
      token: string;
      user: TUser | null;
      expiresAt: number | null;
      lifetimeMs: number | null;
    }
  | { type: 'logout' };

/** A message bus between tabs; a tab never receives its own messages. */
export interface AuthChannel<TUser = AuthUser> {
  post(message: CrossTabMessage<TUser>): void;
  subscribe(listener: (message: CrossTabMessage<TUser>) => void): () => void;
  close(): void;
}

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
  };
}
