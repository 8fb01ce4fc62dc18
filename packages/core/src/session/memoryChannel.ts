import type { AuthChannel, CrossTabMessage } from './channel.js';
import type { RegisteredUser } from './types.js';

/**
 * In-memory channels for tests and same-realm setups: every channel from one hub hears the
 * others' messages, asynchronously and structured-cloned, as `BroadcastChannel` delivers them.
 */
export function createMemoryChannelHub<TUser = RegisteredUser>(): {
  connect(): AuthChannel<TUser>;
} {
  const members = new Set<Set<(message: CrossTabMessage<TUser>) => void>>();
  return {
    connect() {
      const listeners = new Set<(message: CrossTabMessage<TUser>) => void>();
      members.add(listeners);
      return {
        post(message) {
          for (const other of members) {
            if (other === listeners) continue;
            const copy = structuredClone(message);
            queueMicrotask(() => other.forEach((listener) => listener(copy)));
          }
        },
        subscribe(listener) {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
        close: () => members.delete(listeners),
      };
    },
  };
}
