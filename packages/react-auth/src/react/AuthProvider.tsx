import { QueryClientContext } from '@tanstack/react-query';
import { useContext, useEffect, type ReactNode } from 'react';
import type { AuthClient } from '../createAuthClient.js';
import type { AuthUser } from '../core/types.js';
import { AuthContext } from './AuthContext.js';

/** Props of `<AuthProvider>`. */
export interface AuthProviderProps<TUser = AuthUser> {
  /** The client from `createAuthClient()`, created once outside of React. */
  client: AuthClient<TUser>;
  children?: ReactNode;
}

// Clients whose page-load restore has started: StrictMode mounts effects twice, and a second
// restore would be a second refresh request.
const restored = new WeakSet<object>();

/**
 * Makes `client` available to the hooks, restores the session on mount (once), and clears the
 * surrounding QueryClient's cache when the user logs out or changes.
 */
export function AuthProvider<TUser = AuthUser>({ client, children }: AuthProviderProps<TUser>) {
  const queryClient = useContext(QueryClientContext);

  useEffect(() => {
    if (restored.has(client)) return;
    restored.add(client);
    void client.restore();
  }, [client]);

  useEffect(() => {
    let userId = idOf(client.getState().user);
    return client.subscribe(() => {
      const next = idOf(client.getState().user);
      if (next !== userId && userId !== undefined) queryClient?.clear();
      userId = next;
    });
  }, [client, queryClient]);

  return <AuthContext.Provider value={client}>{children}</AuthContext.Provider>;
}

const idOf = (user: unknown): unknown =>
  user && typeof user === 'object' && 'id' in user ? user.id : (user ?? undefined);
