import type { AuthState } from './types.js';

/** An external store (for `useSyncExternalStore`): immutable snapshots, listeners told on change. */
export interface SessionStore<TUser> {
  getState: () => AuthState<TUser>;
  subscribe: (listener: () => void) => () => void;
  set: (next: AuthState<TUser>) => void;
}

const sameJson = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

export function createSessionStore<TUser>(): SessionStore<TUser> {
  let state: AuthState<TUser> = {
    status: 'loading',
    user: null,
    expiresAt: null,
    sessionEndsAt: null,
  };
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next) {
      // Keep the user object's identity when its content is unchanged, so selectors on `user`
      // do not see a change on every token rotation.
      const user = sameJson(next.user, state.user) ? state.user : next.user;
      if (
        next.status === state.status &&
        user === state.user &&
        next.expiresAt === state.expiresAt &&
        next.sessionEndsAt === state.sessionEndsAt
      )
        return;
      state = { ...next, user };
      listeners.forEach((listener) => listener());
    },
  };
}
