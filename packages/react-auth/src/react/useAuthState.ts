import { useCallback, useSyncExternalStore } from 'react';
import type { AuthState, RegisteredUser, Session } from '@tokenlane/core';
import { useAuthContext } from './AuthContext.js';

/**
 * The session state (`status`, `user`, `expiresAt`), or the part `selector` picks, re-rendering
 * only when that part changes (compared with `Object.is`, as zustand's `useStore` does: select a
 * primitive or a value the state already holds, not a new object).
 */
export function useAuthState<TUser = RegisteredUser, TSelected = AuthState<TUser>>(
  selector: (state: AuthState<TUser>) => TSelected = (state) => state as TSelected,
): TSelected {
  const client = useAuthContext().client as Session<TUser>;
  const select = useCallback(() => selector(client.getState()), [client, selector]);
  return useSyncExternalStore(client.subscribe, select, select);
}
