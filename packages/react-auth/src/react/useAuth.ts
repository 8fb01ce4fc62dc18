import type { AuthStatus, LoginCredentials, RegisteredUser, Session } from '@tokenlane/core';
import { useAuthContext } from './AuthContext.js';
import { useAuthSnapshot } from './useAuthSnapshot.js';

/** What `useAuth()` returns. */
export interface UseAuthResult<TUser = RegisteredUser, TCredentials = LoginCredentials> {
  status: AuthStatus;
  user: TUser | null;
  isAuthenticated: boolean;
  login: Session<TUser, TCredentials>['login'];
  logout: Session<TUser>['logout'];
  refresh: Session<TUser>['refresh'];
}

/** The session and its actions. Re-renders when `status` or `user` change, not on token rotation. */
export function useAuth<TUser = RegisteredUser, TCredentials = LoginCredentials>(): UseAuthResult<
  TUser,
  TCredentials
> {
  const client = useAuthContext().client as Session<TUser, TCredentials>;
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
