import type { LockMessage } from './channelLock.js';
import type { HeldToken } from './heldToken.js';
import type { LogoutReason, RegisteredUser } from './types.js';

/**
 * What tabs tell each other: a new token (after login or refresh) or a logout (and why), marked
 * with their place in the browser's order of sign-ins and sign-outs (`seq`, and the session's
 * `sid`; messages of older versions have none and are ignored); and, with idle sign-out on, the
 * user's activity and the idle warning (`IdleMessage`).
 */
export type CrossTabMessage<TUser = RegisteredUser> =
  | ({ type: 'token' } & HeldToken<TUser>)
  | { type: 'logout'; seq: number; reason: LogoutReason }
  | IdleMessage
  | LockMessage;

/**
 * Idle sign-out's messages: the user was active in a tab at `at` (`stay`: they chose to stay
 * signed in at a warning), or the timer's tab warns that the session ends at `endsAt`.
 */
export type IdleMessage =
  | { type: 'activity'; at: number; stay?: boolean | undefined }
  | { type: 'idle-warning'; endsAt: number };

/** A message bus between tabs; a tab never receives its own messages. */
export interface AuthChannel<TUser = RegisteredUser> {
  post(message: CrossTabMessage<TUser>): void;
  subscribe(listener: (message: CrossTabMessage<TUser>) => void): () => void;
  close(): void;
  /**
   * Resolves once messages already sent by other tabs have had time to arrive. A tab calls it
   * under the refresh lock before deciding to refresh: the tab that held the lock posted its new
   * token before releasing it, but the lock and the channel are separate pipes (and a 401 or a
   * timer may come before the message). It must not depend on timers (a background tab's are
   * throttled, a test's may be paused).
   */
  settle?(): Promise<void>;
}

/**
 * A `BroadcastChannel`, or `undefined` where there is none. `settle()` sends a probe through the
 * channel and waits for it to come back (other tabs ignore it): the browser relays a name's
 * messages in the order they reached it, so what other tabs posted before is delivered by then.
 * No timer: paused or throttled timers (a background tab, a test's fake clock) never hold a
 * refresh. Closing the channel lets a pending `settle()` go.
 */
export function createBroadcastChannel<TUser>(name: string): AuthChannel<TUser> | undefined {
  if (typeof BroadcastChannel === 'undefined') return undefined;
  const channel = new BroadcastChannel(name);
  /** The pending `settle()` calls, by their probe's id; `null` once the channel is closed. */
  let pending: Map<number, () => void> | null = new Map();
  const probeOf = (data: unknown) => (data as { settle?: number } | null)?.settle;
  channel.addEventListener('message', (event) => pending?.get(probeOf(event.data) ?? 0)?.());
  return {
    // A refresh that lands after the session was disposed posts into a closed channel: dropped.
    post: (message) => void (pending && channel.postMessage(message)),
    subscribe(listener) {
      const onMessage = (event: MessageEvent<CrossTabMessage<TUser>>) => {
        if (probeOf(event.data) === undefined) listener(event.data);
      };
      channel.addEventListener('message', onMessage);
      return () => channel.removeEventListener('message', onMessage);
    },
    close() {
      channel.close();
      pending?.forEach((done) => done());
      pending = null;
    },
    settle: () =>
      new Promise<void>((resolve) => {
        if (!pending) return resolve();
        const id = Math.random() + 1;
        const probe = new BroadcastChannel(name);
        pending.set(id, () => {
          pending?.delete(id);
          probe.close();
          resolve();
        });
        probe.postMessage({ settle: id });
      }),
  };
}
