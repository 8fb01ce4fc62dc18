import { useCallback, useRef, useSyncExternalStore } from 'react';
import type { AuthClient } from '../createAuthClient.js';
import type { AuthStatus, AuthUser } from '../core/types.js';
import { useAuthClient } from './AuthContext.js';

/** What `useAuth()` returns. */
export interface UseAuthResult<TUser = AuthUser> {
  status: AuthStatus;
  user: TUser | null;
  isAuthenticated: boolean;
  login: AuthClient<TUser>['login'];
  logout: AuthClient<TUser>['logout'];
  refresh: AuthClient<TUser>['refresh'];
}

type Snapshot<TUser> = Pick<UseAuthResult<TUser>, 'status' | 'user'>;

/**
 * `status` and `user` of the session, read with `useSyncExternalStore`. The snapshot only changes
 * when one of them does: a token rotation does not re-render.
 * @internal
 */
export function useAuthSnapshot<TUser>(client: AuthClient<TUser>): Snapshot<TUser> {
  const last = useRef<Snapshot<TUser> | null>(null);
  const getSnapshot = useCallback(() => {
    const { status, user } = client.getState();
    if (last.current?.status !== status || last.current.user !== user)
      last.current = { status, user };
    return last.current;
  }, [client]);
  return useSyncExternalStore(client.subscribe, getSnapshot, getSnapshot);
}

/** The session and its actions. Re-renders when `status` or `user` change, not on token rotation. */
export function useAuth<TUser = AuthUser>(): UseAuthResult<TUser> {
  const client = useAuthClient<TUser>();
  const { status, user } = useAuthSnapshot(client);
  return {
    status,
    user,
    isAuthenticated: status === 'authenticated',
    login: client.login,
    logout: client.logout,
    refresh: client.refresh,
  };
}
