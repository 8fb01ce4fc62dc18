import type { AuthClient } from '../createAuthClient.js';
import type { AuthStatus, RegisteredUser } from '../core/types.js';
import { useAuthClient } from './AuthContext.js';
import { useAuthSnapshot } from './useAuthSnapshot.js';

/** What `useAuth()` returns. */
export interface UseAuthResult<TUser = RegisteredUser> {
  status: AuthStatus;
  user: TUser | null;
  isAuthenticated: boolean;
  login: AuthClient<TUser>['login'];
  logout: AuthClient<TUser>['logout'];
  refresh: AuthClient<TUser>['refresh'];
}

/** The session and its actions. Re-renders when `status` or `user` change, not on token rotation. */
export function useAuth<TUser = RegisteredUser>(): UseAuthResult<TUser> {
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
