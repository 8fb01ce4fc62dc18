import { QueryClientContext } from '@tanstack/react-query';
import { useContext, useEffect, type ReactNode } from 'react';
import type { AuthClient } from '../createAuthClient.js';
import type { RegisteredUser } from '../core/types.js';
import { AuthContext } from './AuthContext.js';
import { userKeyOf } from './userKey.js';

/** Props of `<AuthProvider>`. */
export interface AuthProviderProps<TUser = RegisteredUser> {
  /** The client from `createAuthClient()`, created once outside of React. */
  client: AuthClient<TUser>;
  children?: ReactNode;
}

/**
 * Makes `client` available to the hooks, restores the session on mount, and clears the
 * surrounding QueryClient's cache when the user logs out or changes. StrictMode's second mount
 * joins the first restore (the session runs one refresh at a time), so it costs no request.
 */
export function AuthProvider<TUser = RegisteredUser>({
  client,
  children,
}: AuthProviderProps<TUser>) {
  const queryClient = useContext(QueryClientContext);

  useEffect(() => {
    void client.restore();
  }, [client]);

  useEffect(() => {
    let previous = userKeyOf(client.getState().user);
    return client.subscribe(() => {
      const next = userKeyOf(client.getState().user);
      if (previous !== null && next !== previous) queryClient?.clear();
      previous = next;
    });
  }, [client, queryClient]);

  return <AuthContext.Provider value={client}>{children}</AuthContext.Provider>;
}
