import { AuthUsageError } from '../core/errors.js';
import { createContext, useContext } from 'react';
import type { Session } from '../core/types.js';

/** What `<AuthProvider>` hands the hooks: the session and the request function queries receive. */
export interface AuthContextValue {
  client: Session<unknown, never>;
  /** `client.axios` under the root entry's provider, `client.fetch` under the fetch entry's. */
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
