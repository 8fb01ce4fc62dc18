import { QueryClientContext } from '@tanstack/react-query';
import { useContext, useEffect, useMemo, type ReactNode } from 'react';
import type { LoginCredentials, RegisteredUser, Session } from '@tokenlane/core';
import { userKeyOf } from '@tokenlane/core/adapter';
import { AuthContext } from './AuthContext.js';
import type { RegisteredApi } from './registeredApi.js';

/**
 * A client `<AuthProvider>` accepts: the session, and the request function the hooks hand
 * `queryFn` (`client.api`: the axios instance of `createAuthClient`, the `fetch` of
 * `createFetchClient`).
 */
export type ReactAuthClient<TUser = RegisteredUser, TCredentials = LoginCredentials> = Session<
  TUser,
  TCredentials
> & { readonly api: RegisteredApi };

/** Props of `<AuthProvider>`. */
export interface AuthProviderProps<TUser = RegisteredUser, TCredentials = LoginCredentials> {
  /** The client from `createAuthClient()` or `createFetchClient()`, created once outside of React. */
  client: ReactAuthClient<TUser, TCredentials>;
  children?: ReactNode;
}

/**
 * Makes `client` available to the hooks (their `queryFn` receives `client.api`), restores the
 * session on mount, and clears the surrounding QueryClient's cache when the user logs out or
 * changes. StrictMode's second mount joins the first restore (the session runs one refresh at a
 * time), so it costs no request. One provider for every transport.
 */
export function AuthProvider<TUser = RegisteredUser, TCredentials = LoginCredentials>({
  client,
  children,
}: AuthProviderProps<TUser, TCredentials>) {
  const queryClient = useContext(QueryClientContext);
  const session = client as unknown as Session<unknown, never>;

  useEffect(() => {
    void session.restore();
  }, [session]);

  useEffect(() => {
    let previous = userKeyOf(session.getState().user);
    return session.subscribe(() => {
      const next = userKeyOf(session.getState().user);
      if (previous !== null && next !== previous) queryClient?.clear();
      previous = next;
    });
  }, [session, queryClient]);

  const api = client.api;
  const value = useMemo(() => ({ client: session, api }), [session, api]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
