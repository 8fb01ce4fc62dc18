import { AuthUsageError, type Session } from '@tokenlane/core';
import { createContext, useContext } from 'react';

/** What `<AuthProvider>` hands the hooks: the session and the request function queries receive. */
export interface AuthContextValue {
  client: Session<unknown, never>;
  /** The client's `api` (`RegisteredApi`). */
  api: unknown;
}

/** Carries the client from `<AuthProvider>` to the hooks. */
export const AuthContext = createContext<AuthContextValue | null>(null);

/** The nearest `<AuthProvider>`'s value. Throws outside of one. */
export function useAuthContext(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) {
    throw new AuthUsageError(
      'no_auth_provider',
      'useAuthClient: wrap your app in <AuthProvider client={...}>',
    );
  }
  return value;
}
