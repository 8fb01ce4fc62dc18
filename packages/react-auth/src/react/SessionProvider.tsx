import { QueryClientContext } from '@tanstack/react-query';
import { useContext, useEffect, useMemo, type ReactNode } from 'react';
import type { Session } from '../core/types.js';
import { AuthContext } from './AuthContext.js';
import { userKeyOf } from '../core/userKey.js';

/**
 * Makes `client` and `api` available to the hooks, restores the session on mount, and clears the
 * surrounding QueryClient's cache when the user logs out or changes. StrictMode's second mount
 * joins the first restore (the session runs one refresh at a time), so it costs no request.
 * Each entry's `<AuthProvider>` picks `api` from its client.
 */
export function SessionProvider({
  client,
  api,
  children,
}: {
  client: Session<unknown, never>;
  api: unknown;
  children?: ReactNode;
}) {
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

  const value = useMemo(() => ({ client, api }), [client, api]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
