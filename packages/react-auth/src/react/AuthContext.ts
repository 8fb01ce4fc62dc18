import { createContext, useContext } from 'react';
import type { AuthClient } from '../createAuthClient.js';
import type { RegisteredUser } from '../core/types.js';

/** Carries the client from `<AuthProvider>` to the hooks. */
export const AuthContext = createContext<AuthClient<unknown> | null>(null);

/** The `AuthClient` given to the nearest `<AuthProvider>`. Throws outside of one. */
export function useAuthClient<TUser = RegisteredUser>(): AuthClient<TUser> {
  const client = useContext(AuthContext);
  if (!client) throw new Error('useAuthClient: wrap your app in <AuthProvider client={...}>');
  return client as AuthClient<TUser>;
}
